"""Modules that feed the week and the hours (issue 16 item 4): a customised module keeps
the teaching form it is taught in, and a dated session of the calendar names the module
it teaches, so attendance on it counts toward the module's planned hours and a module
removed takes its sessions out of the calendar.

Revision ID: planning0013
"""

from zroute_runtime.migrate import execute_script

revision = "planning0013"
down_revision = "planning0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE planning_plan_modules ADD COLUMN teaching_form text;
        ALTER TABLE planning_calendar_sessions ADD COLUMN module text;
        CREATE INDEX planning_calendar_module
            ON planning_calendar_sessions (participant_ref, module) WHERE module IS NOT NULL;
        """
    )


def downgrade() -> None:
    execute_script(
        "DROP INDEX planning_calendar_module;"
        " ALTER TABLE planning_calendar_sessions DROP COLUMN module;"
        " ALTER TABLE planning_plan_modules DROP COLUMN teaching_form;"
    )
