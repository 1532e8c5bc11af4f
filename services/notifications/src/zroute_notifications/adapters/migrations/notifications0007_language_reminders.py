"""A participant's language changed by intake, and the events received per participant
(issues 17, 18).

``nt_participants.language_changed``: the preferred language came from a
``personal-data-changed``; a registration that arrives again (a replay, a re-publish) then
keeps it instead of putting the registration's language back.

``nt_events_subject``: an intake called off or moved looks up the other events about the
same appointment to stop the reminders of its old time, without reading every event ever
received.

Revision ID: notifications0007
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0007"
down_revision = "notifications0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE nt_participants
            ADD COLUMN language_changed boolean NOT NULL DEFAULT false;
        CREATE INDEX nt_events_subject ON nt_events (subject, event_type);
        """
    )


def downgrade() -> None:
    execute_script(
        "DROP INDEX nt_events_subject; ALTER TABLE nt_participants DROP COLUMN language_changed;"
    )
