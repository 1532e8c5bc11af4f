"""Planning tables: plans, preconditions, groups and members, waiting list, attendance,
reviews, follow-ups, placements, programmes.

Revision ID: planning0001
"""

from zroute_runtime.migrate import execute_script

revision = "planning0001"
down_revision = None
branch_labels = ("planning",)
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE planning_plans (
            plan_id          uuid PRIMARY KEY,
            participant_ref  text NOT NULL UNIQUE,
            programme_id     text NOT NULL,
            status           text NOT NULL,
            level_band       text NOT NULL,
            availability     jsonb NOT NULL,
            modules          jsonb NOT NULL,
            needed           jsonb NOT NULL,
            arranged         jsonb NOT NULL,
            activated_on     date NOT NULL,
            term_end         date NOT NULL,
            start_on         date,
            paused_since     date,
            paused_days      integer NOT NULL DEFAULT 0,
            at_risk          boolean NOT NULL DEFAULT false,
            version          integer NOT NULL DEFAULT 1
        );
        CREATE INDEX planning_plans_programme ON planning_plans (programme_id, status);

        CREATE TABLE planning_preconditions (
            precondition_id  uuid PRIMARY KEY,
            participant_ref  text NOT NULL,
            kind             text NOT NULL,
            arranged         boolean NOT NULL,
            changed_on       date NOT NULL
        );
        CREATE INDEX planning_preconditions_ref ON planning_preconditions (participant_ref);

        CREATE TABLE planning_programmes (
            programme_id       text PRIMARY KEY,
            teaching_partner   text NOT NULL,
            lead_partner       text NOT NULL,
            agreement_version  integer NOT NULL
        );

        CREATE TABLE planning_groups (
            group_id      uuid PRIMARY KEY,
            programme_id  text NOT NULL,
            partner_id    text NOT NULL,
            level_band    text NOT NULL,
            slots         jsonb NOT NULL,
            sessions      jsonb NOT NULL,
            teacher       text NOT NULL,
            assistant     text,
            starts_on     date NOT NULL,
            dissolved_on  date
        );

        CREATE TABLE planning_group_members (
            group_id         uuid NOT NULL REFERENCES planning_groups,
            participant_ref  text NOT NULL,
            joined_on        date NOT NULL,
            left_on          date,
            left_reason      text
        );
        CREATE UNIQUE INDEX planning_one_current_group
            ON planning_group_members (participant_ref) WHERE left_on IS NULL;

        CREATE TABLE planning_waiting_list (
            participant_ref  text PRIMARY KEY,
            programme_id     text NOT NULL,
            level_band       text NOT NULL,
            reason           text NOT NULL,
            since            date NOT NULL
        );

        CREATE TABLE planning_schedules (
            plan_id     uuid PRIMARY KEY REFERENCES planning_plans,
            phase       integer NOT NULL,
            valid_from  date NOT NULL,
            sessions    jsonb NOT NULL
        );

        CREATE TABLE planning_attendance (
            session_id       uuid NOT NULL,
            participant_ref  text NOT NULL,
            session_on       date NOT NULL,
            group_id         uuid,
            kind             text NOT NULL,
            teaching_form    text NOT NULL,
            status           text NOT NULL,
            minutes          integer NOT NULL,
            hours            numeric(8, 2) NOT NULL,
            PRIMARY KEY (session_id, participant_ref)
        );
        CREATE INDEX planning_attendance_ref ON planning_attendance (participant_ref, session_on);

        CREATE TABLE planning_reviews (
            review_id        uuid PRIMARY KEY,
            participant_ref  text NOT NULL,
            trigger          text NOT NULL,
            due_on           date NOT NULL,
            held_on          date,
            outcome          text
        );
        CREATE INDEX planning_reviews_ref ON planning_reviews (participant_ref);

        CREATE TABLE planning_follow_ups (
            follow_up_id     uuid PRIMARY KEY,
            participant_ref  text NOT NULL UNIQUE,
            follow_up_type   text NOT NULL,
            partner_id       text NOT NULL,
            starts_on        date NOT NULL,
            agreements       jsonb NOT NULL,
            agreed_on        date NOT NULL
        );

        CREATE TABLE planning_placements (
            placement_request_id  uuid PRIMARY KEY,
            participant_ref       text NOT NULL,
            activity              text NOT NULL,
            needed_by             date NOT NULL,
            hours_per_week        numeric(6, 2) NOT NULL,
            status                text NOT NULL,
            escalations           integer NOT NULL DEFAULT 0,
            placement_id          uuid,
            requested_on          date NOT NULL
        );
        CREATE INDEX planning_placements_ref ON planning_placements (participant_ref);
        """
    )


def downgrade() -> None:
    execute_script(
        """
        DROP TABLE planning_placements, planning_follow_ups, planning_reviews,
            planning_attendance, planning_schedules, planning_waiting_list,
            planning_group_members, planning_groups, planning_programmes,
            planning_preconditions, planning_plans
        """
    )
