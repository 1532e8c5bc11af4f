"""Care pauses on a referral (issue 17 point 5): who recorded the start and the end, when.

Revision ID: support0008
"""

from zroute_runtime.migrate import execute_script

revision = "support0008"
down_revision = "support0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        CREATE TABLE support_care_pauses (
            pause_id        uuid PRIMARY KEY,
            referral_id     uuid NOT NULL REFERENCES support_referrals,
            participant_ref text NOT NULL,
            programme_id    text NOT NULL,
            kind            text NOT NULL,
            paused_from     date NOT NULL,
            expected_until  date,
            recorded_by     text NOT NULL,
            recorded_at     timestamptz NOT NULL,
            ended_on        date,
            ended_by        text,
            ended_at        timestamptz
        );
        CREATE INDEX support_care_pauses_referral ON support_care_pauses (referral_id);
        -- One open care pause per referral, whatever two coordinators do at once.
        CREATE UNIQUE INDEX support_care_pauses_open ON support_care_pauses (referral_id)
            WHERE ended_on IS NULL;
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE support_care_pauses;")
