"""The participant as a recipient (issue 18): their language, week and next appointment
from the events, the contact person's name and phone in the staff directory, the
messages and start letters written for them, the personal-page links (with revocation)
and the log of every link use (link id and outcome only).

Revision ID: notifications0004
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0004"
down_revision = "notifications0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE nt_participants ADD COLUMN preferred_language text;
        ALTER TABLE nt_directory ADD COLUMN name text, ADD COLUMN phone text;

        CREATE TABLE nt_schedules (
            participant_ref text PRIMARY KEY,
            phase           integer NOT NULL,
            valid_from      date NOT NULL,
            sessions        jsonb NOT NULL
        );

        CREATE TABLE nt_appointments (
            participant_ref text PRIMARY KEY,
            starts_at       timestamptz NOT NULL,
            location_id     text NOT NULL
        );

        CREATE TABLE nt_participant_messages (
            id              uuid PRIMARY KEY,
            event_id        uuid NOT NULL,
            participant_ref text NOT NULL,
            kind            text NOT NULL,
            language        text NOT NULL,
            direction       text NOT NULL,
            subject         text NOT NULL,
            body            text NOT NULL,
            subject_nl      text NOT NULL,
            body_nl         text NOT NULL,
            created_at      timestamptz NOT NULL,
            UNIQUE (event_id, kind)
        );
        CREATE INDEX nt_participant_messages_ref ON nt_participant_messages (participant_ref);

        CREATE TABLE nt_page_links (
            link_id         text PRIMARY KEY,
            participant_ref text NOT NULL,
            expires_at      timestamptz NOT NULL,
            created_at      timestamptz NOT NULL,
            revoked_at      timestamptz
        );
        CREATE INDEX nt_page_links_ref ON nt_page_links (participant_ref);

        CREATE TABLE nt_letters (
            id              uuid PRIMARY KEY,
            event_id        uuid NOT NULL UNIQUE,
            participant_ref text NOT NULL,
            languages       text[] NOT NULL,
            link_id         text NOT NULL REFERENCES nt_page_links (link_id),
            pdf             bytea NOT NULL,
            created_at      timestamptz NOT NULL
        );
        CREATE INDEX nt_letters_ref ON nt_letters (participant_ref);
        """
    )


def downgrade() -> None:
    execute_script(
        """
        DROP TABLE nt_letters, nt_page_links, nt_participant_messages,
            nt_appointments, nt_schedules;
        ALTER TABLE nt_directory DROP COLUMN name, DROP COLUMN phone;
        ALTER TABLE nt_participants DROP COLUMN preferred_language;
        """
    )
