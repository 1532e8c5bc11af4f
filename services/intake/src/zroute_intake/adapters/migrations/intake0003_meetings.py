"""Progress meetings and the final meeting: one encrypted record per participant (the
notes and agreements may hold personal details); who changed it goes to the PIP's change
log.

Revision ID: intake0003
"""

from zroute_runtime.migrate import execute_script

revision = "intake0003"
down_revision = "intake0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE intake_meetings (
            participant_ref   text PRIMARY KEY REFERENCES intake_participants (ref),
            version           integer NOT NULL,
            -- The planned meetings, invitations, records and the final meeting, as JSON
            -- encrypted with the personal data's key (AES-256-GCM, bound to the row).
            record_encrypted  bytea NOT NULL,
            updated_at        timestamptz NOT NULL
        );
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE intake_meetings;")
