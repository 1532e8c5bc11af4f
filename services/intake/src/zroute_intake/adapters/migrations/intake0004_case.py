"""A move to another municipality (issue 15, W 15(4)): the day the new municipality took
the case over, from which its PIP deadline of ten weeks runs.

Revision ID: intake0004
"""

from zroute_runtime.migrate import execute_script

revision = "intake0004"
down_revision = "intake0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("ALTER TABLE intake_pips ADD COLUMN moved_in_on date;")


def downgrade() -> None:
    execute_script("ALTER TABLE intake_pips DROP COLUMN moved_in_on;")
