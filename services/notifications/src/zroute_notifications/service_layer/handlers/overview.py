"""The consultation overview sent to each programme's lead partner on the configured
rhythm (a durable timer per occurrence, planned when an agreement is recorded)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from zroute_contract.events.codes import Channel, RecipientRole, Timing
from zroute_contract.events.support import AgreementRecorded
from zroute_runtime.clock import local_day, local_timezone
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_notifications.adapters.rendering import Part
from zroute_notifications.domain import schedule
from zroute_notifications.domain.recipients import partner
from zroute_notifications.domain.schedule import timer_payload
from zroute_notifications.service_layer import outcomes, overview
from zroute_notifications.service_layer.addresses import language_of
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import typed, unit_of_work
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork

OVERVIEW = "overview"
log = get_logger(__name__)


async def agreement_recorded(event: AgreementRecorded, ctx: HandlerContext, *, deps: Deps) -> None:
    """A programme with an agreement gets its overview on the rhythm."""
    uow = unit_of_work(ctx)
    await schedule_next(uow, deps, event.programme_id, uow.clock.now())


async def schedule_next(
    uow: NotificationsUnitOfWork, deps: Deps, programme_id: str, now: datetime
) -> None:
    """Plan the programme's next overview, unless the rhythm is off."""
    s = deps.settings
    if s.overview_rhythm == "off":
        return
    due = schedule.next_occurrence(
        s.overview_rhythm, now, local_timezone(), s.digest_hour, s.weekly_digest_weekday
    )
    await uow.timers.schedule(
        kind=OVERVIEW,
        key=f"{programme_id}:{due.date().isoformat()}",
        due_at=due,
        payload={"programme_id": programme_id},
    )


async def send_overview(timer: DueTimer, runtime_uow: UnitOfWork, *, deps: Deps) -> None:
    """The overview, by e-mail to the lead partner of the agreement in force, when the
    programme has had events; then the next one is planned."""
    uow = typed(runtime_uow)
    now = uow.clock.now()
    programme_id = timer_payload(timer.payload)["programme_id"]
    await schedule_next(uow, deps, programme_id, now + timedelta(minutes=1))
    agreement = await uow.readmodel.current_agreement(programme_id, local_day(now))
    event_ids = await uow.notifications.programme_event_ids(programme_id)
    if agreement is None or not event_ids:
        return
    lead = partner(RecipientRole.LEAD_PARTNER, agreement["lead_partner_id"])
    language = await language_of(uow, deps, lead.kind, lead.ref)
    figures = await uow.readmodel.programme_figures(programme_id)
    page = overview.render(
        deps, overview.build(deps, programme_id, local_day(now), figures), language
    )
    link = (
        f"{deps.settings.service_urls.get('notifications', '').rstrip('/')}"
        f"/programmes/{programme_id}/overview"
    )
    subject = deps.templates.ui(language, "overview_subject", programme=programme_id)
    body = deps.templates.ui(language, "overview_body")
    text = deps.templates.compose(language, [Part(subject, body, body, link)]).text
    timing = (
        Timing.DAILY_DIGEST if deps.settings.overview_rhythm == "daily" else Timing.WEEKLY_DIGEST
    )
    nid = uuid.uuid4()
    created = await uow.notifications.add(
        id=nid,
        dedupe_key=f"overview:{timer.key}",
        event_ids=event_ids,
        event_type=None,
        programme_id=programme_id,
        participant_ref=None,
        recipient=lead,
        channel=Channel.EMAIL.value,
        timing=timing.value,
        language=language,
        subject=subject,
        body_text=text,
        body_html=page,
        now=now,
        due_at=now,
    )
    if created:
        await outcomes.schedule_delivery(uow, nid, 0, now)
        log.info("overview_planned", programme_id=programme_id, notification_id=str(nid))
