"""What each start letter showed, as a digest (issue 20): a schedule published again with
the same week, places, contact and appointment makes no new letter while the last one's
link still works. A digest of codes and times only; letters before it have none. The
order letters were written in is kept too: with a fixed clock (the demo, the tests) two
letters share a created_at, and "the newest" must still be one.

Revision ID: notifications0006
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0006"
down_revision = "notifications0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        "ALTER TABLE nt_letters ADD COLUMN content_digest text, ADD COLUMN written_seq bigserial;"
    )


def downgrade() -> None:
    execute_script("ALTER TABLE nt_letters DROP COLUMN content_digest, DROP COLUMN written_seq;")
