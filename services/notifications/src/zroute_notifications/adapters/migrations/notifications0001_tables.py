"""Notifications tables: received events, the read model, the directory, subscriptions,
messages and digests.

Revision ID: notifications0001
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0001"
down_revision = None
branch_labels = ("notifications",)
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE nt_events (
            event_id     uuid PRIMARY KEY,
            event_type   text NOT NULL,
            time         timestamptz NOT NULL,
            subject      text,
            programme_id text,
            body         jsonb NOT NULL,
            received_at  timestamptz NOT NULL
        );

        CREATE TABLE nt_participants (
            participant_ref  text PRIMARY KEY,
            programme_id     text NOT NULL,
            status           text NOT NULL DEFAULT 'registered',
            phase            integer,
            targets          jsonb,
            childcare_needed boolean NOT NULL DEFAULT false,
            transport_needed boolean NOT NULL DEFAULT false,
            updated_at       timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX nt_participants_programme ON nt_participants (programme_id);

        CREATE TABLE nt_contacts (
            participant_ref text PRIMARY KEY,
            staff_ref       text NOT NULL,
            role            text NOT NULL,
            partner_id      text,
            caseworker_ref  text
        );

        CREATE TABLE nt_agreements (
            programme_id    text NOT NULL,
            version         integer NOT NULL,
            valid_from      date NOT NULL,
            valid_until     date,
            lead_partner_id text NOT NULL,
            assignments     jsonb NOT NULL,
            PRIMARY KEY (programme_id, version)
        );

        CREATE TABLE nt_partners (
            partner_id text PRIMARY KEY,
            channels   text[] NOT NULL,
            active     boolean NOT NULL DEFAULT true
        );

        CREATE TABLE nt_placements (
            placement_id    uuid PRIMARY KEY,
            participant_ref text NOT NULL,
            partner_id      text NOT NULL,
            employer_id     text NOT NULL,
            job_coach       text,
            job_coach_partner_id text,
            starts_on       date NOT NULL
        );
        CREATE INDEX nt_placements_participant ON nt_placements (participant_ref);

        -- Open work items of the consultation overview: referrals, placement requests,
        -- reviews, follow-ups, waiting list entries and preconditions.
        CREATE TABLE nt_items (
            kind            text NOT NULL,
            item_id         text NOT NULL,
            programme_id    text NOT NULL,
            participant_ref text,
            status          text NOT NULL,
            open            boolean NOT NULL,
            due_on          date,
            detail          text,
            PRIMARY KEY (kind, item_id)
        );
        CREATE INDEX nt_items_programme ON nt_items (programme_id, kind) WHERE open;

        CREATE TABLE nt_attendance (
            session_id      uuid NOT NULL,
            participant_ref text NOT NULL,
            programme_id    text NOT NULL,
            session_on      date NOT NULL,
            kind            text NOT NULL,
            status          text NOT NULL,
            hours           numeric NOT NULL,
            PRIMARY KEY (session_id, participant_ref)
        );
        CREATE INDEX nt_attendance_programme ON nt_attendance (programme_id, session_on);

        CREATE TABLE nt_consents (
            consent_id      uuid PRIMARY KEY,
            participant_ref text NOT NULL,
            purpose         text NOT NULL,
            partner_id      text,
            withdrawn_on    date
        );

        -- Addresses stay in this service: the events name roles and organisations only.
        CREATE TABLE nt_directory (
            kind       text NOT NULL,
            ref        text NOT NULL,
            email      text,
            language   text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (kind, ref)
        );

        CREATE TABLE nt_subscriptions (
            id               uuid PRIMARY KEY,
            partner_id       text,
            url              text NOT NULL,
            bearer_token     text NOT NULL,
            signing_secret   text NOT NULL,
            event_types      text[] NOT NULL,
            participant_refs text[],
            active           boolean NOT NULL DEFAULT true,
            ended_reason     text,
            created_at       timestamptz NOT NULL,
            ended_at         timestamptz
        );

        CREATE TABLE nt_notifications (
            id              uuid PRIMARY KEY,
            dedupe_key      text NOT NULL UNIQUE,
            event_ids       uuid[] NOT NULL,
            event_type      text,
            programme_id    text,
            participant_ref text,
            role            text NOT NULL,
            recipient_kind  text NOT NULL,
            recipient_ref   text NOT NULL,
            partner_id      text,
            staff_ref       text,
            subscription_id uuid,
            channel         text NOT NULL,
            timing          text NOT NULL,
            language        text NOT NULL,
            subject         text NOT NULL DEFAULT '',
            body_text       text NOT NULL DEFAULT '',
            body_html       text NOT NULL DEFAULT '',
            status          text NOT NULL,
            attempts        integer NOT NULL DEFAULT 0,
            reason          text,
            retriable       boolean,
            last_error      text,
            created_at      timestamptz NOT NULL,
            due_at          timestamptz,
            sent_at         timestamptz,
            failed_at       timestamptz
        );
        CREATE INDEX nt_notifications_inbox
            ON nt_notifications (recipient_kind, recipient_ref, created_at) WHERE channel = 'inbox';
        CREATE INDEX nt_notifications_events ON nt_notifications USING gin (event_ids);

        CREATE TABLE nt_digest_items (
            timing          text NOT NULL,
            period          text NOT NULL,
            recipient_kind  text NOT NULL,
            recipient_ref   text NOT NULL,
            channel         text NOT NULL,
            event_id        uuid NOT NULL,
            role            text NOT NULL,
            partner_id      text,
            staff_ref       text,
            language        text NOT NULL,
            programme_id    text,
            PRIMARY KEY (timing, period, recipient_kind, recipient_ref, channel, event_id)
        );

        CREATE TABLE nt_operator_alerts (
            recipient_key   text NOT NULL,
            day             date NOT NULL,
            notification_id uuid NOT NULL,
            PRIMARY KEY (recipient_key, day)
        );
        """
    )


def downgrade() -> None:
    execute_script(
        "DROP TABLE nt_operator_alerts, nt_digest_items, nt_notifications, nt_subscriptions,"
        " nt_directory, nt_consents, nt_attendance, nt_items, nt_placements, nt_partners,"
        " nt_agreements, nt_contacts, nt_participants, nt_events"
    )
