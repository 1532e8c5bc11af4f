"""Issue 16: an agreement names the partner that provides each curriculum module no task
of the route covers (the participatieverklaringstraject, PVT): ``[[module, partner], ...]``.

Revision ID: support0011
"""

from zroute_runtime.migrate import execute_script

revision = "support0011"
down_revision = "support0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_agreements ADD COLUMN module_providers jsonb NOT NULL DEFAULT '[]';
        """
    )


def downgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_agreements DROP COLUMN module_providers;
        """
    )
