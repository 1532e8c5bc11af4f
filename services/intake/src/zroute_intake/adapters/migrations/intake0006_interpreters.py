"""Issue 17 item 6 and issue 18 item 4: the interpreter partner's answer (confirmed or
declined) per appointment, the intake by its id and a progress meeting by its number,
with the time it was given for. Codes only.

Revision ID: intake0006
"""

from zroute_runtime.migrate import execute_script

revision = "intake0006"
down_revision = "intake0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE intake_interpreter_answers (
            participant_ref  text NOT NULL,
            appointment      text NOT NULL,
            appointment_key  text NOT NULL,
            request_id       uuid NOT NULL,
            partner_id       text NOT NULL,
            status           text NOT NULL,
            reason           text,
            starts_at        timestamptz NOT NULL,
            answered_at      timestamptz NOT NULL,
            PRIMARY KEY (participant_ref, appointment, appointment_key)
        );
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE intake_interpreter_answers;")
