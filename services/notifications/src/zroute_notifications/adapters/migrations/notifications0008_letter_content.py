"""A start letter keeps what it prints (issue 20): the content as JSON, the PDF rendered
when the letter is first asked for and kept from then on. Rendering took about a second
of CPU per letter, and most letters of a route are superseded before anyone prints them.
Letters written before keep their PDF and have no content.

Revision ID: notifications0008
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0008"
down_revision = "notifications0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        "ALTER TABLE nt_letters ADD COLUMN content jsonb, ALTER COLUMN pdf DROP NOT NULL,"
        " ADD CONSTRAINT nt_letters_printable CHECK (pdf IS NOT NULL OR content IS NOT NULL);"
    )


def downgrade() -> None:
    # A letter never asked for has no PDF yet; the old schema needs one: it is dropped,
    # as a letter the caseworker never printed.
    execute_script(
        "DELETE FROM nt_letters WHERE pdf IS NULL;"
        " ALTER TABLE nt_letters DROP CONSTRAINT nt_letters_printable, DROP COLUMN content,"
        " ALTER COLUMN pdf SET NOT NULL;"
    )
