"""Rules that hold (issue 16 item 7): the municipality's recorded decision that waives a
route's hours targets at completion, and a participant's own ramp-up pace. Groups by hand
(item 6): every manual change with its reason, and level bands set after a level test.
Maatwerk modules that count (item 4): provider, hours, completion, and who added or
removed them and why.

Revision ID: planning0010
"""

from zroute_runtime.migrate import execute_script

revision = "planning0010"
# Branches from 0007: the calendar's migrations (0008, 0009) are another head; the service
# upgrades to every head.
down_revision = "planning0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE planning_target_waivers (
            waiver_id uuid PRIMARY KEY,
            participant_ref text NOT NULL,
            decided_on date NOT NULL,
            decision_ref text,
            reason text NOT NULL,
            recorded_by text NOT NULL,
            recorded_at timestamptz NOT NULL
        );
        CREATE INDEX planning_target_waivers_ref ON planning_target_waivers (participant_ref);
        CREATE TABLE planning_ramp_ups (
            participant_ref text PRIMARY KEY,
            pace_percent integer NOT NULL CHECK (pace_percent BETWEEN 100 AND 400),
            reason text NOT NULL,
            set_by text NOT NULL,
            set_at timestamptz NOT NULL
        );
        CREATE TABLE planning_group_changes (
            change_id bigserial PRIMARY KEY,
            group_id uuid NOT NULL,
            participant_ref text,
            action text NOT NULL,
            reason text NOT NULL,
            changed_by text NOT NULL,
            changed_at timestamptz NOT NULL
        );
        CREATE INDEX planning_group_changes_group ON planning_group_changes (group_id);
        CREATE TABLE planning_level_tests (
            test_id bigserial PRIMARY KEY,
            participant_ref text NOT NULL,
            level_band text NOT NULL,
            tested_on date NOT NULL,
            reason text NOT NULL,
            recorded_by text NOT NULL,
            recorded_at timestamptz NOT NULL
        );
        CREATE INDEX planning_level_tests_ref ON planning_level_tests (participant_ref);
        CREATE TABLE planning_plan_modules (
            participant_ref text NOT NULL,
            module text NOT NULL,
            provider_id text,
            hours numeric NOT NULL DEFAULT 0,
            added_by text NOT NULL,
            added_reason text NOT NULL,
            added_at timestamptz NOT NULL,
            completed_on date,
            completed_hours numeric,
            completed_by text,
            removed_by text,
            removed_reason text,
            removed_at timestamptz,
            PRIMARY KEY (participant_ref, module, added_at)
        );
        """
    )


def downgrade() -> None:
    execute_script(
        "DROP TABLE planning_plan_modules;"
        " DROP TABLE planning_level_tests; DROP TABLE planning_group_changes;"
        " DROP TABLE planning_ramp_ups; DROP TABLE planning_target_waivers;"
    )
