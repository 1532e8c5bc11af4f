"""Attendance corrections: every change of a ledger line kept with both values, who, when
and why; the session's length kept with the line (what a correction is checked against).

Revision ID: planning0005
"""

from zroute_runtime.migrate import execute_script

revision = "planning0005"
down_revision = "planning0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE planning_attendance ADD COLUMN session_minutes integer;
        CREATE TABLE planning_attendance_corrections (
            correction_id uuid PRIMARY KEY,
            session_id uuid NOT NULL,
            participant_ref text NOT NULL,
            old_status text NOT NULL,
            old_minutes integer NOT NULL,
            old_hours numeric NOT NULL,
            old_absence_reason text,
            new_status text NOT NULL,
            new_minutes integer NOT NULL,
            new_hours numeric NOT NULL,
            new_absence_reason text,
            corrected_by text NOT NULL,
            corrected_at timestamptz NOT NULL,
            reason text NOT NULL,
            note text
        );
        CREATE INDEX planning_attendance_corrections_line
            ON planning_attendance_corrections (participant_ref, session_id);
        """
    )


def downgrade() -> None:
    execute_script(
        """
        DROP TABLE planning_attendance_corrections;
        ALTER TABLE planning_attendance DROP COLUMN session_minutes;
        """
    )
