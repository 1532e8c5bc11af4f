"""The events received about one participant, by type (issue 17): an intake called off or
moved looks up the other events about the same appointment to stop the reminders of its
old time, without reading every event ever received.

Revision ID: notifications0007
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0007"
down_revision = "notifications0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("CREATE INDEX nt_events_subject ON nt_events (subject, event_type);")


def downgrade() -> None:
    execute_script("DROP INDEX nt_events_subject;")
