"""Issue 18 item 4: a referral's intake asks for an interpreter in the participant's
language, so support keeps the two codes ``participant-registered`` carries: the preferred
language (ISO 639) and whether conversations need an interpreter. Codes, no personal data.
NULL for participants registered before: a referral's intake then names the language.

Revision ID: support0010
"""

from zroute_runtime.migrate import execute_script

revision = "support0010"
down_revision = "support0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_participants
            ADD COLUMN preferred_language text,
            ADD COLUMN interpreter_needed boolean;
        """
    )


def downgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_participants DROP COLUMN preferred_language,
            DROP COLUMN interpreter_needed;
        """
    )
