"""Issue 17: the first childcare or transport arrangement is checked against the schedule
that will be published (the weekdays of the participant's group, from group-formed), not
against an empty one. Before, an arrangement covering Monday only was accepted for a
participant whose group meets on Monday and Thursday, and lapsed as soon as the first
schedule appeared."""

from __future__ import annotations

import uuid
from datetime import date, time

from zroute_contract.events.codes import (
    DayPart,
    GroupChangeReason,
    LevelBand,
    TeachingForm,
    Weekday,
)
from zroute_contract.events.planning import (
    GroupFormed,
    GroupSession,
    ParticipantRemovedFromGroup,
)

from tests.support.integration.test_preconditions import childcare_task, intake, schedule
from tests.support.scenario import PROGRAMME, Scenario


def group(members: tuple[str, ...], *days: Weekday) -> GroupFormed:
    return GroupFormed(
        group_id=uuid.uuid4(),
        programme_id=PROGRAMME,
        partner_id="school",
        level_band=LevelBand.ALPHA,
        members=members,
        teacher="teacher-1",
        sessions=tuple(
            GroupSession(
                weekday=day,
                day_part=DayPart.MORNING,
                starts_at=time(9, 30),
                minutes=90,
                teaching_form=TeachingForm.CLASSROOM,
                location_id="school-west",
            )
            for day in days
        ),
        starts_on=date(2027, 1, 18),
    )


async def test_an_arrangement_is_checked_against_the_group_days_before_the_schedule(
    scenario: Scenario,
):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=True, transport=False))
    others = (f"zr-{uuid.uuid4().hex}", f"zr-{uuid.uuid4().hex}")
    formed = group((ref, *others), Weekday.MONDAY, Weekday.THURSDAY)
    await scenario.feed(formed)
    task = await childcare_task(scenario, ref)
    kids = scenario.partner("kids")
    url = f"/preconditions/{task['precondition_id']}/arrange"
    short = await kids.post(url, json={"arranged_from": "2027-01-18", "days_covered": ["monday"]})
    assert short.status_code == 422, short.text
    assert "thursday" in short.json()["error"]
    arranged = await kids.post(
        url, json={"arranged_from": "2027-01-18", "days_covered": ["monday", "thursday"]}
    )
    assert arranged.status_code == 200, arranged.text

    # The schedule, once published with the group's days, finds nothing to lapse.
    await scenario.feed(schedule(ref, Weekday.MONDAY, Weekday.THURSDAY))
    assert (await childcare_task(scenario, ref))["status"] == "arranged"
    assert not scenario.seen.of_type("nl.zroute.support.precondition-lapsed.v1")


async def test_leaving_the_group_forgets_its_days(scenario: Scenario):
    await scenario.setup()
    ref = await scenario.participant()
    await scenario.feed(intake(ref, childcare=True, transport=False))
    formed = group((ref, f"zr-{uuid.uuid4().hex}", f"zr-{uuid.uuid4().hex}"), Weekday.FRIDAY)
    await scenario.feed(formed)
    await scenario.feed(
        ParticipantRemovedFromGroup(
            participant_ref=ref,
            programme_id=PROGRAMME,
            group_id=formed.group_id,
            removed_from=date(2027, 1, 25),
            reason=GroupChangeReason.LEVEL_CHANGED,
        )
    )
    task = await childcare_task(scenario, ref)
    arranged = await scenario.partner("kids").post(
        f"/preconditions/{task['precondition_id']}/arrange",
        json={"arranged_from": "2027-01-18", "days_covered": ["monday"]},
    )
    assert arranged.status_code == 200, arranged.text
