"""Room in the outbox's pages for the relay's lease: every row is updated once to lease
it (``next_attempt_at``, no index covers it) before it is marked published. With room on
its page, that update is a heap-only tuple (HOT): no new entry in the outbox's five
indexes. Packed pages (fillfactor 100) made it cost as much PostgreSQL CPU as the rest of
the relay's work (relay.py, docs/benchmarks.md "Fifth pass: the relay").

Revision ID: r0012
"""

from zroute_runtime.migrate import execute_script

revision = "r0012"
down_revision = "r0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Applies to pages written from now on; the existing ones are mostly published rows.
    execute_script("ALTER TABLE zr_outbox SET (fillfactor = 50);")


def downgrade() -> None:
    execute_script("ALTER TABLE zr_outbox RESET (fillfactor);")
