"""Runtime tables: outbox, its sequence counter, inbox and durable timers.

Revision ID: r0001
"""

from zroute_runtime.migrate import execute_script

revision = "r0001"
down_revision = None
branch_labels = ("runtime",)
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE zr_outbox (
            id              bigserial PRIMARY KEY,
            sequence        bigint NOT NULL UNIQUE,
            event_id        uuid NOT NULL UNIQUE,
            event_type      text NOT NULL,
            routing_key     text NOT NULL,
            ordering_key    text NOT NULL,
            body            text NOT NULL,
            created_at      timestamptz NOT NULL DEFAULT now(),
            published_at    timestamptz,
            attempts        integer NOT NULL DEFAULT 0,
            last_error      text,
            next_attempt_at timestamptz
        );
        CREATE INDEX zr_outbox_unpublished ON zr_outbox (sequence) WHERE published_at IS NULL;
        CREATE INDEX zr_outbox_unpublished_key
            ON zr_outbox (ordering_key, sequence) WHERE published_at IS NULL;

        -- One row per source; its row lock is what orders committing writers (see outbox.py).
        CREATE TABLE zr_outbox_sequence (
            source     text PRIMARY KEY,
            last_value bigint NOT NULL
        );

        CREATE TABLE zr_inbox (
            consumer    text NOT NULL,
            event_id    uuid NOT NULL,
            event_type  text NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id)
        );

        CREATE TABLE zr_timers (
            id          bigserial PRIMARY KEY,
            kind        text NOT NULL,
            key         text NOT NULL,
            due_at      timestamptz NOT NULL,
            payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
            created_at  timestamptz NOT NULL DEFAULT now(),
            fired_at    timestamptz,
            cancelled_at timestamptz,
            attempts    integer NOT NULL DEFAULT 0,
            last_error  text,
            UNIQUE (kind, key)
        );
        CREATE INDEX zr_timers_due ON zr_timers (due_at)
            WHERE fired_at IS NULL AND cancelled_at IS NULL;
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE zr_timers, zr_inbox, zr_outbox_sequence, zr_outbox")
