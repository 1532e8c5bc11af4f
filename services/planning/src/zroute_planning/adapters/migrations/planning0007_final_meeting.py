"""The Z-route's final meeting (B 3.14(2)(c)): the day the municipality held it, recorded
on the plan; the route is completed only after it.

Revision ID: planning0007
"""

from zroute_runtime.migrate import execute_script

revision = "planning0007"
down_revision = "planning0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script("ALTER TABLE planning_plans ADD COLUMN final_meeting_on date;")


def downgrade() -> None:
    execute_script("ALTER TABLE planning_plans DROP COLUMN final_meeting_on;")
