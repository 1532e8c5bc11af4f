"""Probe service table: one row per effect a handler had.

Revision ID: p0001
"""

from zroute_runtime.migrate import execute_script

revision = "p0001"
down_revision = None
branch_labels = ("probe",)
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE probe_effects (
            id          bigserial PRIMARY KEY,
            event_id    uuid NOT NULL,
            subject     text NOT NULL,
            handled_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE probe_timer_effects (
            id        bigserial PRIMARY KEY,
            timer_key text NOT NULL,
            fired_by  text NOT NULL
        );
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE probe_timer_effects, probe_effects")
