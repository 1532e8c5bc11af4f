"""Interpreters beyond the intake (issue 17 item 6, issue 18 item 4), against the real
broker and database: an intake or a progress meeting that needs an interpreter becomes a
request addressed to the interpreter partner the task division names; only that
partner's staff confirm or decline it, with a reason from the configured list."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from zroute_contract.events.codes import (
    BookingStatus,
    IntakeCancelReason,
    InterpreterMode,
    PersonalDataChangeReason,
    PersonalDataField,
    RouteTask,
    WithdrawalReason,
)
from zroute_contract.events.intake import (
    IntakeCancelled,
    IntakeScheduled,
    InterpreterBooking,
    ParticipantRegistered,
    ParticipantWithdrawn,
    PersonalDataChanged,
    ProgressMeetingScheduled,
)
from zroute_runtime.auth import Role

from tests.support.integration.test_referrals import referred
from tests.support.scenario import GM, PROGRAMME, RESPONSIBLE, Scenario

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


# -- issue 18 item 4: referral intakes, and withdrawn requests told to the partner -----


async def test_a_referral_intake_asks_an_interpreter_and_the_referral_shows_it(scenario):
    """Before: no route to plan a referral's intake, and no interpreter for it."""
    await scenario.setup()
    ref, requested = await referred(scenario)
    referral_id = requested["data"]["referral_id"]
    care = scenario.partner("care-a", subject="care-desk")
    starts = (scenario.runtime.clock.now() + timedelta(days=7)).replace(microsecond=0)
    body = {"starts_at": starts.isoformat()}
    early = await care.put(f"/referrals/{referral_id}/intake-appointment", json=body)
    assert early.status_code == 409 and "once accepted" in early.text  # not accepted yet
    assert (await care.post(f"/referrals/{referral_id}/accept")).status_code == 200
    other = scenario.partner("care-b")
    refused = await other.put(f"/referrals/{referral_id}/intake-appointment", json=body)
    assert refused.status_code == 403, refused.text

    planned = await care.put(f"/referrals/{referral_id}/intake-appointment", json=body)
    assert planned.status_code == 200, planned.text
    asked = planned.json()["interpreter"]
    # The participant's preferred language from registration ("ti", interpreter needed).
    assert asked["status"] == "requested" and asked["language"] == "ti"
    assert asked["appointment"] == "referral_intake" and asked["referral_id"] == referral_id
    [event] = await _requested(scenario, ref)
    partner = RESPONSIBLE[RouteTask.INTERPRETER]
    assert event["data"]["referral_id"] == referral_id and event["data"]["partner_id"] == partner
    assert f"support.interpreter.requested.{partner}" in scenario.seen.routing_keys()

    shown = await care.get(f"/referrals/{referral_id}/interpreter")
    assert shown.status_code == 200 and shown.json()["interpreter"]["status"] == "requested"
    interpreters = scenario.partner(partner, subject="tolk-desk")
    request_id = asked["request_id"]
    assert (
        await interpreters.post(f"/interpreter-requests/{request_id}/confirm")
    ).status_code == 200
    confirmed = await scenario.client(Role.COORDINATOR).get(f"/referrals/{referral_id}/interpreter")
    assert confirmed.json()["interpreter"]["status"] == "confirmed"

    # The referrer cancels the referral: the confirmed interpreter is withdrawn, addressed.
    cancelled = await scenario.client(Role.COORDINATOR).post(
        f"/referrals/{referral_id}/cancel", json={"reason": "no_longer_needed"}
    )
    assert cancelled.status_code == 200, cancelled.text
    [gone] = await scenario.emitted("interpreter-withdrawn", request_id=request_id)
    assert gone["data"]["reason"] == "referral_withdrawn" and gone["data"]["was_confirmed"]
    assert f"support.interpreter.withdrawn.{partner}" in scenario.seen.routing_keys()
    after = await care.get(f"/referrals/{referral_id}/interpreter")
    assert after.json()["interpreter"] is None


