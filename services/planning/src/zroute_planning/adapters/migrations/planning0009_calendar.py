"""The dated session calendar (issue 16): closures per programme, staff with
qualifications, weekly availability and leave, rooms with capacity, and the dated sessions
with their staff, room, state and every change (cancel, move, substitute) with who and why.

A head of its own (from planning0007): ``upgrade heads`` runs it beside other branches.

Revision ID: planning0009
"""

from zroute_runtime.migrate import execute_script

revision = "planning0009"
down_revision = "planning0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE planning_closures (
            closure_id    uuid PRIMARY KEY,
            programme_id  text NOT NULL,
            from_on       date NOT NULL,
            to_on         date NOT NULL,
            reason        text NOT NULL,
            recorded_by   text NOT NULL,
            recorded_at   timestamptz NOT NULL,
            CHECK (from_on <= to_on)
        );
        CREATE INDEX planning_closures_programme ON planning_closures (programme_id, from_on);

        CREATE TABLE planning_staff (
            staff_id        text PRIMARY KEY,
            programme_id    text NOT NULL,
            partner_id      text NOT NULL,
            role            text NOT NULL,
            qualifications  jsonb NOT NULL,
            availability    jsonb NOT NULL,
            recorded_by     text NOT NULL,
            recorded_at     timestamptz NOT NULL
        );
        CREATE INDEX planning_staff_programme ON planning_staff (programme_id);

        CREATE TABLE planning_staff_leave (
            leave_id     uuid PRIMARY KEY,
            staff_id     text NOT NULL REFERENCES planning_staff,
            from_on      date NOT NULL,
            to_on        date NOT NULL,
            reason       text NOT NULL,
            recorded_by  text NOT NULL,
            recorded_at  timestamptz NOT NULL,
            CHECK (from_on <= to_on)
        );
        CREATE INDEX planning_staff_leave_staff ON planning_staff_leave (staff_id);

        CREATE TABLE planning_rooms (
            room_id       text PRIMARY KEY,
            programme_id  text NOT NULL,
            location_id   text NOT NULL,
            capacity      integer NOT NULL CHECK (capacity > 0),
            recorded_by   text NOT NULL,
            recorded_at   timestamptz NOT NULL
        );

        CREATE TABLE planning_calendar_sessions (
            session_id       uuid PRIMARY KEY,
            programme_id     text NOT NULL,
            group_id         uuid,
            participant_ref  text,
            session_on       date NOT NULL,
            weekday          text NOT NULL,
            day_part         text NOT NULL,
            starts_at        time NOT NULL,
            minutes          integer NOT NULL,
            teaching_form    text NOT NULL,
            kind             text NOT NULL,
            staff            text,
            regular_staff    text,
            room_id          text,
            unstaffed        text,
            status           text NOT NULL,
            changed_reason   text,
            changed_note     text,
            changed_by       text,
            changed_at       timestamptz,
            moved_from_on    date,
            moved_from_at    time,
            CHECK (group_id IS NOT NULL OR participant_ref IS NOT NULL)
        );
        CREATE INDEX planning_calendar_programme
            ON planning_calendar_sessions (programme_id, session_on);
        CREATE INDEX planning_calendar_group ON planning_calendar_sessions (group_id, session_on);
        CREATE INDEX planning_calendar_ref
            ON planning_calendar_sessions (participant_ref, session_on);
        CREATE INDEX planning_calendar_staff ON planning_calendar_sessions (staff, session_on);
        """
    )


def downgrade() -> None:
    execute_script(
        """
        DROP TABLE planning_calendar_sessions, planning_rooms, planning_staff_leave,
            planning_staff, planning_closures
        """
    )
