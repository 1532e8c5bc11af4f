"""Name search over encrypted names: a keyed hash (HMAC) of each normalised name part
(zroute_intake.domain.name_search), never the part itself. Participants registered
before this revision are not found by name: indexing them needs the hash key and the
decryption key, which a migration does not have (a re-index command is still to come,
docs/ui.md).

Revision ID: intake0011
"""

from zroute_runtime.migrate import execute_script

revision = "intake0011"
down_revision = "intake0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE intake_name_parts (
            ref        text NOT NULL REFERENCES intake_participants (ref),
            part_hash  bytea NOT NULL,
            PRIMARY KEY (ref, part_hash)
        );
        CREATE INDEX intake_name_parts_hash ON intake_name_parts (part_hash);
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE intake_name_parts;")
