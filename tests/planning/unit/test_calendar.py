"""The dated calendar's rules, without I/O (issue 16 points 1 and 5): closures skipped,
staff by qualification, availability and leave, rooms by capacity, every session staffed
or unstaffed with a reason, stable ids, and a roll-call held to its session."""

from __future__ import annotations

from datetime import date, time, timedelta
from uuid import UUID

from zroute_contract.events.codes import HoursKind, LevelBand, TeachingForm
from zroute_planning.domain.calendar import (
    Bookings,
    Closure,
    Leave,
    Owner,
    Qualification,
    Resources,
    RollCallClaim,
    Room,
    SessionStatus,
    StaffMember,
    StaffRole,
    Unstaffed,
    WeeklySession,
    date_sessions,
    roll_call_problems,
)

MONDAY = date(2027, 3, 1)
MON_AM = ("monday", "morning")
CLASS = WeeklySession(MON_AM, time(9, 30), 150, TeachingForm.CLASSROOM, HoursKind.LANGUAGE)


def teacher(staff_id: str, *quals: Qualification, leave: tuple[Leave, ...] = ()) -> StaffMember:
    return StaffMember(
        staff_id, "prog", "school", StaffRole.TEACHER, frozenset(quals), frozenset({MON_AM}), leave
    )


GROUP = UUID("00000000-0000-4000-8000-0000000000a1")


def owner(band: LevelBand = LevelBand.A1, size: int = 5, **kw) -> Owner:
    """A group's sessions, or a participant's own when ``participant_ref`` is given."""
    if "participant_ref" not in kw:
        kw.setdefault("group_id", GROUP)
    return Owner("prog", band, size, "t-regular", **kw)


ROOMS = [Room("small", "prog", "loc", 4), Room("big", "prog", "loc", 12)]


def dated(res: Resources, weekly=CLASS, who: Owner | None = None, weeks: int = 4):
    end = MONDAY + timedelta(days=7 * weeks - 1)
    return date_sessions(who or owner(), [weekly], MONDAY, end, res, Bookings())


def test_a_closure_takes_its_days_out_of_the_calendar():
    holiday = Closure("prog", MONDAY + timedelta(days=7), MONDAY + timedelta(days=13), "spring")
    res = Resources([teacher("t-regular", Qualification.NT2)], ROOMS, [holiday])
    days = [s.on for s in dated(res)]
    assert days == [MONDAY, MONDAY + timedelta(days=14), MONDAY + timedelta(days=21)]


def test_the_regular_teacher_teaches_in_the_smallest_room_that_seats_the_group():
    res = Resources(
        [teacher("t-other", Qualification.NT2), teacher("t-regular", Qualification.NT2)], ROOMS, []
    )
    sessions = dated(res)
    assert {(s.staff, s.room_id, s.unstaffed) for s in sessions} == {("t-regular", "big", None)}
    assert not any(s.substituted for s in sessions)


def test_a_teacher_on_leave_is_replaced_by_a_qualified_substitute_or_the_session_says_why():
    ill = (Leave(MONDAY, MONDAY, "illness"),)
    res = Resources(
        [teacher("t-regular", Qualification.NT2, leave=ill), teacher("t-sub", Qualification.NT2)],
        ROOMS,
        [],
    )
    first, second, *_ = dated(res)
    assert (first.staff, first.substituted) == ("t-sub", True)
    assert (second.staff, second.substituted) == ("t-regular", False)
    # An alpha group needs an alfa-qualified teacher: nobody is, and it shows.
    [alpha, *_] = dated(res, who=owner(LevelBand.ALPHA))
    assert alpha.staff is None and alpha.unstaffed is Unstaffed.NO_QUALIFIED_STAFF


def test_no_room_large_enough_and_a_workplace_day_without_placement_are_visible():
    res = Resources([teacher("t-regular", Qualification.NT2)], ROOMS, [])
    [crowded, *_] = dated(res, who=owner(size=20))
    assert crowded.staff == "t-regular" and crowded.unstaffed is Unstaffed.NO_ROOM
    work = WeeklySession(
        MON_AM, time(9, 30), 180, TeachingForm.WORKPLACE_LEARNING, HoursKind.PARTICIPATION
    )
    solo = owner(size=1, participant_ref="zr-1")
    [day, *_] = dated(res, weekly=work, who=solo)
    assert day.unstaffed is Unstaffed.NO_PLACEMENT and day.room_id is None
    placed = owner(size=1, participant_ref="zr-1", has_placement=True)
    assert dated(res, weekly=work, who=placed)[0].unstaffed is None


