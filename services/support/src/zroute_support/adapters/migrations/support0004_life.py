"""Issue 17, the rest: the employer registry (name, municipalities, contact points; who
registered it), the check-in rhythm of a placement and the ended placement a request is
served again for, who made each referral transition and arrangement, and the configurable
kinds of precondition.

Employers seen before the registry (only ``first_seen``) stay as rows but are not
registered: a new confirmation must name a registered employer.

Revision ID: support0004
"""

from zroute_runtime.migrate import execute_script

revision = "support0004"
down_revision = "support0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_employers
            ADD COLUMN name           text,
            ADD COLUMN municipalities text[] NOT NULL DEFAULT '{}',
            ADD COLUMN contact_points jsonb NOT NULL DEFAULT '[]',
            ADD COLUMN registered_by  text,
            ADD COLUMN registered_at  timestamptz;
        -- A replaced placement's request is served again under the same request id (the
        -- one planning knows) with a new placement id: ``replaces`` keeps the ended one,
        -- whose check-ins stay (so they no longer point at the current placement row).
        ALTER TABLE support_placements
            ADD COLUMN check_in_every_days integer,
            ADD COLUMN last_check_in       date,
            ADD COLUMN replaces            uuid;
        ALTER TABLE support_check_ins DROP CONSTRAINT support_check_ins_placement_id_fkey;
        ALTER TABLE support_referral_history ADD COLUMN recorded_by text;
        -- Tasks a programme's agreement does not offer, with the reason: [[task, reason]].
        ALTER TABLE support_agreements ADD COLUMN not_offered jsonb NOT NULL DEFAULT '[]';
        -- The weekdays of the group a participant is in, from planning's group events:
        -- the schedule that will be published, for arrangements made before it is.
        CREATE TABLE support_groups (
            group_id   uuid PRIMARY KEY,
            weekdays   text[] NOT NULL,
            starts_on  date NOT NULL
        );
        CREATE TABLE support_planned_days (
            participant_ref text PRIMARY KEY,
            group_id        uuid NOT NULL,
            weekdays        text[] NOT NULL,
            planned_from    date NOT NULL
        );
        ALTER TABLE support_preconditions
            ADD COLUMN recorded_by text,
            ADD COLUMN recorded_at timestamptz;
        """
    )


def downgrade() -> None:
    execute_script(
        """
        ALTER TABLE support_preconditions DROP COLUMN recorded_by, DROP COLUMN recorded_at;
        ALTER TABLE support_referral_history DROP COLUMN recorded_by;
        ALTER TABLE support_agreements DROP COLUMN not_offered;
        DROP TABLE support_planned_days, support_groups;
        ALTER TABLE support_placements DROP COLUMN check_in_every_days,
            DROP COLUMN last_check_in, DROP COLUMN replaces;
        ALTER TABLE support_employers DROP COLUMN name, DROP COLUMN municipalities,
            DROP COLUMN contact_points, DROP COLUMN registered_by, DROP COLUMN registered_at;
        """
    )
