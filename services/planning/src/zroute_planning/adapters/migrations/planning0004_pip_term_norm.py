"""The PIP drives the plan: the term's start, the participant's hours norm (B 3.14), and
the intake outcomes held until the PIP is established.

Revision ID: planning0004
"""

from zroute_runtime.migrate import execute_script

revision = "planning0004"
down_revision = "planning0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE planning_plans
            ADD COLUMN term_start date,
            ADD COLUMN norm_course numeric NOT NULL DEFAULT 800,
            ADD COLUMN norm_participation numeric NOT NULL DEFAULT 800,
            ADD COLUMN norm_reduced boolean NOT NULL DEFAULT false,
            ADD COLUMN credited_course numeric NOT NULL DEFAULT 0,
            ADD COLUMN credited_participation numeric NOT NULL DEFAULT 0;
        -- A completed intake's outcome (codes only), kept until the PIP activates the plan.
        CREATE TABLE planning_held_intakes (
            participant_ref text PRIMARY KEY,
            outcome jsonb NOT NULL,
            held_at timestamptz NOT NULL DEFAULT now()
        );
        """
    )


def downgrade() -> None:
    execute_script(
        """
        DROP TABLE planning_held_intakes;
        ALTER TABLE planning_plans
            DROP COLUMN term_start, DROP COLUMN norm_course, DROP COLUMN norm_participation,
            DROP COLUMN norm_reduced, DROP COLUMN credited_course,
            DROP COLUMN credited_participation;
        """
    )
