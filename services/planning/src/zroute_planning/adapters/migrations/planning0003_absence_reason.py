"""The reason of an excused absence, kept with the ledger line (roll-call).

Revision ID: planning0003
"""

from zroute_runtime.migrate import execute_script

revision = "planning0003"
down_revision = "planning0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("ALTER TABLE planning_attendance ADD COLUMN absence_reason text;")


def downgrade() -> None:
    execute_script("ALTER TABLE planning_attendance DROP COLUMN absence_reason;")
