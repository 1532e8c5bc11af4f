"""The consultation overview: built from the read model, served as a page, and sent to
each programme's lead partner on the configured rhythm (a durable timer per occurrence)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from zroute_contract.events.codes import Channel, RecipientRole, Timing
from zroute_runtime import timers
from zroute_runtime.timers import DueTimer
from zroute_runtime.unit_of_work import UnitOfWork

from zroute_notifications.adapters import charts, store
from zroute_notifications.adapters.readmodel import queries
from zroute_notifications.adapters.rendering import Part
from zroute_notifications.domain import overview, schedule
from zroute_notifications.domain.recipients import partner
from zroute_notifications.domain.schedule import timer_payload
from zroute_notifications.service_layer import outcomes
from zroute_notifications.service_layer.deps import Deps

OVERVIEW = "overview"


async def build(conn: Any, deps: Deps, programme_id: str, now: datetime) -> overview.Overview:
    today = now.astimezone(deps.tz).date()
    participants = [
        dict(r)
        for r in await conn.fetch(
            "SELECT participant_ref, status, phase, targets FROM nt_participants"
            " WHERE programme_id = $1",
            programme_id,
        )
    ]
    attendance = await conn.fetch(
        "SELECT session_on, kind, status, hours FROM nt_attendance WHERE programme_id = $1",
        programme_id,
    )
    items = await conn.fetch(
        "SELECT kind, participant_ref, status, open, due_on, detail FROM nt_items"
        " WHERE programme_id = $1 AND open",
        programme_id,
    )
    return overview.build(
        programme_id,
        today,
        participants,
        attendance,
        [dict(i) for i in items],
        lapsing_within=timedelta(days=deps.settings.overview_lapsing_within_days),
    )


def render(deps: Deps, o: overview.Overview, language: str) -> str:
    labels = deps.templates.catalogues[language]["overview"]
    base = deps.settings.service_urls.get("intake", "").rstrip("/")
    return deps.templates.render_page(
        language,
        "overview.html.j2",
        {
            "o": o,
            "L": labels,
            "language": language,
            "hours_svg": charts.hours_chart(o.hours, labels),
            "attendance_svg": charts.attendance_chart(o.attendance, labels["attendance"]),
            "participant_url": f"{base}/participants",
        },
    )


async def schedule_next(conn: Any, deps: Deps, programme_id: str, now: datetime) -> None:
    """Plan the programme's next overview, unless the rhythm is off."""
    s = deps.settings
    if s.overview_rhythm == "off":
        return
    due = schedule.next_occurrence(
        s.overview_rhythm, now, deps.tz, s.digest_hour, s.weekly_digest_weekday
    )
    await timers.schedule(
        conn,
        kind=OVERVIEW,
        key=f"{programme_id}:{due.date().isoformat()}",
        due_at=due,
        payload={"programme_id": programme_id},
    )


async def send_overview(timer: DueTimer, uow: UnitOfWork, *, deps: Deps) -> None:
    conn, now = uow.conn, uow.clock.now()
    programme_id = timer_payload(timer.payload)["programme_id"]
    await schedule_next(conn, deps, programme_id, now + timedelta(minutes=1))
    agreement = await queries.current_agreement(conn, programme_id, now.astimezone(deps.tz).date())
    event_ids = await store.programme_event_ids(conn, programme_id)
    if agreement is None or not event_ids:
        return
    lead = partner(RecipientRole.LEAD_PARTNER, agreement["lead_partner_id"])
    entry = await deps.address(conn, lead.kind, lead.ref)
    language = deps.language(entry["language"] if entry else None)
    built = await build(conn, deps, programme_id, now)
    page = render(deps, built, language)
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
    created = await store.add_notification(
        conn,
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
        await outcomes.schedule_delivery(conn, nid, 0, now)
