"""Issue 17 item 6 and issue 18 item 4: interpreter requests, one per appointment (the
intake by its id, a progress meeting by its number), to the interpreter partner the task
division names, with its answer and who gave it. Issue 17 item 6: a participant's own
lead partner (NULL: the programme's), with who set it, when and why.

Revision ID: support0005
"""

from zroute_runtime.migrate import execute_script

revision = "support0005"
down_revision = "support0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE support_interpreter_requests (
            request_id      uuid PRIMARY KEY,
            participant_ref text NOT NULL,
            programme_id    text NOT NULL,
            appointment     text NOT NULL,
            appointment_key text NOT NULL,
            starts_at       timestamptz NOT NULL,
            language        text NOT NULL,
            partner_id      text,
            status          text NOT NULL,
            requested_at    timestamptz NOT NULL,
            decided_by      text,
            decided_at      timestamptz,
            reason          text,
            version         integer NOT NULL,
            updated_at      timestamptz NOT NULL,
            UNIQUE (participant_ref, appointment, appointment_key)
        );
        CREATE INDEX support_interpreter_requests_partner
            ON support_interpreter_requests (partner_id, starts_at);
        ALTER TABLE support_participants
            ADD COLUMN lead_partner_id     text REFERENCES support_partners,
            ADD COLUMN lead_partner_reason text,
            ADD COLUMN lead_partner_set_by text,
            ADD COLUMN lead_partner_set_at timestamptz;
        """
    )


def downgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_participants DROP COLUMN lead_partner_id,
            DROP COLUMN lead_partner_reason, DROP COLUMN lead_partner_set_by,
            DROP COLUMN lead_partner_set_at;
        DROP TABLE support_interpreter_requests;
        """
    )
