"""The audit trail of users' actions about participants (zroute_runtime.audit), in
every service's database.

Revision ID: r0011
"""

from zroute_runtime.migrate import execute_script

revision = "r0011"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE zr_audit_trail (
            id              bigserial PRIMARY KEY,
            participant_ref text NOT NULL,
            action          text NOT NULL,
            actor           text NOT NULL,
            actor_roles     text[] NOT NULL,
            at              timestamptz NOT NULL,
            service         text NOT NULL
        );
        CREATE INDEX zr_audit_trail_participant ON zr_audit_trail (participant_ref, at);
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE zr_audit_trail;")
