"""The fast handler tier of the participant as a recipient (issue 18): the messages and the
start letter a participant line asks for, and the personal page's link checks (each use logged), on a fake
unit of work (the same rules are proven for real in integration/test_participant.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from structlog.testing import capture_logs
from zroute_contract.envelope import build_event
from zroute_contract.events import intake, planning
from zroute_contract.events.base import Event
from zroute_contract.types import new_participant_ref
from zroute_letters import links
from zroute_letters.content import LetterContent
from zroute_letters.formatting import clock_time, long_date
from zroute_letters.letter import render_pdf
from zroute_notifications.bootstrap import build_deps
from zroute_notifications.domain.commands import RevokeLinks
from zroute_notifications.service_layer.handlers import links as link_commands
from zroute_notifications.service_layer.handlers import page, participant
from zroute_notifications.service_layer.participant import local
from zroute_notifications.settings import Settings
from zroute_runtime.auth import Principal, Role
from zroute_runtime.messagebus import HandlerContext

from tests.notifications import world
from tests.notifications.participants import CATS, schedule
from tests.notifications.unit.fakes import unit_of_work

DEPS = build_deps(Settings())
KEY = DEPS.settings.page_link_keys()[0]


def _context(uow: Any, event: Event) -> HandlerContext:
    envelope = build_event(
        event, source=world.SOURCE, sequence=1, correlation_id="c-fast", time=uow.clock.now()
    )
    return HandlerContext(envelope=envelope, routing_key="test", uow=uow)


def _participant(uow: Any, language: str) -> str:
    ref = new_participant_ref()
    uow.participants.profiles[ref] = {
        "participant_ref": ref,
        "preferred_language": language,
        "municipality": "GM0363",
        "staff_ref": world.COACH,
        "contact_name": "Sanne de Vries",
        "contact_phone": "038 498 1234",
    }
    return ref


async def test_a_published_week_writes_the_message_and_the_start_letter_once():
    uow = unit_of_work()
    ref = _participant(uow, "uk")
    week = schedule(ref)
    ctx = _context(uow, week)
    await participant.tell_participant(week, ctx, deps=DEPS)
    await participant.tell_participant(week, ctx, deps=DEPS)  # the broker delivered it twice

    [message] = uow.participants.messages_written
    assert message["kind"] == "group_times" and message["language"] == "uk"
    assert message["subject"] == CATS.text("uk", "group_times.subject")
    assert "понеділок" in message["body"] and "maandag" in message["body_nl"]
    [letter] = uow.participants.letters_written
    # The content is kept, not a PDF (issue 20): printed when first asked for, the same.
    assert letter["languages"] == ("uk", "nl") and "pdf" not in letter
    content = LetterContent.from_json(json.loads(json.dumps(letter["content"])))
    assert content.digest() == letter["content_digest"] and content.language == "uk"
    assert render_pdf(content, CATS).startswith(b"%PDF")
    [link] = uow.participants.links.values()
    assert letter["link_id"] == link["link_id"]
    assert link["expires_at"] == uow.clock.now() + timedelta(days=DEPS.settings.page_link_days)


async def test_the_plan_start_without_a_date_writes_nothing_and_an_event_without_a_line_neither():
    uow = unit_of_work()
    ref = _participant(uow, "ar")
    for event in (
        world.event(planning.PlanActivated, ref, start_on=None, waiting_for=["childcare"]),
        world.event(planning.PlanPaused, ref),
        world.event(intake.IntakeCompleted, ref),
    ):
        ctx = _context(uow, event)
        await participant.tell_participant(event, ctx, deps=DEPS)
    assert uow.participants.messages_written == [] and uow.participants.letters_written == []


async def test_a_link_opens_until_it_expires_or_is_revoked_and_each_use_is_logged():
    uow = unit_of_work()
    ref = _participant(uow, "ar")
    now = uow.clock.now()
    await uow.participants.add_link("abcdefghijklmnopqrstuv", ref, now + timedelta(days=1), now)
    good = links.sign(KEY, "abcdefghijklmnopqrstuv", now + timedelta(days=1))
    late = links.sign(KEY, "abcdefghijklmnopqrstuv", now - timedelta(seconds=1))
    unknown = links.sign(KEY, "zzzzzzzzzzzzzzzzzzzzzz", now + timedelta(days=1))

    with capture_logs() as logged:
        assert (await page.open_link(uow, DEPS, good)).participant_ref == ref
        assert (await page.open_link(uow, DEPS, late)).status == 410
        assert (await page.open_link(uow, DEPS, good[:-2] + "xx")).status == 404
        assert (await page.open_link(uow, DEPS, unknown)).status == 404
        caseworker = Principal(
            subject="cw-1", roles=frozenset({Role.CASEWORKER}), municipality="GM0363"
        )
        assert await link_commands.revoke_links(uow, caseworker, RevokeLinks(ref)) == 1
        assert (await page.open_link(uow, DEPS, good)).outcome == "revoked"
    uses = [line for line in logged if line["event"] == "page_link_used"]
    # The link id and the outcome, nothing else (no reference, no token).
    assert {frozenset(line) for line in uses} == {
        frozenset({"event", "log_level", "link_id", "outcome"})
    }
    assert [(line["link_id"], line["outcome"]) for line in uses] == [
        ("abcdefghijklmnopqrstuv", "ok"),
        ("abcdefghijklmnopqrstuv", "expired"),
        ("-", "bad_signature"),
        ("zzzzzzzzzzzzzzzzzzzzzz", "unknown"),
        ("abcdefghijklmnopqrstuv", "revoked"),
    ]


async def test_an_established_pip_and_a_progress_meeting_reach_the_participant_in_their_language():
    uow = unit_of_work()
    ref = _participant(uow, "tr")
    pip = world.event(intake.PipEstablished, ref)
    meeting = world.event(intake.ProgressMeetingScheduled, ref)
    for event in (pip, meeting):
        await participant.tell_participant(event, _context(uow, event), deps=DEPS)

    written = {m["kind"]: m for m in uow.participants.messages_written}
    assert set(written) == {"pip_established", "progress_meeting"}
    assert all(m["language"] == "tr" for m in written.values())
    assert written["pip_established"]["subject"] == CATS.text("tr", "pip_established.subject")
    decided = long_date(pip.dated, "nl")  # type: ignore[attr-defined]
    assert decided in written["pip_established"]["body_nl"]
    local_start = local(meeting.starts_at)  # type: ignore[attr-defined]
    body_nl = written["progress_meeting"]["body_nl"]
    assert clock_time(local_start.time()) in body_nl
    assert long_date(local_start.date(), "nl") in body_nl
    assert meeting.location_id in body_nl  # type: ignore[attr-defined]
    assert written["progress_meeting"]["body"] != body_nl  # Turkish, not the Dutch fallback


async def test_a_cancelled_and_a_moved_session_reach_the_participant_in_their_language():
    """Issue 16/18: the participant hears of a cancelled or moved session, on the day and at
    the (local) time of the session, in their language with the Dutch beside it."""
    from datetime import UTC, datetime

    uow = unit_of_work()
    ref = _participant(uow, "ar")
    starts = datetime(2027, 3, 2, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam
    cancelled = world.event(planning.SessionCancelled, ref, starts_at=starts)
    moved = world.event(planning.SessionMoved, ref, starts_at=starts + timedelta(days=1))
    for event in (cancelled, moved):
        await participant.tell_participant(event, _context(uow, event), deps=DEPS)
    first, second = uow.participants.messages_written
    assert first["kind"] == "session_cancelled" and second["kind"] == "session_moved"
    assert first["subject"] == CATS.text("ar", "session_cancelled.subject")
    assert first["direction"] == "rtl" and "09:30" in first["body"]
    assert second["body_nl"].startswith("Uw les is verplaatst") and "09:30" in second["body_nl"]
    assert "woensdag 3 maart" in second["body_nl"]
    assert uow.participants.letters_written == []  # a page message, no letter