async def test_a_referral_intake_without_an_interpreter_asks_nobody(scenario):
    await scenario.setup()
    ref, requested = await referred(scenario)
    referral_id = requested["data"]["referral_id"]
    care = scenario.partner("care-a")
    assert (await care.post(f"/referrals/{referral_id}/accept")).status_code == 200
    starts = scenario.runtime.clock.now() + timedelta(days=3)
    body = {"starts_at": starts.isoformat(), "interpreter_needed": False}
    planned = await care.put(f"/referrals/{referral_id}/intake-appointment", json=body)
    assert planned.status_code == 200 and planned.json()["interpreter"] is None
    asked_for = scenario.seen.of_type("nl.zroute.support.interpreter-requested.v1")
    assert not [e for e in asked_for if e["data"]["participant_ref"] == ref]
    named = {"starts_at": starts.isoformat(), "interpreter_language": "ar"}
    asked = await care.put(f"/referrals/{referral_id}/intake-appointment", json=named)
    assert asked.json()["interpreter"]["language"] == "ar"
    past = {"starts_at": (starts - timedelta(days=30)).isoformat()}
    refused = await care.put(f"/referrals/{referral_id}/intake-appointment", json=past)
    assert refused.status_code == 422, refused.text


async def test_a_moved_or_called_off_meeting_is_withdrawn_from_the_partner(scenario):
    """Before: a moved meeting was asked again but the old time was never withdrawn, and
    a meeting that no longer needed an interpreter was withdrawn silently."""
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(_meeting(ref))
    [first] = await _requested(scenario, ref)
    request_id = first["data"]["request_id"]
    partner = RESPONSIBLE[RouteTask.INTERPRETER]
    staff = scenario.partner(partner)
    assert (await staff.post(f"/interpreter-requests/{request_id}/confirm")).status_code == 200

    later = STARTS.replace(day=10)
    await scenario.feed(_meeting(ref, starts_at=later))
    [moved] = await scenario.emitted("interpreter-withdrawn", request_id=request_id)
    assert moved["data"]["reason"] == "appointment_moved" and moved["data"]["was_confirmed"]
    assert datetime.fromisoformat(moved["data"]["starts_at"]) == STARTS  # the old time
    hits = await _requested(scenario, ref, 2)
    assert datetime.fromisoformat(hits[1]["data"]["starts_at"]) == later

    await scenario.feed(_meeting(ref, needed=False, starts_at=later))
    withdrawn = await scenario.emitted("interpreter-withdrawn", 2, request_id=request_id)
    assert withdrawn[1]["data"]["reason"] == "not_needed"
    assert not withdrawn[1]["data"]["was_confirmed"]
    assert (await staff.get(f"/interpreter-requests/{request_id}")).json()["status"] == "withdrawn"


