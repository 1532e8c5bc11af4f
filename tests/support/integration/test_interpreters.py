"""Interpreters beyond the intake (issue 17 item 6, issue 18 item 4), against the real
broker and database: an intake or a progress meeting that needs an interpreter becomes a
request addressed to the interpreter partner the task division names; only that
partner's staff confirm or decline it, with a reason from the configured list."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from zroute_contract.events.codes import BookingStatus, InterpreterMode, RouteTask
from zroute_contract.events.intake import (
    IntakeScheduled,
    InterpreterBooking,
    ProgressMeetingScheduled,
)
from zroute_runtime.auth import Role

from tests.support.scenario import PROGRAMME, RESPONSIBLE, Scenario

STARTS = datetime(2027, 2, 3, 9, 30, tzinfo=UTC)


def _meeting(ref: str, *, needed: bool = True, number: int = 1, starts_at=STARTS):
    return ProgressMeetingScheduled(
        participant_ref=ref,
        programme_id=PROGRAMME,
        meeting_number=number,
        starts_at=starts_at,
        location_id="loc-stadhuis",
        interpreter_needed=needed,
        interpreter_language="ti" if needed else None,
    )


async def _requested(scenario: Scenario, ref: str, count: int = 1) -> list[dict]:
    return await scenario.emitted("interpreter-requested", count, participant_ref=ref)


async def test_a_progress_meeting_asks_the_interpreter_partner_who_confirms(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(_meeting(ref))
    [requested] = await _requested(scenario, ref)
    data = requested["data"]
    partner = RESPONSIBLE[RouteTask.INTERPRETER]
    assert data["partner_id"] == partner
    assert data["appointment"] == "progress_meeting" and data["meeting_number"] == 1
    assert data["language"] == "ti"
    # Addressed: the partner id is the routing key's last word.
    assert f"support.interpreter.requested.{partner}" in scenario.seen.routing_keys()
    request_id = data["request_id"]

    # A coordinator may read it but not answer for the partner; another partner neither.
    coordinator = scenario.client(Role.COORDINATOR)
    assert (await coordinator.get(f"/interpreter-requests/{request_id}")).status_code == 200
    answer = await coordinator.post(f"/interpreter-requests/{request_id}/confirm")
    assert answer.status_code == 403, answer.text
    other = scenario.partner("school")
    assert (await other.post(f"/interpreter-requests/{request_id}/confirm")).status_code == 403
    assert (await other.get(f"/interpreter-requests/{request_id}")).status_code == 403

    staff = scenario.partner(partner, subject="tolk-desk-1")
    mine = await staff.get("/interpreter-requests")
    assert [r["request_id"] for r in mine.json()] == [request_id]
    confirmed = await staff.post(f"/interpreter-requests/{request_id}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    [event] = await scenario.emitted("interpreter-confirmed", request_id=request_id)
    assert event["data"]["confirmed_by"] == "tolk-desk-1"
    assert event["data"]["meeting_number"] == 1
    again = await staff.post(f"/interpreter-requests/{request_id}/confirm")
    assert again.status_code == 409, again.text


async def test_an_intake_with_an_interpreter_is_requested_and_declined_with_a_reason(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    intake_id = uuid.uuid4()
    await scenario.feed(
        IntakeScheduled(
            participant_ref=ref,
            programme_id=PROGRAMME,
            intake_id=intake_id,
            starts_at=STARTS,
            duration_minutes=90,
            location_id="loc-stadhuis",
            attendees=(),
            interpreter=InterpreterBooking(
                language="ti", mode=InterpreterMode.PHONE, status=BookingStatus.REQUESTED
            ),
        )
    )
    [requested] = await _requested(scenario, ref)
    assert requested["data"]["appointment"] == "intake"
    assert requested["data"]["intake_id"] == str(intake_id)
    request_id = requested["data"]["request_id"]
    staff = scenario.partner(RESPONSIBLE[RouteTask.INTERPRETER])
    bad = await staff.post(f"/interpreter-requests/{request_id}/decline", json={"reason": "bored"})
    assert bad.status_code == 422 and "interpreter decline reason" in bad.text
    declined = await staff.post(
        f"/interpreter-requests/{request_id}/decline", json={"reason": "too_short_notice"}
    )
    assert declined.status_code == 200, declined.text
    [event] = await scenario.emitted("interpreter-declined", request_id=request_id)
    assert event["data"]["reason"] == "too_short_notice"
    assert event["data"]["intake_id"] == str(intake_id)


async def test_a_rescheduled_meeting_is_asked_again_and_no_interpreter_asks_nobody(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(_meeting(ref))
    [first] = await _requested(scenario, ref)
    await scenario.feed(_meeting(ref))  # republished unchanged: not asked twice
    later = STARTS.replace(day=10)
    await scenario.feed(_meeting(ref, starts_at=later))
    hits = await _requested(scenario, ref, 2)
    assert len(hits) == 2
    assert hits[1]["data"]["request_id"] == first["data"]["request_id"]
    assert datetime.fromisoformat(hits[1]["data"]["starts_at"]) == later

    other = await scenario.participant()
    await scenario.feed(_meeting(other, needed=False))
    listed = await scenario.client(Role.COORDINATOR).get("/interpreter-requests")
    assert other not in {r["participant_ref"] for r in listed.json()}
    assert not scenario.seen.of_type("nl.zroute.support.interpreter-requested.v1") or all(
        e["data"]["participant_ref"] != other
        for e in scenario.seen.of_type("nl.zroute.support.interpreter-requested.v1")
    )
