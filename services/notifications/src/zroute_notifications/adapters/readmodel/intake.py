"""Read model writers for the events of the intake service."""

from __future__ import annotations

from datetime import datetime

from zroute_contract.events import intake as i

from zroute_notifications.adapters.readmodel import (
    Conn,
    ensure_participant,
    set_status,
    update_item,
)


async def registered(conn: Conn, e: i.ParticipantRegistered) -> None:
    """The participant and the language of their messages. A registration that arrives
    again (a replay, a re-publish) sets the language again, except one a later
    ``personal-data-changed`` gave: that it must not undo."""
    await conn.execute(
        "INSERT INTO nt_participants (participant_ref, programme_id, municipality,"
        " preferred_language) VALUES ($1, $2, $3, $4) ON CONFLICT (participant_ref) DO UPDATE"
        " SET municipality = coalesce(nt_participants.municipality, EXCLUDED.municipality),"
        " preferred_language = CASE WHEN nt_participants.language_changed"
        " THEN nt_participants.preferred_language ELSE EXCLUDED.preferred_language END",
        e.participant_ref,
        e.programme_id,
        e.municipality,
        e.preferred_language,
    )


async def personal_data_changed(conn: Conn, e: i.PersonalDataChanged) -> None:
    """A new preferred language (a code; an address or phone never travels): the
    participant's messages and letters are written in it from now on."""
    if e.preferred_language is None:
        return
    await conn.execute(
        "UPDATE nt_participants SET preferred_language = $2, language_changed = true"
        " WHERE participant_ref = $1",
        e.participant_ref,
        e.preferred_language,
    )


async def _next_appointment(conn: Conn, ref: str, starts_at: datetime, location_id: str) -> None:
    await conn.execute(
        "INSERT INTO nt_appointments (participant_ref, starts_at, location_id)"
        " VALUES ($1, $2, $3) ON CONFLICT (participant_ref) DO UPDATE"
        " SET starts_at = EXCLUDED.starts_at, location_id = EXCLUDED.location_id",
        ref,
        starts_at,
        location_id,
    )


async def intake_scheduled(conn: Conn, e: i.IntakeScheduled) -> None:
    """The participant's next appointment (a later event for the intake replaces it)."""
    await _next_appointment(conn, e.participant_ref, e.starts_at, e.location_id)


async def intake_cancelled(conn: Conn, e: i.IntakeCancelled) -> None:
    """The intake called off is no longer the participant's next appointment (only when it
    still is: a progress meeting may have taken its place)."""
    await conn.execute(
        "DELETE FROM nt_appointments WHERE participant_ref = $1 AND starts_at = $2",
        e.participant_ref,
        e.starts_at,
    )


async def progress_meeting(conn: Conn, e: i.ProgressMeetingScheduled) -> None:
    """A progress meeting is the participant's next appointment, shown on their page like
    the intake (a rescheduled meeting replaces it)."""
    await _next_appointment(conn, e.participant_ref, e.starts_at, e.location_id)


async def contact(conn: Conn, e: i.ContactPersonAssigned) -> None:
    await ensure_participant(conn, e.participant_ref, e.programme_id)
    caseworker = e.contact.staff_ref if e.contact.role.value == "caseworker" else None
    await conn.execute(
        """
        INSERT INTO nt_contacts (participant_ref, staff_ref, role, partner_id, caseworker_ref)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (participant_ref) DO UPDATE SET staff_ref = EXCLUDED.staff_ref,
            role = EXCLUDED.role, partner_id = EXCLUDED.partner_id,
            caseworker_ref = coalesce(EXCLUDED.caseworker_ref, nt_contacts.caseworker_ref)
        """,
        e.participant_ref,
        e.contact.staff_ref,
        e.contact.role.value,
        e.contact.partner_id,
        caseworker,
    )


async def intake(conn: Conn, e: i.IntakeCompleted) -> None:
    await ensure_participant(conn, e.participant_ref, e.programme_id)
    await conn.execute(
        "UPDATE nt_participants SET childcare_needed = $2, transport_needed = $3,"
        " status = CASE WHEN status = 'registered' THEN 'intake_completed' ELSE status END,"
        " municipality = coalesce(municipality, $4)"
        " WHERE participant_ref = $1",
        e.participant_ref,
        e.childcare.needed,
        e.transport.needed,
        e.municipality,
    )
    for kind, needed in (("childcare", e.childcare.needed), ("transport", e.transport.needed)):
        item_id = f"{e.participant_ref}:{kind}"
        if needed:
            await conn.execute(
                "INSERT INTO nt_items (kind, item_id, programme_id, participant_ref, status, open,"
                " detail) VALUES ('precondition', $1, $2, $3, 'missing', true, $4)"
                " ON CONFLICT (kind, item_id) DO NOTHING",
                item_id,
                e.programme_id,
                e.participant_ref,
                kind,
            )
        else:
            await update_item(conn, "precondition", item_id, "not_needed", False)


async def withdrawn(conn: Conn, e: i.ParticipantWithdrawn) -> None:
    await set_status(conn, e.participant_ref, "withdrawn")
    await conn.execute(
        "UPDATE nt_items SET open = false WHERE participant_ref = $1", e.participant_ref
    )


async def moved_in(conn: Conn, e: i.ParticipantMovedIn) -> None:
    """The new municipality imported the dossier (W 15(4)): the participant's items,
    letters and messages are its staff's from now on, and no longer the old one's."""
    await conn.execute(
        "INSERT INTO nt_participants (participant_ref, programme_id, municipality)"
        " VALUES ($1, $2, $3) ON CONFLICT (participant_ref) DO UPDATE"
        " SET municipality = EXCLUDED.municipality",
        e.participant_ref,
        e.programme_id,
        e.to_municipality,
    )


async def consent(conn: Conn, e: i.ConsentRecorded) -> None:
    await conn.execute(
        "INSERT INTO nt_consents (consent_id, participant_ref, purpose, partner_id)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (consent_id) DO NOTHING",
        e.consent_id,
        e.participant_ref,
        e.purpose.value,
        e.partner_id,
    )


async def consent_withdrawn(conn: Conn, e: i.ConsentWithdrawn) -> None:
    await conn.execute(
        "INSERT INTO nt_consents (consent_id, participant_ref, purpose, withdrawn_on)"
        " VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (consent_id) DO UPDATE SET withdrawn_on = EXCLUDED.withdrawn_on",
        e.consent_id,
        e.participant_ref,
        e.purpose.value,
        e.withdrawn_on,
    )
