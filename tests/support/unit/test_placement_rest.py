"""Issue 17, the rest of the placements: the employer registry (a placement names a
registered employer, 400 with the reason otherwise), the check-in rhythm with its overdue
alert, and the replacement of a placement the employer ended (its escalation stays open
until the replacement starts)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from zroute_contract.errors import Conflict as ContractConflict
from zroute_contract.errors import InvalidRequest, NotFound
from zroute_contract.events.codes import CheckInOutcome, CheckInParty
from zroute_contract.events.planning import PlacementEscalated
from zroute_contract.events.support import CheckInOverdue, PlacementConfirmed, PlacementStarted
from zroute_runtime.clock import local_moment
from zroute_runtime.commands import http_error
from zroute_runtime.timers import DueTimer
from zroute_support.domain.employers import UnknownEmployer
from zroute_support.domain.errors import Refused
from zroute_support.domain.placements import PlacementStatus
from zroute_support.service_layer.handlers import check_in_rhythm, placement_life, placements
from zroute_support.service_layer.handlers.planning import escalate_placement

from tests.support.unit.fakes import FakeContext
from tests.support.unit.test_handlers import DEPS, NOW, PROGRAMME, REF, staff_of, uow_with
from tests.support.unit.test_placement_life import confirmed
from tests.support.unit.test_placements import COACH, WORKPLACE, placement


def ours(p):
    p.participant_ref, p.programme_id = REF, PROGRAMME
    return p


# -- the employer registry ---------------------------------------------------------------


async def test_a_placement_naming_an_unregistered_employer_is_refused_with_400():
    p = ours(placement())
    uow = uow_with(placements_=[p])
    unknown = replace(WORKPLACE, employer_id="garage-nobody")
    with pytest.raises(UnknownEmployer, match="not in the employer registry") as refused:
        await placements.confirm_as(
            uow, DEPS, staff_of("work-a"), p.placement_request_id, unknown, "coach-7", None
        )
    assert http_error(refused.value).status_code == 400
    assert not isinstance(refused.value, (InvalidRequest, ContractConflict, NotFound))
    assert p.status is PlacementStatus.OPEN
    await uow.commit()
    assert uow.events == []


async def test_a_change_to_an_unregistered_employer_is_refused():
    p = ours(confirmed())
    uow = uow_with(placements_=[p])
    with pytest.raises(UnknownEmployer):
        await placement_life.change_as(
            uow,
            staff_of("work-a"),
            p.placement_request_id,
            {"employer_id": "garage-nobody"},
            date(2027, 4, 1),
        )
    await placement_life.change_as(
        uow,
        staff_of("work-a"),
        p.placement_request_id,
        {"employer_id": "bakery-oost"},
        date(2027, 4, 1),
    )
    assert p.workplace is not None and p.workplace.employer_id == "bakery-oost"


# -- the check-in rhythm ------------------------------------------------------------------


def test_a_check_in_is_due_a_rhythm_after_the_start_or_the_last_check_in():
    p = confirmed()  # starts 2027-03-01
    assert p.check_in_due_on(14) == date(2027, 3, 15)
    p.start(date(2027, 3, 3))
    assert p.check_in_due_on(14) == date(2027, 3, 17)
    p.record_check_in(CheckInParty.PARTICIPANT, date(2027, 3, 10), CheckInOutcome.ON_TRACK)
    assert p.check_in_due_on(14) == date(2027, 3, 24)
    p.check_in_every_days = 7
    assert p.check_in_due_on(14) == date(2027, 3, 17)


def test_an_overdue_check_in_names_the_job_coachs_partner():
    p = confirmed()
    p.events.clear()
    assert p.check_in_overdue(14, date(2027, 3, 15), 1) is False  # due today: not yet
    assert p.check_in_overdue(14, date(2027, 3, 16), 1) is True
    [alert] = p.events
    assert isinstance(alert, CheckInOverdue)
    assert alert.partner_id == COACH.partner_id and alert.job_coach == COACH.staff_ref
    assert alert.due_on == date(2027, 3, 15) and alert.last_check_in is None
    assert alert.every_days == 14 and alert.level == 1


def timer(key: str) -> DueTimer:
    return DueTimer(id=1, kind=placements.CHECK_IN_TIMER, key=key, due_at=NOW, payload={})


async def test_confirming_schedules_the_overdue_timer_and_it_alerts_once_the_day_passed():
    p = ours(placement())
    uow = uow_with(placements_=[p])
    await placements.confirm_as(
        uow, DEPS, staff_of("work-a"), p.placement_request_id, WORKPLACE, "coach-7", None
    )
    [(kind, key)] = list(uow.timers.scheduled)
    assert kind == "check-in-due"
    assert uow.timers.scheduled[(kind, key)] == local_moment(date(2027, 3, 16))
    uow.clock.advance(local_moment(date(2027, 3, 16)) - uow.clock.now())
    await check_in_rhythm.check_in_overdue(timer(key), uow, DEPS)
    await uow.commit()
    alert = uow.events[-1]
    assert isinstance(alert, CheckInOverdue) and alert.level == 1
    # it repeats after another interval while no check-in comes
    assert any(k.endswith("/2") for _, k in uow.timers.scheduled)


async def test_a_timer_of_an_older_due_day_firing_beside_todays_alerts_nothing():
    """Issue 20: a check-in arms level 1 again while the old due day's timer goes on; on
    a day both fire, one alert, and both go on as one timer (the same next key)."""
    p = ours(placement())
    uow = uow_with(placements_=[p])
    await placements.confirm_as(
        uow, DEPS, staff_of("work-a"), p.placement_request_id, WORKPLACE, "coach-7", None
    )
    [(kind, key)] = list(uow.timers.scheduled)
    chain = key.rsplit("/", 1)[0]
    uow.clock.advance(local_moment(date(2027, 3, 16)) - uow.clock.now())
    await check_in_rhythm.check_in_overdue(timer(key), uow, DEPS)
    await check_in_rhythm.check_in_overdue(timer(f"{chain}/5"), uow, DEPS)  # the old chain
    await uow.commit()
    assert [e.level for e in uow.events if isinstance(e, CheckInOverdue)] == [1]
    assert uow.timers.scheduled[(kind, f"{chain}/2")] == local_moment(date(2027, 3, 30))
    assert (kind, f"{chain}/6") not in uow.timers.scheduled


async def test_a_timer_that_fires_late_alerts_at_the_level_of_the_day():
    p = ours(placement())
    uow = uow_with(placements_=[p])
    await placements.confirm_as(
        uow, DEPS, staff_of("work-a"), p.placement_request_id, WORKPLACE, "coach-7", None
    )
    [(kind, key)] = list(uow.timers.scheduled)
    uow.clock.advance(local_moment(date(2027, 3, 31)) - uow.clock.now())  # due on the 15th
    await check_in_rhythm.check_in_overdue(timer(key), uow, DEPS)
    await uow.commit()
    assert [e.level for e in uow.events if isinstance(e, CheckInOverdue)] == [2]
    chain = key.rsplit("/", 1)[0]
    assert uow.timers.scheduled[(kind, f"{chain}/3")] == local_moment(date(2027, 4, 13))


async def test_a_check_in_moves_the_due_day_so_the_old_timer_alerts_nothing():
    p = ours(placement())
    uow = uow_with(placements_=[p])
    await placements.confirm_as(
        uow, DEPS, staff_of("work-a"), p.placement_request_id, WORKPLACE, "coach-7", None
    )
    [(_, key)] = list(uow.timers.scheduled)
    await placements.check_in_as(
        uow,
        DEPS,
        staff_of("coaches"),
        p.placement_request_id,
        CheckInParty.EMPLOYER,
        date(2027, 3, 14),
        CheckInOutcome.ON_TRACK,
    )
    uow.clock.advance(local_moment(date(2027, 3, 16)) - uow.clock.now())
    await check_in_rhythm.check_in_overdue(timer(key), uow, DEPS)
    await uow.commit()
    assert not [e for e in uow.events if isinstance(e, CheckInOverdue)]
    assert uow.timers.scheduled[("check-in-due", key)] == local_moment(date(2027, 3, 29))


async def test_a_placement_sets_its_own_rhythm():
    p = ours(confirmed())
    uow = uow_with(placements_=[p])
    await check_in_rhythm.set_rhythm_as(uow, DEPS, staff_of("coaches"), p.placement_request_id, 7)
    assert p.check_in_every_days == 7
    assert list(uow.timers.scheduled.values()) == [local_moment(date(2027, 3, 9))]
    with pytest.raises(Refused):
        await check_in_rhythm.set_rhythm_as(
            uow, DEPS, staff_of("coaches"), p.placement_request_id, 0
        )


# -- replacement --------------------------------------------------------------------------


async def ended_by_employer(reason: str = "employer_dropped_out"):
    p = ours(confirmed())
    uow = uow_with(placements_=[p])
    await placement_life.end_as(
        uow, DEPS, staff_of("work-a"), p.placement_request_id, reason, date(2027, 4, 1)
    )
    return p, uow


async def test_a_placement_the_employer_ended_is_replaced_by_a_new_linked_one():
    p, uow = await ended_by_employer()
    ended = p.placement_id
    uow.clock.advance(local_moment(date(2027, 4, 2)) - uow.clock.now())
    await placement_life.replace_as(uow, DEPS, staff_of("work-a"), p.placement_request_id)
    assert p.status is PlacementStatus.OPEN and p.replaces == ended
    assert p.escalation_level >= 1  # past the day needed: the workplace is missing
    other = replace(WORKPLACE, employer_id="bakery-oost", starts_on=date(2027, 4, 15))
    await placements.confirm_as(
        uow, DEPS, staff_of("work-a"), p.placement_request_id, other, "coach-7", None
    )
    await uow.commit()
    confirmed_again = [e for e in uow.events if isinstance(e, PlacementConfirmed)][-1]
    assert confirmed_again.replaces_placement_id == ended
    assert confirmed_again.placement_id != ended
    assert confirmed_again.placement_request_id == p.placement_request_id


async def test_the_escalation_stays_open_until_the_replacement_starts():
    p, uow = await ended_by_employer()
    await placement_life.replace_as(uow, DEPS, staff_of("work-a"), p.placement_request_id)
    on_time = replace(WORKPLACE, employer_id="bakery-oost")  # not late in itself
    await placements.confirm_as(
        uow, DEPS, staff_of("work-a"), p.placement_request_id, on_time, "coach-7", None
    )
    assert not p.late and p.escalation_open

    def escalated(level: int) -> PlacementEscalated:
        return PlacementEscalated(
            participant_ref=REF,
            programme_id=PROGRAMME,
            placement_request_id=p.placement_request_id,
            needed_by=p.needed_by,
            escalated_on=NOW.date(),
            level=level,
        )

    await escalate_placement(escalated(3), FakeContext(uow))  # type: ignore[arg-type]
    assert p.escalation_level == 3
    await placement_life.start_as(
        uow, DEPS, staff_of("work-a"), p.placement_request_id, date(2027, 3, 1)
    )
    assert p.escalation_level == 0 and not p.escalation_open
    await escalate_placement(escalated(4), FakeContext(uow))  # type: ignore[arg-type]
    assert p.escalation_level == 0
    await uow.commit()
    assert isinstance(
        [e for e in uow.events if isinstance(e, PlacementStarted)][-1], PlacementStarted
    )


async def test_only_a_placement_ended_by_the_employer_is_replaced():
    p, uow = await ended_by_employer("participant_withdrew")
    with pytest.raises(Refused, match="not replaced"):
        await placement_life.replace_as(uow, DEPS, staff_of("work-a"), p.placement_request_id)
    running = ours(confirmed())
    uow = uow_with(placements_=[running])
    with pytest.raises(ContractConflict, match="only an ended placement"):
        await placement_life.replace_as(uow, DEPS, staff_of("work-a"), running.placement_request_id)
