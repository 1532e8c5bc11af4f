"""Issue 16: a ledger line may name the curriculum module its hours were spent on, above
all the participatieverklaringstraject (``pvt``), whose hours are participation hours
(B 3.14(5)) recorded by the partner the agreement names for it. NULL for every other line.

Revision ID: planning0014
"""

from zroute_runtime.migrate import execute_script

revision = "planning0014"
down_revision = "planning0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE planning_attendance ADD COLUMN module text;
        """
    )


def downgrade() -> None:
    execute_script(
        """
        ALTER TABLE planning_attendance DROP COLUMN module;
        """
    )
