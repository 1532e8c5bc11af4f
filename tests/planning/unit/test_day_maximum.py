"""A participant's week never dates more minutes on one day than the ledger accepts
(``attendance_max_minutes_per_day``): the demo's roll-calls failed now and then with
``more than 360 minutes on one day`` when a week put three sessions on one day."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from zroute_contract.events.codes import CurriculumModule, HoursKind, TeachingForm
from zroute_planning.domain.modules import ModuleSession
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.domain.schedule import weekly_schedule

from tests.planning.unit.cohorts import ALL_SLOTS

RULES = PlanningRules()
PHASE_2 = 1  # three sessions of 150 minutes a week
MONDAY = [("monday", "morning"), ("monday", "afternoon"), ("monday", "evening")]


def _day_minutes(week) -> Counter[str]:
    minutes: Counter[str] = Counter()
    for s in week.sessions:
        minutes[s.slot[0]] += s.minutes
    return minutes


def test_a_group_session_and_two_own_sessions_do_not_share_a_day():
    # The group meets Monday morning; the participant is free all Monday and Wednesday
    # morning. The first free slots in weekly order are Monday afternoon and evening:
    # 3 x 150 = 450 minutes on Monday, which the ledger refuses.
    free = frozenset([*MONDAY, ("wednesday", "morning")])
    week = weekly_schedule(RULES, PHASE_2, free, (("monday", "morning"),), "g")
    assert max(_day_minutes(week).values()) <= RULES.attendance_max_minutes_per_day
    # The session that did not fit on Monday went to Wednesday.
    assert len(week.sessions) == 3 and week.left_out == 0
    assert ("wednesday", "morning") in {s.slot for s in week.sessions}


def test_a_session_no_free_slot_takes_within_the_day_is_left_out_and_counted():
    week = weekly_schedule(RULES, PHASE_2, frozenset(MONDAY))
    assert sum(_day_minutes(week).values()) <= RULES.attendance_max_minutes_per_day
    assert len(week.sessions) == 2 and week.left_out == 1


def test_a_module_session_counts_toward_the_day_too():
    module = ModuleSession(
        CurriculumModule.DIGITAL_SKILLS, TeachingForm.DIGITAL, HoursKind.PARTICIPATION, 20.0
    )
    free = frozenset([*MONDAY, ("tuesday", "morning")])
    # The group's 150 on Monday morning, an own 120 and the module's 120: 390 minutes.
    week = weekly_schedule(RULES, 0, free, (("monday", "morning"),), "g", modules=[module])
    assert max(_day_minutes(week).values()) <= RULES.attendance_max_minutes_per_day
    assert [s.module for s in week.sessions].count(CurriculumModule.DIGITAL_SKILLS) == 1


@settings(max_examples=200, deadline=None)
@given(
    free=st.sets(st.sampled_from(ALL_SLOTS), min_size=1, max_size=15),
    phase=st.integers(0, len(RULES.phases) - 1),
    groups=st.integers(0, 3),
    module=st.booleans(),
    day_maximum=st.sampled_from([240, 300, 360, 480]),
)
def test_no_generated_week_goes_over_the_day_maximum(free, phase, groups, module, day_maximum):
    rules = RULES.model_copy(update={"attendance_max_minutes_per_day": day_maximum})
    group_slots = tuple(sorted(free))[:groups]
    # A group's own sessions alone never exceed the maximum (formation's concern).
    if max(Counter(d for d, _ in group_slots).values(), default=0) * 150 > day_maximum:
        return
    modules = (
        [
            ModuleSession(
                CurriculumModule.DIGITAL_SKILLS, TeachingForm.DIGITAL, HoursKind.PARTICIPATION, 9.0
            )
        ]
        if module
        else []
    )
    week = weekly_schedule(rules, phase, frozenset(free), group_slots, "g", None, modules)
    assert max(_day_minutes(week).values(), default=0) <= day_maximum
    assert {s.slot for s in week.sessions} <= free
    wanted = min(rules.phases[phase].sessions_per_week, len(free)) + (1 if module else 0)
    assert len(week.sessions) + week.left_out >= min(wanted, len(free))


def test_a_session_moved_onto_a_full_day_names_the_participants_it_would_overload():
    from datetime import date, time
    from uuid import uuid4

    from zroute_planning.domain.calendar import DatedSession, day_overloads
    from zroute_planning.domain.roll_call import LineProblem

    tuesday, group = date(2027, 3, 2), uuid4()

    def session(slot: str, minutes: int, **who) -> DatedSession:
        return DatedSession(
            uuid4(), "prog", tuesday, ("tuesday", slot), time(9, 30), minutes,
            TeachingForm.CLASSROOM, HoursKind.LANGUAGE, **who,
        )  # fmt: skip

    # The demo moved a group session a day on, onto a member's two own sessions of 180.
    moved = session("morning", 150, group_id=group)
    that_day = [
        session("morning", 180, participant_ref="zr-busy"),
        session("afternoon", 180, participant_ref="zr-busy"),
        session("afternoon", 180, participant_ref="zr-free"),
    ]
    groups_of = {"zr-busy": group, "zr-free": group}
    found = day_overloads(moved, that_day, groups_of, RULES.attendance_max_minutes_per_day)
    assert [(p.code, p.participant_ref) for p in found] == [
        (LineProblem.OVER_DAY_MAXIMUM, "zr-busy")
    ]
    # Another group's sessions that day are not the member's.
    other = session("afternoon", 150, group_id=uuid4())
    assert day_overloads(moved, [other], groups_of, 300) == []
