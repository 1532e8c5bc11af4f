"""Events in: the participant's own messages (the matrix's ``participant`` lines).

``page``: the message, in the participant's language and in Dutch, kept for their personal
page. ``letter``: the start letter when the schedule is published, with a new signed link
to the page as a QR code, kept for the caseworker to print and post (its content: the PDF
is rendered when it is first asked for). ``email``: the
message in their language with the Dutch after it, planned as a delivery whose address
intake gives at send time (none: not sent, and the delivery log says so). A redelivered
event writes nothing twice (one message per event and kind, one letter per event).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from html import escape
from typing import Any

from zroute_contract.envelope import CloudEvent
from zroute_contract.events.base import Event
from zroute_contract.events.codes import RecipientRole, Timing
from zroute_letters import links
from zroute_letters.catalogue import DUTCH, catalogue_language
from zroute_letters.letter import languages_of
from zroute_letters.messages import Message, MessageKind, participant_message
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_notifications.adapters.rendering import Rendered
from zroute_notifications.domain.participant import (
    EMAIL,
    LETTER,
    PAGE,
    PARTICIPANT,
    message_values,
    week,
)
from zroute_notifications.domain.recipients import Recipient
from zroute_notifications.service_layer import outcomes
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import unit_of_work
from zroute_notifications.service_layer.participant import language_of, letter_content, local
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

log = get_logger(__name__)


async def tell_participant(event: Event, ctx: HandlerContext, *, deps: Deps) -> None:
    """The participant's message and letter the matrix asks for about ``event``."""
    targets = deps.matrix.participant_targets_for(event.spec.type)
    if not targets:
        return
    uow, envelope = unit_of_work(ctx), ctx.envelope
    ref = str(envelope.data["participant_ref"])
    for target in targets:
        if PAGE in target.channels:
            await page_message(uow, deps, envelope, target.kind, ref)
        if EMAIL in target.channels:
            await participant_email(uow, deps, envelope, target.kind, ref)
        if LETTER in target.channels:
            await start_letter(uow, deps, envelope, ref)


def _values(kind: MessageKind, data: dict[str, Any], language: str) -> dict[str, str]:
    starts_at = data.get("starts_at")
    return message_values(
        data,
        language,
        local_start=local(datetime.fromisoformat(str(starts_at))) if starts_at else None,
        sessions=week(data) if kind is MessageKind.GROUP_TIMES else (),
        partner=str(data.get("partner_id") or ""),
        place=str(data.get("location_id") or ""),
    )


def _texts(
    deps: Deps, envelope: CloudEvent, kind: MessageKind, language: str
) -> tuple[Message, Message]:
    """The message in the participant's language and in Dutch."""
    # A text that falls back to Dutch gets its dates and weekdays in Dutch too.
    written_in = language if deps.catalogues.has(language, f"{kind.value}.body") else DUTCH
    own = participant_message(
        kind, language, deps.catalogues, **_values(kind, envelope.data, written_in)
    )
    dutch = participant_message(kind, DUTCH, deps.catalogues, **_values(kind, envelope.data, DUTCH))
    return own, dutch


def _skipped(envelope: CloudEvent, kind: MessageKind) -> bool:
    """A plan start without a start date says nothing yet: no message (logged)."""
    if kind is MessageKind.PLAN_START and not envelope.data.get("start_on"):
        log.info(
            "participant_message_skipped",
            event_id=envelope.id,
            kind=kind.value,
            reason="no_start_date",
        )
        return True
    return False


def mail_of(own: Message, dutch: Message, language: str) -> Rendered:
    """The e-mail: the participant's language first, the Dutch after it (one text when
    the participant reads Dutch)."""
    parts = [(language, own)] + ([(DUTCH, dutch)] if language != DUTCH else [])
    text = "\n\n".join(f"{m.subject}\n\n{m.body}" for _, m in parts)
    html = "".join(
        f'<div lang="{escape(lang)}" dir="{m.direction}"><h1>{escape(m.subject)}</h1>'
        f"<p>{escape(m.body)}</p></div>"
        for lang, m in parts
    )
    subject = own.subject if language == DUTCH else f"{own.subject} / {dutch.subject}"
    return Rendered(subject, text, html)


