"""Pauses of the route that hold a plan (issue 15): the participant's own pause (intake)
and a referral's care pause (support), by key, while they last.

Revision ID: planning0008
"""

from zroute_runtime.migrate import execute_script

revision = "planning0008"
down_revision = "planning0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE planning_case_holds (
            participant_ref text NOT NULL,
            hold_key        text NOT NULL,
            reason          text NOT NULL,
            since           date NOT NULL,
            PRIMARY KEY (participant_ref, hold_key)
        );
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE planning_case_holds;")
