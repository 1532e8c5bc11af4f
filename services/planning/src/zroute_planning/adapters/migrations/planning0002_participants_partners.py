"""Registered participants (their municipality, for scoping caseworkers) and the partner
registry as support publishes it.

Revision ID: planning0002
"""

from zroute_runtime.migrate import execute_script

revision = "planning0002"
down_revision = "planning0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE planning_participants (
            participant_ref  text PRIMARY KEY,
            programme_id     text NOT NULL,
            municipality     text NOT NULL,
            registered_on    date
        );

        CREATE TABLE planning_partners (
            partner_id    text PRIMARY KEY,
            capabilities  jsonb NOT NULL,
            active        boolean NOT NULL
        );
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE planning_partners, planning_participants")