async def participant_email(
    uow: NotificationsUnitOfWork, deps: Deps, envelope: CloudEvent, kind: MessageKind, ref: str
) -> None:
    """The message by e-mail, planned as a delivery like any other: the address is pulled
    from intake when it is sent, so nothing of it is stored here."""
    if _skipped(envelope, kind):
        return
    language = await language_of(uow, ref)
    own, dutch = _texts(deps, envelope, kind, language)
    # The language the text is written in (a catalogue's, or Dutch when it fell back).
    known = deps.catalogues.has(language, f"{kind.value}.body")
    written = catalogue_language(language) if known else DUTCH
    mail = mail_of(own, dutch, written)
    now, nid = uow.clock.now(), uuid.uuid4()
    created = await uow.notifications.add(
        id=nid,
        dedupe_key=f"{envelope.id}:{PARTICIPANT}:{ref}:{EMAIL}:{kind.value}",
        event_ids=[uuid.UUID(envelope.id)],
        event_type=envelope.type,
        programme_id=envelope.data.get("programme_id"),
        participant_ref=ref,
        recipient=Recipient(RecipientRole.PARTICIPANT, PARTICIPANT, ref),
        channel=EMAIL,
        timing=Timing.IMMEDIATE.value,
        language=written,
        subject=mail.subject,
        body_text=mail.text,
        body_html=mail.html,
        now=now,
        due_at=now,
    )
    if created:
        await outcomes.schedule_delivery(uow, nid, 0, now)
    log.info("participant_email_planned", event_id=envelope.id, kind=kind.value, new=created)


async def page_message(
    uow: NotificationsUnitOfWork, deps: Deps, envelope: CloudEvent, kind: MessageKind, ref: str
) -> None:
    """The message in the participant's language with the Dutch beside it, for the page."""
    if _skipped(envelope, kind):
        return
    language = await language_of(uow, ref)
    own, dutch = _texts(deps, envelope, kind, language)
    written = await uow.participants.add_message(
        id=uuid.uuid4(),
        event_id=uuid.UUID(envelope.id),
        participant_ref=ref,
        kind=kind.value,
        language=language,
        direction=own.direction,
        subject=own.subject,
        body=own.body,
        subject_nl=dutch.subject,
        body_nl=dutch.body,
        created_at=uow.clock.now(),
    )
    log.info(
        "participant_message_written",
        event_id=envelope.id,
        kind=kind.value,
        language=language,
        channel=PAGE,
        new=written,
    )


async def start_letter(
    uow: NotificationsUnitOfWork, deps: Deps, envelope: CloudEvent, ref: str
) -> None:
    """The start letter with a new page link; nothing when the event made one already."""
    if await uow.participants.has_letter(envelope.id):
        return
    settings, now = deps.settings, uow.clock.now()
    link_id = links.new_link_id()
    expires_at = now + timedelta(days=settings.page_link_days)
    token = links.sign(settings.page_link_keys()[0], link_id, expires_at)
    content = await letter_content(
        uow, deps, ref, links.url(settings.page_base(), token), schedule=envelope.data
    )
    if content is None:
        log.info("participant_letter_skipped", event_id=envelope.id, reason="not_registered")
        return
    # Planning publishes the week again whenever a formation or phase touches the plan,
    # often with nothing the letter shows changed; a PDF costs about a second of CPU and
    # a second identical letter in the post helps nobody. A revoked or expired link does
    # need a new letter, so only a letter whose link still works counts.
    digest = content.digest()
    if await uow.participants.current_letter_digest(ref, now) == digest:
        log.info("participant_letter_skipped", event_id=envelope.id, reason="unchanged")
        return
    # The content is kept, not the PDF: WeasyPrint takes about a second of CPU a letter,
    # and most letters of a route are superseded before anyone prints them. The PDF is
    # rendered from this content when the caseworker first asks for it (views.letter_pdf).
    await uow.participants.add_link(link_id, ref, expires_at, now)
    await uow.participants.add_letter(
        id=uuid.uuid4(),
        event_id=uuid.UUID(envelope.id),
        participant_ref=ref,
        languages=languages_of(content, deps.catalogues),
        link_id=link_id,
        content=content.to_json(),
        created_at=now,
        content_digest=digest,
    )
    log.info(
        "participant_letter_written",
        event_id=envelope.id,
        link_id=link_id,
        languages=",".join(languages_of(content, deps.catalogues)),
    )
