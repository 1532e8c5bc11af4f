"""Hours from every partner: the programme's task division (task -> partner) and the
partner that recorded each ledger line.

Revision ID: planning0006
"""

from zroute_runtime.migrate import execute_script

revision = "planning0006"
down_revision = "planning0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE planning_programmes ADD COLUMN task_partners jsonb NOT NULL DEFAULT '{}';
        ALTER TABLE planning_attendance ADD COLUMN recording_partner text;
        """
    )


def downgrade() -> None:
    execute_script(
        """
        ALTER TABLE planning_attendance DROP COLUMN recording_partner;
        ALTER TABLE planning_programmes DROP COLUMN task_partners;
        """
    )
