"""The management report's projection (hours from planning, referrals from support) and
what DUO sends (exam results, the certificate, and each import with its refused rows).

Codes, numbers and dates only. A branch of its own after intake0003: other migrations of
issue 15 (intake0004, ...) do not depend on it, and ``upgrade heads`` applies them all.

Revision ID: intake0005
"""

from zroute_runtime.migrate import execute_script

revision = "intake0005"
down_revision = "intake0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_script(
        """
        -- Attendance as planning reported it (attendance-recorded, -corrected): one line
        -- per participant, session and kind; a correction overwrites the line.
        CREATE TABLE intake_report_hours (
            participant_ref  text NOT NULL,
            session_id       uuid NOT NULL,
            kind             text NOT NULL,
            session_on       date NOT NULL,
            status           text NOT NULL,
            hours            numeric(6, 2) NOT NULL,
            PRIMARY KEY (participant_ref, session_id, kind)
        );

        -- Referrals as support reported them: when asked, answered and closed (no
        -- category: the care details stay with the care partner).
        CREATE TABLE intake_report_referrals (
            referral_id      uuid PRIMARY KEY,
            participant_ref  text NOT NULL,
            requested_at     timestamptz,
            answered_at      timestamptz,
            answer           text,
            completed_at     timestamptz
        );
        CREATE INDEX intake_report_referrals_ref ON intake_report_referrals (participant_ref);

        -- What DUO sent that intake has no other record for: exam results, the
        -- certificate. The payload holds codes and dates only.
        CREATE TABLE intake_duo_records (
            id               bigserial PRIMARY KEY,
            participant_ref  text NOT NULL REFERENCES intake_participants (ref),
            kind             text NOT NULL,
            payload          jsonb NOT NULL,
            import_id        bigint,
            recorded_by      text NOT NULL,
            recorded_at      timestamptz NOT NULL
        );
        CREATE INDEX intake_duo_records_ref ON intake_duo_records (participant_ref, id);

        -- Every import of a DUO file: who, when, how many rows, and each refused row
        -- with its reason and its original text, so that nothing DUO sent is lost.
        CREATE TABLE intake_duo_imports (
            id               bigserial PRIMARY KEY,
            municipality     text,
            imported_by      text NOT NULL,
            imported_at      timestamptz NOT NULL,
            rows_total       integer NOT NULL,
            rows_accepted    integer NOT NULL,
            refused          jsonb NOT NULL
        );
        """
    )


def downgrade() -> None:
    execute_script(
        "DROP TABLE intake_duo_imports, intake_duo_records,"
        " intake_report_referrals, intake_report_hours"
    )
