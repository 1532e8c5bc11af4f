"""A confirmed placement's life cycle (issue 17): the day it started and why it ended.

Revision ID: support0003
"""

from zroute_runtime.migrate import execute_script

revision = "support0003"
down_revision = "support0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_placements ADD COLUMN started_on date,
            ADD COLUMN end_reason text;
        """
    )


def downgrade() -> None:
    execute_script("ALTER TABLE support_placements DROP COLUMN started_on, DROP COLUMN end_reason;")