async def test_a_withdrawn_participant_withdraws_their_interpreter_requests(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(_meeting(ref, number=2))
    [asked] = await _requested(scenario, ref)
    await scenario.feed(
        ParticipantWithdrawn(
            participant_ref=ref,
            programme_id=PROGRAMME,
            reason=WithdrawalReason.STOPPED,
            effective_on=STARTS.date(),
        )
    )
    [gone] = await scenario.emitted("interpreter-withdrawn", participant_ref=ref)
    assert gone["data"]["request_id"] == asked["data"]["request_id"]
    assert gone["data"]["reason"] == "participant_withdrawn" and gone["data"]["meeting_number"] == 2


async def test_a_changed_language_reaches_support_and_coming_requests_follow_it(scenario):
    """Issue 17: intake's ``personal-data-changed`` had no consumer in support, which kept
    the registration's language: a referral's intake was still asked in it, and requests
    already sent for appointments to come stayed in the old language."""
    await scenario.setup()
    ref, requested = await referred(scenario)
    referral_id = requested["data"]["referral_id"]
    care = scenario.partner("care-a")
    assert (await care.post(f"/referrals/{referral_id}/accept")).status_code == 200
    starts = (scenario.runtime.clock.now() + timedelta(days=7)).replace(microsecond=0)
    planned = await care.put(
        f"/referrals/{referral_id}/intake-appointment", json={"starts_at": starts.isoformat()}
    )
    asked = planned.json()["interpreter"]
    assert asked["language"] == "ti"
    await scenario.feed(_meeting(ref))  # a progress meeting asked in "ti" too
    partner = RESPONSIBLE[RouteTask.INTERPRETER]
    interpreters = scenario.partner(partner, subject="tolk-desk")
    [meeting] = await scenario.emitted("interpreter-requested", appointment="progress_meeting")
    meeting_id = meeting["data"]["request_id"]
    confirmed = await interpreters.post(f"/interpreter-requests/{meeting_id}/confirm")
    assert confirmed.status_code == 200, confirmed.text

    await scenario.feed(
        PersonalDataChanged(
            participant_ref=ref,
            programme_id=PROGRAMME,
            changed=(PersonalDataField.PREFERRED_LANGUAGE,),
            reason=PersonalDataChangeReason.RECORDING_ERROR,
            changed_on=scenario.runtime.clock.now().date(),
            preferred_language="ar",
        )
    )
    # Both requests still to come are asked again, in the new language, same request ids.
    again = await scenario.emitted("interpreter-requested", 4, participant_ref=ref)
    latest = {e["data"]["request_id"]: e["data"]["language"] for e in again}
    assert latest == {asked["request_id"]: "ar", meeting_id: "ar"}, again
    shown = await care.get(f"/referrals/{referral_id}/interpreter")
    assert shown.json()["interpreter"]["language"] == "ar"
    meeting_now = await interpreters.get(f"/interpreter-requests/{meeting_id}")
    assert meeting_now.json()["status"] == "requested"  # the confirmation was for "ti"

    # A registration replayed later (a re-publish) does not undo the change.
    await scenario.feed(
        ParticipantRegistered(
            participant_ref=ref,
            programme_id=PROGRAMME,
            municipality=GM,
            registered_on=date(2027, 1, 4),
            preferred_language="ti",
            interpreter_needed=True,
        )
    )
    # The referral's intake planned anew, naming no language, asks in the new one.
    later = (starts + timedelta(days=2)).isoformat()
    moved = await care.put(
        f"/referrals/{referral_id}/intake-appointment", json={"starts_at": later}
    )
    assert moved.status_code == 200 and moved.json()["interpreter"]["language"] == "ar"


async def test_a_cancelled_intake_withdraws_its_interpreter_from_the_partner(scenario):
    """Issue 17: intake had no way to call an intake off, so the interpreter partner kept
    an interpreter booked for an intake that would not be held. ``intake-cancelled``
    withdraws the request (``not_needed``: called off), addressed to the partner."""
    await scenario.setup()
    ref = await scenario.participant()
    intake_id = uuid.uuid4()
    booking = InterpreterBooking(
        language="ti", mode=InterpreterMode.IN_PERSON, status=BookingStatus.REQUESTED
    )
    await scenario.feed(
        IntakeScheduled(
            participant_ref=ref,
            programme_id=PROGRAMME,
            intake_id=intake_id,
            starts_at=STARTS,
            duration_minutes=90,
            location_id="loc-stadhuis",
            attendees=(),
            interpreter=booking,
        )
    )
    [requested] = await _requested(scenario, ref)
    request_id = requested["data"]["request_id"]
    partner = RESPONSIBLE[RouteTask.INTERPRETER]
    staff = scenario.partner(partner)
    assert (await staff.post(f"/interpreter-requests/{request_id}/confirm")).status_code == 200

    await scenario.feed(
        IntakeCancelled(
            participant_ref=ref,
            programme_id=PROGRAMME,
            intake_id=intake_id,
            starts_at=STARTS,
            reason=IntakeCancelReason.PARTICIPANT_UNAVAILABLE,
            cancelled_on=scenario.runtime.clock.now().date(),
        )
    )
    [gone] = await scenario.emitted("interpreter-withdrawn", request_id=request_id)
    assert gone["data"]["reason"] == "not_needed" and gone["data"]["was_confirmed"] is True
    assert gone["data"]["intake_id"] == str(intake_id)
    assert f"support.interpreter.withdrawn.{partner}" in scenario.seen.routing_keys()
    shown = await staff.get(f"/interpreter-requests/{request_id}")
    assert shown.json()["status"] == "withdrawn"