def test_one_teacher_and_one_room_are_booked_once_per_slot():
    res = Resources([teacher("t-regular", Qualification.NT2)], [Room("big", "prog", "loc", 12)], [])
    booked = Bookings()
    end = MONDAY + timedelta(days=6)
    a = date_sessions(
        owner(group_id=None, participant_ref="zr-a"), [CLASS], MONDAY, end, res, booked
    )
    b = date_sessions(
        owner(group_id=None, participant_ref="zr-b"), [CLASS], MONDAY, end, res, booked
    )
    assert a[0].staff == "t-regular" and b[0].unstaffed is Unstaffed.NO_QUALIFIED_STAFF


def test_session_ids_are_the_same_however_often_the_calendar_is_generated():
    res = Resources([teacher("t-regular", Qualification.NT2)], ROOMS, [])
    assert [s.session_id for s in dated(res)] == [s.session_id for s in dated(res)]
    assert len({s.session_id for s in dated(res)}) == 4


def test_a_roll_call_must_match_its_calendar_session():
    res = Resources([teacher("t-regular", Qualification.NT2)], ROOMS, [])
    [session, *_] = dated(res, who=owner(participant_ref="zr-a"))
    claim = RollCallClaim(MONDAY, 150, HoursKind.LANGUAGE, TeachingForm.CLASSROOM, None, ("zr-a",))
    assert roll_call_problems(session, claim, ["zr-a"]) == []
    wrong = RollCallClaim(
        MONDAY + timedelta(days=1), 120, HoursKind.KNM, TeachingForm.KNM, None, ("zr-b",)
    )
    found = roll_call_problems(session, wrong, ["zr-a"])
    assert len(found) == 4 and found[-1] == "zr-b: not expected at this session"
    from dataclasses import replace

    cancelled = replace(session, status=SessionStatus.CANCELLED)
    assert roll_call_problems(cancelled, claim, ["zr-a"]) == ["the session was cancelled"]


def test_an_individual_session_prefers_the_group_teacher_but_is_never_a_substitution():
    res = Resources(
        [teacher("t-other", Qualification.NT2), teacher("t-regular", Qualification.NT2)], ROOMS, []
    )
    booked = Bookings()
    end = MONDAY + timedelta(days=6)
    first = date_sessions(owner(size=1, participant_ref="zr-a"), [CLASS], MONDAY, end, res, booked)
    second = date_sessions(owner(size=1, participant_ref="zr-b"), [CLASS], MONDAY, end, res, booked)
    assert (first[0].staff, second[0].staff) == ("t-regular", "t-other")
    assert not first[0].substituted and not second[0].substituted
    assert first[0].regular_staff is None


def test_formation_capacity_counts_the_register_teachers_free_in_each_slot():
    from zroute_planning.domain.calendar import teacher_capacity

    mon, tue, wed = ("monday", "morning"), ("tuesday", "morning"), ("wednesday", "morning")
    day = date(2027, 3, 1)

    def member(staff_id, quals, *slots, leave=()):
        return StaffMember(
            staff_id, "p", "school", StaffRole.TEACHER, frozenset(quals), frozenset(slots), leave
        )

    staff = [
        member("a", {Qualification.NT2}, mon, tue),
        member("b", {Qualification.NT2}, mon, wed),
        member("c", {Qualification.ALFA}, mon, tue, wed),  # not qualified for NT2 bands
        member("d", {Qualification.NT2}, wed, leave=(Leave(day, day),)),  # ill that day
    ]
    total, busy = teacher_capacity(
        staff, {Qualification.NT2}, day, [mon, tue, wed], holding={}, elsewhere={tue: {"a"}}
    )
    free = {slot: total - busy[slot] for slot in (mon, tue, wed)}
    # a teaches another programme's group on Tuesday; d is ill; c teaches alfa only.
    assert (total, free) == (3, {mon: 2, tue: 0, wed: 1})
    # A teacher of the programme's own group holds its slot whatever the register says.
    total, busy = teacher_capacity(
        staff, {Qualification.NT2}, day, [tue], holding={tue: {"x"}}, elsewhere={}
    )
    assert (total, total - busy[tue]) == (4, 2)
    # One room that seats a group: one group a slot, but the own groups meeting then stay.
    total, busy = teacher_capacity(
        staff, {Qualification.NT2}, day, [mon, tue], holding={tue: {"x", "y"}}, elsewhere={},
        rooms=1,
    )  # fmt: skip
    assert {slot: total - busy[slot] for slot in (mon, tue)} == {mon: 1, tue: 2}
