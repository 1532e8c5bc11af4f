"""Support for real (issue 17): the partners' registration order (overflow), referral
context and its message thread, audited consent overrides and manual reassignments.

Revision ID: support0002
"""

from zroute_runtime.migrate import execute_script

revision = "support0002"
down_revision = "support0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        -- Existing partners are numbered in the order the table holds them.
        ALTER TABLE support_partners ADD COLUMN registered_seq bigserial;
        ALTER TABLE support_referrals
            ADD COLUMN consent_overridden boolean NOT NULL DEFAULT false;
        CREATE TABLE support_referral_context (
            referral_id     uuid PRIMARY KEY REFERENCES support_referrals,
            reason_code     text,
            supporting_info text[] NOT NULL DEFAULT '{}',
            note            text,
            recorded_by     text NOT NULL,
            recorded_at     timestamptz NOT NULL
        );
        CREATE TABLE support_referral_messages (
            message_id  uuid PRIMARY KEY,
            referral_id uuid NOT NULL REFERENCES support_referrals,
            side        text NOT NULL,
            author      text NOT NULL,
            body        text NOT NULL,
            sent_at     timestamptz NOT NULL
        );
        CREATE INDEX support_referral_messages_referral
            ON support_referral_messages (referral_id, sent_at);
        CREATE TABLE support_consent_overrides (
            override_id     uuid PRIMARY KEY,
            participant_ref text NOT NULL REFERENCES support_participants,
            programme_id    text NOT NULL,
            referral_id     uuid,
            waiting_entry   uuid,
            legal_ground    text NOT NULL,
            reason          text NOT NULL,
            overridden_by   text NOT NULL,
            overridden_at   timestamptz NOT NULL
        );
        CREATE INDEX support_consent_overrides_participant
            ON support_consent_overrides (participant_ref);
        CREATE TABLE support_reassignments (
            id              bigserial PRIMARY KEY,
            kind            text NOT NULL,
            item_id         uuid NOT NULL,
            participant_ref text NOT NULL REFERENCES support_participants,
            programme_id    text NOT NULL,
            from_partner    text,
            to_partner      text NOT NULL,
            reason          text NOT NULL,
            exception       boolean NOT NULL,
            reassigned_by   text NOT NULL,
            reassigned_at   timestamptz NOT NULL
        );
        """
    )


def downgrade() -> None:
    execute_script(
        """
        DROP TABLE support_reassignments, support_consent_overrides,
            support_referral_messages, support_referral_context;
        ALTER TABLE support_referrals DROP COLUMN consent_overridden;
        ALTER TABLE support_partners DROP COLUMN registered_seq;
        """
    )
