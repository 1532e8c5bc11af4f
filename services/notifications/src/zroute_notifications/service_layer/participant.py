"""What the participant's letter, page and audio say, gathered from the read model: their
language, the week, the next appointment and the contact person (name and phone from the
staff directory). No name, address or phone of the participant: this service has none."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from zroute_letters.catalogue import DUTCH
from zroute_letters.content import Contact, LetterContent, Session
from zroute_runtime.clock import local_timezone

from zroute_notifications.domain.participant import appointment, location_ids, week
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork


async def language_of(uow: NotificationsUnitOfWork, ref: str) -> str:
    """The participant's preferred language (participant-registered), Dutch when unknown."""
    profile = await uow.participants.profile(ref)
    return (profile and profile["preferred_language"]) or DUTCH


def local(moment: datetime) -> datetime:
    """A moment on the local clock (ZROUTE_TIMEZONE)."""
    return moment.astimezone(local_timezone())


async def places_of(deps: Deps, codes: set[str]) -> dict[str, str]:
    """Name and address of each location code, as one line (planning's places)."""
    if deps.places is None or not codes:
        return {}
    return {code: place.line() for code, place in (await deps.places.places(codes)).items()}


async def letter_content(
    uow: NotificationsUnitOfWork,
    deps: Deps,
    ref: str,
    page_url: str,
    schedule: dict[str, Any] | None = None,
) -> LetterContent | None:
    """The start letter's (and the page's) content; None for a participant never registered.

    The greeting is general: the caseworker or the print house adds name and address."""
    profile = await uow.participants.profile(ref)
    if profile is None:
        return None
    schedule = schedule or await uow.participants.schedule(ref)
    booked = await uow.participants.appointment(ref)
    upcoming = booked is not None and booked["starts_at"] > uow.clock.now()
    codes = location_ids(schedule) if schedule else set()
    if booked is not None and upcoming and booked["location_id"]:
        codes.add(str(booked["location_id"]))
    places = await places_of(deps, codes)
    sessions: tuple[Session, ...] = week(schedule, places=places) if schedule else ()
    settings = deps.settings
    return LetterContent(
        language=profile["preferred_language"] or DUTCH,
        salutation_name=None,
        sessions=sessions,
        next_appointment=(
            appointment(
                local(booked["starts_at"]),
                places.get(booked["location_id"], booked["location_id"]),
            )
            if booked is not None and upcoming
            else None
        ),
        contact=Contact(
            profile["contact_name"] or settings.letter_sender, profile["contact_phone"] or "-"
        ),
        page_url=page_url,
        sender=settings.letter_sender,
    )
