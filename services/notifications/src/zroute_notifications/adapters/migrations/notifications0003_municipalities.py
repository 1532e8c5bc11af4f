"""The municipality of every participant, programme and partner, as the events name it,
so that callers limited to one municipality see and change only its records (issue 12).

Revision ID: notifications0003
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0003"
down_revision = "notifications0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE nt_participants ADD COLUMN municipality text;
        ALTER TABLE nt_agreements ADD COLUMN municipality text;
        ALTER TABLE nt_partners ADD COLUMN municipalities text[];
        """
    )


def downgrade() -> None:
    execute_script(
        """
        ALTER TABLE nt_participants DROP COLUMN municipality;
        ALTER TABLE nt_agreements DROP COLUMN municipality;
        ALTER TABLE nt_partners DROP COLUMN municipalities;
        """
    )
