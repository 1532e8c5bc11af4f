"""Childcare and transport: needed from the intake, arranged by the partner through the
API, lapsed (for planning) when the schedule needs uncovered days or the period ends."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from zroute_contract.events.codes import (
    DayPart,
    Goal,
    HoursKind,
    LanguageLevel,
    LearnabilityBand,
    Literacy,
    Route,
    RouteReason,
    TeachingForm,
    Weekday,
)
from zroute_contract.events.intake import ChildcareNeed, IntakeCompleted, TransportNeed
from zroute_contract.events.parts import AvailabilitySlot
from zroute_contract.events.planning import ScheduledSession, SchedulePublished
from zroute_runtime.auth import Role

from tests.support.scenario import GM, PROGRAMME, Scenario


def intake(
    ref: str,
    *,
    childcare: bool,
    transport: bool,
    programme_id: str = PROGRAMME,
    municipality: str = GM,
) -> IntakeCompleted:
    return IntakeCompleted(
        participant_ref=ref,
        programme_id=programme_id,
        intake_id=uuid.uuid4(),
        municipality=municipality,
        language_level=LanguageLevel.A0,
        literacy=Literacy.NOT_ALPHABETISED,
        learnability_band=LearnabilityBand.LOW,
        needs=(),
        childcare=ChildcareNeed(needed=childcare, child_ages=(2,) if childcare else ()),
        transport=TransportNeed(needed=transport),
        availability=(AvailabilitySlot(weekday=Weekday.MONDAY, day_part=DayPart.MORNING),),
        goals=(Goal.LANGUAGE_SELF_RELIANCE,),
        route=Route.Z_ROUTE,
        route_reason=RouteReason.LITERACY,
        completed_on=date(2027, 1, 4),
    )


def schedule(ref: str, *days: Weekday) -> SchedulePublished:
    return SchedulePublished(
        participant_ref=ref,
        programme_id=PROGRAMME,
        plan_id=uuid.uuid4(),
        phase=1,
        valid_from=date(2027, 1, 18),
        sessions_per_week=len(days),
        session_minutes=90,
        sessions=tuple(
            ScheduledSession(
                weekday=day,
                day_part=DayPart.MORNING,
                starts_at=time(9, 30),
                minutes=90,
                teaching_form=TeachingForm.CLASSROOM,
                hours_kind=HoursKind.LANGUAGE,
            )
            for day in days
        ),
    )


async def childcare_task(scenario: Scenario, ref: str) -> dict:
    listed = (await scenario.partner("kids").get("/preconditions")).json()
    [task] = [p for p in listed if p["participant_ref"] == ref and p["kind"] == "childcare"]
    return task


async def test_a_schedule_needing_an_uncovered_day_makes_the_precondition_lapse(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=True, transport=False))
    await scenario.feed(schedule(ref, Weekday.MONDAY, Weekday.WEDNESDAY))
    task = await childcare_task(scenario, ref)
    assert task["status"] == "needed" and task["partner_id"] == "kids"
    assert not [p for p in (await scenario.partner("school").get("/preconditions")).json()
                if p["participant_ref"] == ref]  # fmt: skip

    kids = scenario.partner("kids")
    short = await kids.post(
        f"/preconditions/{task['precondition_id']}/arrange",
        json={"arranged_from": "2027-01-18", "days_covered": ["monday"]},
    )
    assert short.status_code == 422 and "wednesday" in short.json()["error"]
    arranged = await kids.post(
        f"/preconditions/{task['precondition_id']}/arrange",
        json={"arranged_from": "2027-01-18", "days_covered": ["monday", "wednesday"]},
    )
    assert arranged.status_code == 200, arranged.text
    [event] = await scenario.emitted("precondition-arranged", participant_ref=ref)
    assert event["data"]["days_covered"] == ["monday", "wednesday"]

    await scenario.feed(schedule(ref, Weekday.MONDAY, Weekday.WEDNESDAY, Weekday.FRIDAY))
    [lapsed] = await scenario.emitted("precondition-lapsed", participant_ref=ref)
    assert lapsed["data"]["reason"] == "schedule_not_covered"
    assert lapsed["data"]["days_uncovered"] == ["friday"]
    assert lapsed["data"]["precondition_id"] == event["data"]["precondition_id"]
    assert "support.precondition.lapsed" in scenario.seen.routing_keys()  # planning binds it


async def test_an_arrangement_lapses_when_its_period_ends_on_the_simulated_clock(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=True, transport=True))
    task = await childcare_task(scenario, ref)
    other = scenario.partner("school")
    refused = await other.post(
        f"/preconditions/{task['precondition_id']}/arrange",
        json={"arranged_from": "2027-01-04", "days_covered": ["monday"]},
    )
    assert refused.status_code == 403
    response = await scenario.partner("kids").post(
        f"/preconditions/{task['precondition_id']}/arrange",
        json={"arranged_from": "2027-01-04", "arranged_until": "2027-01-10",
              "days_covered": ["monday", "tuesday"]},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    await scenario.emitted("precondition-arranged", participant_ref=ref)

    await scenario.runtime.advance_clock(timedelta(days=5))  # Saturday the 9th
    assert not scenario.seen.of_type("nl.zroute.support.precondition-lapsed.v1")
    await scenario.runtime.advance_clock(timedelta(days=2))  # Monday the 11th
    [lapsed] = await scenario.emitted("precondition-lapsed", participant_ref=ref)
    assert lapsed["data"]["reason"] == "ended"
    assert lapsed["data"]["lapsed_on"] == "2027-01-11"


async def test_a_coordinator_can_arrange_with_a_named_partner_that_has_the_capability(scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=True, transport=False))
    task = await childcare_task(scenario, ref)
    coordinator = scenario.client(Role.COORDINATOR)
    url = f"/preconditions/{task['precondition_id']}/arrange"
    body = {"arranged_from": "2027-01-04", "days_covered": ["monday"]}
    wrong = await coordinator.post(url, json=body | {"partner_id": "school"})
    assert wrong.status_code == 422 and "lacks the capability childcare" in wrong.json()["error"]
    unknown = await coordinator.post(url, json=body | {"partner_id": "nobody"})
    assert unknown.status_code == 404
    assert (await coordinator.post(url, json=body)).status_code == 200


async def test_a_precondition_without_an_agreement_waits_and_is_assigned_once_there_is_one(
    scenario: Scenario,
):
    await scenario.register_partners()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=False, transport=True))
    waiting = (await scenario.client().get("/waiting-list")).json()
    [entry] = [w for w in waiting if w["participant_ref"] == ref]
    assert entry["kind"] == "transport" and "no agreement in force" in entry["reason"]

    await scenario.record_agreement()
    listed = (await scenario.partner("kids").get("/preconditions")).json()
    [task] = [p for p in listed if p["participant_ref"] == ref]
    assert task["kind"] == "transport" and task["partner_id"] == "kids"
    assert not [w for w in (await scenario.client().get("/waiting-list")).json()
                if w["participant_ref"] == ref]  # fmt: skip


async def test_the_partner_stopping_makes_it_lapse_for_planning(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=True, transport=False))
    task = await childcare_task(scenario, ref)
    kids = scenario.partner("kids")
    url = f"/preconditions/{task['precondition_id']}"
    early = await kids.post(
        f"{url}/lapse", json={"reason": "partner_stopped", "lapsed_on": "2027-02-01"}
    )
    assert early.status_code == 422  # nothing arranged yet
    arranged = await kids.post(f"{url}/arrange", json={"arranged_from": "2027-01-11",
                               "days_covered": ["monday"]})  # fmt: skip
    assert arranged.status_code == 200
    stopped = await kids.post(
        f"{url}/lapse", json={"reason": "partner_stopped", "lapsed_on": "2027-02-01"}
    )
    assert stopped.status_code == 200 and stopped.json()["status"] == "lapsed"
    [lapsed] = await scenario.emitted("precondition-lapsed", participant_ref=ref)
    assert lapsed["data"]["reason"] == "partner_stopped"
