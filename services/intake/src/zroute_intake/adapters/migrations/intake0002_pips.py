"""PIP tables: the case (draft, objections, deadline facts, DUO's decisions), its
established versions, and who changed what.

Revision ID: intake0002
"""

from zroute_runtime.migrate import execute_script

revision = "intake0002"
down_revision = "intake0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        -- One row per participant with a PIP case. Codes, numbers and dates only.
        CREATE TABLE intake_pips (
            participant_ref    text PRIMARY KEY REFERENCES intake_participants (ref),
            version            integer NOT NULL,
            draft              jsonb,
            objections         jsonb NOT NULL,
            -- The ten weeks of B 5.3: DUO's notice, a later BRP registration, and the
            -- information awaited from third parties that holds the deadline.
            duo_notice_on      date,
            brp_registered_on  date,
            information_waits  jsonb NOT NULL,
            -- DUO's decisions as recorded: extensions of the term, an exemption or release.
            extensions         jsonb NOT NULL,
            release            jsonb,
            updated_at         timestamptz NOT NULL
        );

        -- The established versions of the decision (beschikking); never updated.
        CREATE TABLE intake_pip_versions (
            participant_ref  text NOT NULL REFERENCES intake_pips (participant_ref),
            number           integer NOT NULL,
            dated            date NOT NULL,
            reason           text,
            established_by   text NOT NULL,
            content          jsonb NOT NULL,
            PRIMARY KEY (participant_ref, number)
        );

        -- Every change: what (a code), by whom (the token subject), when.
        CREATE TABLE intake_pip_changes (
            id               bigserial PRIMARY KEY,
            participant_ref  text NOT NULL REFERENCES intake_pips (participant_ref),
            action           text NOT NULL,
            changed_by       text NOT NULL,
            changed_at       timestamptz NOT NULL
        );
        CREATE INDEX intake_pip_changes_ref ON intake_pip_changes (participant_ref, id);
        """
    )


def downgrade() -> None:
    execute_script("DROP TABLE intake_pip_changes, intake_pip_versions, intake_pips")
