"""The places (issue 18): a location code's name and address, so the participant's week
can say where. Configuration of the organisation's buildings, not personal data.

A head of its own (from planning0009): ``upgrade heads`` runs it beside other branches.

Revision ID: planning0011
"""

from zroute_runtime.migrate import execute_script

revision = "planning0011"
down_revision = "planning0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE planning_places (
            location_id   text PRIMARY KEY,
            name          text NOT NULL,
            address       text NOT NULL,
            recorded_by   text NOT NULL,
            recorded_at   timestamptz NOT NULL
        );
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE planning_places")
