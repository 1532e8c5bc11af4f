"""What notifications deletes when intake deletes a participant's records (B 9.9,
``participant-records-deleted``; docs/notifications.md, "Retention"). The SQL lives here.

With the personal data goes what was written to or about the participant: the letters
(PDFs with name and address), the personal page's links, the participant's messages, and
the wording of the messages sent about them (which may name them); who was told what and
when stays, as codes. With the core data every row about the participant goes, the
events kept for the digests and the overview included, and their reference leaves the
webhook subscriptions that named it. Nothing is kept for figures: the overview's hours
are planning's."""

from __future__ import annotations

from zroute_runtime.repository import TrackingRepository
from zroute_runtime.retention import RowsOf, delete_rows

_LINKS = "link_id IN (SELECT link_id FROM nt_page_links WHERE participant_ref = $1)"
_EVENTS = "event_id IN (SELECT event_id FROM nt_events WHERE subject = $1)"
_NOTIFICATIONS = "notification_id IN (SELECT id FROM nt_notifications WHERE participant_ref = $1)"

PERSONAL: tuple[RowsOf, ...] = (
    ("nt_letters", "participant_ref"),
    ("nt_page_attempts", _LINKS),
    ("nt_page_links", "participant_ref"),
    ("nt_participant_messages", "participant_ref"),
)
# Children before parents (the foreign keys and the rows that hang on an event's id).
DELETED: tuple[RowsOf, ...] = (
    *PERSONAL,
    ("nt_digest_items", _EVENTS),
    ("nt_operator_alerts", _NOTIFICATIONS),
    ("nt_notifications", "participant_ref"),
    ("nt_events", "subject"),
    ("nt_appointments", "participant_ref"),
    ("nt_attendance", "participant_ref"),
    ("nt_consents", "participant_ref"),
    ("nt_contacts", "participant_ref"),
    ("nt_items", "participant_ref"),
    ("nt_placements", "participant_ref"),
    ("nt_schedules", "participant_ref"),
    ("nt_participants", "participant_ref"),
    ("zr_audit_trail", "participant_ref"),
)


class RetentionRepository(TrackingRepository):
    """``uow.retention``: a participant's rows at the end of intake's retention periods."""

    async def erase_personal_data(self, ref: str) -> None:
        """Drop the letters, links and messages to the participant, and the wording of
        the messages about them."""
        await delete_rows(self.conn, PERSONAL, ref)
        await self.conn.execute(
            "UPDATE nt_notifications SET subject = '', body_text = '', body_html = ''"
            " WHERE participant_ref = $1",
            ref,
        )

    async def delete_participant(self, ref: str) -> int:
        """Delete every row about the participant; how many went."""
        await self.conn.execute(
            "UPDATE nt_subscriptions SET participant_refs = array_remove(participant_refs, $1)"
            " WHERE $1 = ANY(participant_refs)",
            ref,
        )
        return await delete_rows(self.conn, DELETED, ref)
