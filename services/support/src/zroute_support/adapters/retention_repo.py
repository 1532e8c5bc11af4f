"""What support deletes when intake deletes a participant's records (B 9.9,
``participant-records-deleted``; docs/support.md, "Retention"). The SQL lives here.

With the personal data the free text goes: the messages between the referrer and the care
partner and the referral's note and supporting information (they may hold names and
health details, W 37); the codes stay, as intake keeps its own. With the core data every
row of the participant goes: support keeps no figures anyone must account for after it
(the hours a partner delivered are planning's attendance lines)."""

from __future__ import annotations

from zroute_runtime.repository import TrackingRepository
from zroute_runtime.retention import RowsOf, delete_rows

_REFERRALS = "referral_id IN (SELECT referral_id FROM support_referrals WHERE participant_ref = $1)"
_PLACEMENTS = (
    "placement_request_id IN"
    " (SELECT placement_request_id FROM support_placements WHERE participant_ref = $1)"
)

# Children before parents (the foreign keys), the participant's own row last.
DELETED: tuple[RowsOf, ...] = (
    ("support_care_pauses", "participant_ref"),
    ("support_referral_messages", _REFERRALS),
    ("support_referral_context", _REFERRALS),
    ("support_referral_history", _REFERRALS),
    ("support_referrals", "participant_ref"),
    (
        "support_check_ins",
        "placement_id IN (SELECT placement_id FROM support_placements WHERE participant_ref = $1)",
    ),
    ("support_placement_history", _PLACEMENTS),
    ("support_placements", "participant_ref"),
    ("support_care_signals", "participant_ref"),
    ("support_consent_overrides", "participant_ref"),
    ("support_consents", "participant_ref"),
    ("support_interpreter_requests", "participant_ref"),
    ("support_planned_days", "participant_ref"),
    ("support_preconditions", "participant_ref"),
    ("support_reassignments", "participant_ref"),
    ("support_schedules", "participant_ref"),
    ("support_waiting_list", "participant_ref"),
    ("support_participants", "participant_ref"),
    ("zr_audit_trail", "participant_ref"),
)


class RetentionRepository(TrackingRepository):
    """``uow.retention``: a participant's rows at the end of intake's retention periods."""

    async def erase_free_text(self, ref: str) -> None:
        """Drop the referrals' messages, notes and supporting information; codes stay."""
        await self.conn.execute(f"DELETE FROM support_referral_messages WHERE {_REFERRALS}", ref)
        await self.conn.execute(
            "UPDATE support_referral_context SET note = NULL, supporting_info = '{}'"
            f" WHERE {_REFERRALS}",
            ref,
        )

    async def delete_participant(self, ref: str) -> int:
        """Delete every row of the participant; how many went."""
        return await delete_rows(self.conn, DELETED, ref)
