"""Support tables: partners, agreements, participants, consents, care signals, referrals,
preconditions, schedules, placements, check-ins and the waiting list.

Revision ID: support0001
"""

from zroute_runtime.migrate import execute_script

revision = "support0001"
down_revision = None
branch_labels = ("support",)
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE support_partners (
            partner_id      text PRIMARY KEY,
            organisation    text NOT NULL,
            municipalities  text[] NOT NULL,
            capabilities    text[] NOT NULL,
            capacity        jsonb NOT NULL DEFAULT '{}',
            contact_points  jsonb NOT NULL DEFAULT '[]',
            active          boolean NOT NULL DEFAULT true,
            version         integer NOT NULL DEFAULT 1,
            updated_at      timestamptz NOT NULL
        );
        CREATE TABLE support_agreements (
            agreement_id    uuid PRIMARY KEY,
            programme_id    text NOT NULL,
            municipality    text NOT NULL,
            version         integer NOT NULL,
            valid_from      date NOT NULL,
            valid_until     date,
            lead_partner_id text NOT NULL REFERENCES support_partners,
            assignments     jsonb NOT NULL,
            recorded_at     timestamptz NOT NULL,
            UNIQUE (programme_id, version)
        );
        CREATE TABLE support_participants (
            participant_ref text PRIMARY KEY,
            programme_id    text NOT NULL,
            municipality    text NOT NULL,
            contact         jsonb,
            withdrawn_on    date,
            registered_on   date NOT NULL
        );
        CREATE TABLE support_consents (
            consent_id      uuid PRIMARY KEY,
            participant_ref text NOT NULL REFERENCES support_participants,
            purpose         text NOT NULL,
            care_signal_ids uuid[] NOT NULL DEFAULT '{}',
            given_on        date NOT NULL,
            valid_until     date,
            withdrawn_on    date
        );
        CREATE TABLE support_care_signals (
            participant_ref text NOT NULL REFERENCES support_participants,
            signal_id       uuid NOT NULL,
            category        text NOT NULL,
            severity        text NOT NULL,
            urgency         text NOT NULL,
            consent_id      uuid,
            current         boolean NOT NULL DEFAULT true,
            PRIMARY KEY (participant_ref, signal_id)
        );
        CREATE TABLE support_referrals (
            referral_id      uuid PRIMARY KEY,
            participant_ref  text NOT NULL REFERENCES support_participants,
            programme_id     text NOT NULL,
            partner_id       text NOT NULL REFERENCES support_partners,
            category         text NOT NULL,
            severity         text NOT NULL,
            urgency          text NOT NULL,
            consent_id       uuid NOT NULL,
            signal_id        uuid,
            referrer         jsonb NOT NULL,
            answer_due_by    timestamptz NOT NULL,
            rerouted_from    uuid REFERENCES support_referrals,
            status           text NOT NULL,
            reason           text,
            outcome          jsonb,
            escalation_level integer NOT NULL DEFAULT 0,
            version          integer NOT NULL DEFAULT 1,
            created_at       timestamptz NOT NULL,
            updated_at       timestamptz NOT NULL
        );
        CREATE INDEX support_referrals_partner ON support_referrals (partner_id, status);
        CREATE INDEX support_referrals_participant ON support_referrals (participant_ref);
        CREATE TABLE support_referral_history (
            id          bigserial PRIMARY KEY,
            referral_id uuid NOT NULL REFERENCES support_referrals,
            status      text NOT NULL,
            reason      text,
            at          timestamptz NOT NULL
        );
        CREATE TABLE support_waiting_list (
            entry_id        uuid PRIMARY KEY,
            kind            text NOT NULL,
            participant_ref text NOT NULL REFERENCES support_participants,
            programme_id    text NOT NULL,
            capability      text NOT NULL,
            reason          text NOT NULL,
            request         jsonb NOT NULL,
            since           timestamptz NOT NULL,
            resolved_at     timestamptz
        );
        CREATE TABLE support_preconditions (
            precondition_id uuid PRIMARY KEY,
            participant_ref text NOT NULL REFERENCES support_participants,
            programme_id    text NOT NULL,
            kind            text NOT NULL,
            partner_id      text,
            status          text NOT NULL,
            arrangement_id  uuid,
            arranged_by     text,
            arranged_from   date,
            arranged_until  date,
            days_covered    text[] NOT NULL DEFAULT '{}',
            lapsed_on       date,
            lapse_reason    text,
            waiting_reason  text,
            version         integer NOT NULL DEFAULT 1,
            UNIQUE (participant_ref, kind)
        );
        CREATE TABLE support_schedules (
            participant_ref text PRIMARY KEY REFERENCES support_participants,
            plan_id         uuid NOT NULL,
            valid_from      date NOT NULL,
            weekdays        text[] NOT NULL
        );
        CREATE TABLE support_employers (
            employer_id  text PRIMARY KEY,
            first_seen   timestamptz NOT NULL
        );
        CREATE TABLE support_placements (
            placement_request_id uuid PRIMARY KEY,
            participant_ref      text NOT NULL REFERENCES support_participants,
            programme_id         text NOT NULL,
            activity             text NOT NULL,
            needed_by            date NOT NULL,
            hours_per_week       numeric NOT NULL,
            partner_id           text,
            status               text NOT NULL,
            waiting_reason       text,
            declined_by          text[] NOT NULL DEFAULT '{}',
            placement_id         uuid UNIQUE,
            employer_id          text REFERENCES support_employers,
            location_id          text,
            starts_on            date,
            ends_on              date,
            confirmed_hours      numeric,
            job_coach_partner_id text,
            job_coach            text,
            escalation_level     integer NOT NULL DEFAULT 0,
            version              integer NOT NULL DEFAULT 1
        );
        CREATE INDEX support_placements_partner ON support_placements (partner_id, status);
        CREATE TABLE support_check_ins (
            id           bigserial PRIMARY KEY,
            placement_id uuid NOT NULL REFERENCES support_placements (placement_id),
            job_coach    text NOT NULL,
            party        text NOT NULL,
            held_on      date NOT NULL,
            outcome      text NOT NULL,
            recorded_at  timestamptz NOT NULL
        );
        """
    )


def downgrade() -> None:
    execute_script(
        """
        DROP TABLE support_check_ins, support_placements, support_employers,
            support_schedules, support_preconditions, support_waiting_list,
            support_referral_history, support_referrals, support_care_signals,
            support_consents, support_participants, support_agreements, support_partners;
        """
    )
