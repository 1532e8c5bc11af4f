"""The personal page's second factor (issue 18): wrong dates of birth counted per link,
and the link locked for a while after too many. The link id only: no date, no reference.

Revision ID: notifications0005
"""

from zroute_runtime.migrate import execute_script

revision = "notifications0005"
down_revision = "notifications0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE nt_page_attempts (
            link_id       text PRIMARY KEY REFERENCES nt_page_links (link_id),
            failures      integer NOT NULL,
            locked_until  timestamptz,
            updated_at    timestamptz NOT NULL
        );
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE nt_page_attempts;")
