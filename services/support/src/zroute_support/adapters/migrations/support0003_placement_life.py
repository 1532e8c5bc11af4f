"""A confirmed placement's life cycle (issue 17): the day it started, why it ended, and
who recorded each step when; the order in which a referral's messages were written.

Revision ID: support0003
"""

from zroute_runtime.migrate import execute_script

revision = "support0003"
down_revision = "support0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_placements ADD COLUMN started_on date,
            ADD COLUMN end_reason text;
        CREATE TABLE support_placement_history (
            id                   bigserial PRIMARY KEY,
            placement_request_id uuid NOT NULL REFERENCES support_placements,
            action               text NOT NULL,
            reason               text,
            recorded_by          text NOT NULL,
            recorded_at          timestamptz NOT NULL
        );
        -- Two messages in the same instant (a simulated clock) keep the order they came in.
        ALTER TABLE support_referral_messages ADD COLUMN seq bigserial;
        """
    )


def downgrade() -> None:
    execute_script("ALTER TABLE support_placements DROP COLUMN started_on, DROP COLUMN end_reason;")
