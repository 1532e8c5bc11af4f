"""Webhook subscriptions remember the endpoint's consent from the validation handshake:
when it was given, the rate it granted, and when the last request went (for pacing).

Revision ID: notifications0002
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0002"
down_revision = "notifications0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Subscriptions made before the handshake existed count as validated when made.
    execute_script(
        """
        ALTER TABLE nt_subscriptions
            ADD COLUMN validated_at    timestamptz,
            ADD COLUMN allowed_rate    integer CHECK (allowed_rate > 0),
            ADD COLUMN last_request_at timestamptz;
        UPDATE nt_subscriptions SET validated_at = created_at;
        ALTER TABLE nt_subscriptions ALTER COLUMN validated_at SET NOT NULL;
        """
    )


def downgrade() -> None:
    execute_script(
        """
        ALTER TABLE nt_subscriptions
            DROP COLUMN validated_at, DROP COLUMN allowed_rate, DROP COLUMN last_request_at;
        """
    )
