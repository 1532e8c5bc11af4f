"""The partners' relations with participants, as planning and support report them (issue
18): a group the partner teaches, a placement it coaches or hosts, a referral it accepted.
The contact card is given only while one is current. Codes and days only, no personal
data.

Revision ID: intake0007
"""

from zroute_runtime.migrate import execute_script

revision = "intake0007"
down_revision = "intake0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        -- Which partner teaches a group (group-formed); a member's relation names the
        -- group only, since a participant may join before intake hears of the group.
        CREATE TABLE intake_group_partners (
            group_id    uuid PRIMARY KEY,
            partner_id  text NOT NULL
        );

        CREATE TABLE intake_relations (
            participant_ref  text NOT NULL,
            kind             text NOT NULL,
            -- The group, placement or referral the relation comes from.
            subject_id       uuid NOT NULL,
            -- Empty for a group membership: the group's partner is in intake_group_partners.
            partner_id       text NOT NULL DEFAULT '',
            -- For an accepted referral: the care consent it was made under.
            consent_id       uuid,
            -- NULL while it has not started (a referral requested, not yet accepted).
            since            date,
            until            date,
            updated_at       timestamptz NOT NULL,
            PRIMARY KEY (participant_ref, kind, subject_id, partner_id)
        );
        CREATE INDEX intake_relations_subject ON intake_relations (subject_id);
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE intake_relations; DROP TABLE intake_group_partners;")
