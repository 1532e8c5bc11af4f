"""Intake tables: participants (personal data encrypted), outcome history, access log.

Revision ID: intake0001
"""

from zroute_runtime.migrate import execute_script

revision = "intake0001"
down_revision = None
branch_labels = ("intake",)
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE intake_participants (
            ref                 text PRIMARY KEY,
            programme_id        text NOT NULL,
            municipality        text NOT NULL,
            status              text NOT NULL,
            version             integer NOT NULL,
            preferred_language  text NOT NULL,
            interpreter_needed  boolean NOT NULL,
            registered_on       date NOT NULL,
            -- Personal data: AES-256-GCM ciphertexts, and a keyed HMAC-SHA256 of the BSN
            -- to find a participant again (unique per municipality). NULL once erased.
            bsn_hash            bytea,
            bsn_encrypted       bytea,
            personal_encrypted  bytea,
            erased_at           timestamptz,
            -- Pseudonymous state: appointment, outcomes, contact history, consents (codes).
            state               jsonb NOT NULL,
            -- Copies of state fields the list filters on.
            contact_staff_ref   text,
            intake_starts_at    timestamptz,
            created_at          timestamptz NOT NULL,
            updated_at          timestamptz NOT NULL,
            CHECK ((bsn_hash IS NULL) = (erased_at IS NOT NULL))
        );
        CREATE UNIQUE INDEX intake_participants_bsn
            ON intake_participants (municipality, bsn_hash) WHERE bsn_hash IS NOT NULL;
        CREATE INDEX intake_participants_status ON intake_participants (status, ref);
        CREATE INDEX intake_participants_contact ON intake_participants (contact_staff_ref, ref);
        CREATE INDEX intake_participants_intake ON intake_participants (intake_starts_at, ref);

        -- Every read of personal data: who, when, why (a purpose code) and what.
        CREATE TABLE intake_access_log (
            id              bigserial PRIMARY KEY,
            participant_ref text NOT NULL,
            accessed_at     timestamptz NOT NULL,
            actor           text NOT NULL,
            actor_roles     text[] NOT NULL,
            purpose         text NOT NULL,
            fields          text[] NOT NULL,
            request_id      text
        );
        CREATE INDEX intake_access_log_ref ON intake_access_log (participant_ref, id);
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE intake_access_log, intake_participants")
