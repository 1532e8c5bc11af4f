"""Where a published week's sessions are held (issue 18): the location of each slot's room
in the calendar, else the programme's one location; none for sessions taught without a
room; the event carries the code only."""

from __future__ import annotations

from datetime import date, time
from uuid import uuid4

from zroute_contract.events.codes import HoursKind, TeachingForm
from zroute_planning.domain.calendar import DatedSession, Room, SessionStatus, WeekPlaces
from zroute_planning.domain.plan_events import sessions_of
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.domain.schedule import Session, Week

MONDAY = ("monday", "morning")
WEDNESDAY = ("wednesday", "afternoon")
ROOMS = [Room("r-1", "p", "taalhuis-noord", 12), Room("r-2", "p", "wijkcentrum-zuid", 12)]


def dated(slot, room_id, status=SessionStatus.PLANNED) -> DatedSession:
    return DatedSession(
        session_id=uuid4(), programme_id="p", on=date(2027, 1, 11), slot=slot,
        starts_at=time(9, 30), minutes=150, form=TeachingForm.CLASSROOM,
        kind=HoursKind.LANGUAGE, room_id=room_id, status=status,
    )  # fmt: skip


def test_a_slot_is_held_where_its_room_in_the_calendar_is():
    places = WeekPlaces.of([dated(MONDAY, "r-2")], ROOMS)
    assert places.of_slot(MONDAY, TeachingForm.CLASSROOM) == "wijkcentrum-zuid"
    assert places.of_slot(WEDNESDAY, TeachingForm.CLASSROOM) is None  # two locations: unknown


def test_one_location_serves_every_slot_and_roomless_forms_have_none():
    places = WeekPlaces.of([dated(MONDAY, "r-1", SessionStatus.CANCELLED)], ROOMS[:1])
    assert places.of_slot(WEDNESDAY, TeachingForm.CLASSROOM) == "taalhuis-noord"
    assert places.of_slot(WEDNESDAY, TeachingForm.DIGITAL) is None
    assert places.of_slot(WEDNESDAY, TeachingForm.WORKPLACE_LEARNING) is None


def test_the_published_sessions_carry_the_location_code():
    week = Week(
        sessions=[
            Session(MONDAY, 150, TeachingForm.CLASSROOM, HoursKind.LANGUAGE),
            Session(WEDNESDAY, 150, TeachingForm.DIGITAL, HoursKind.LANGUAGE),
        ],
        variety_problems=(),
    )
    published = sessions_of(PlanningRules(), week, WeekPlaces.of([dated(MONDAY, "r-1")], ROOMS))
    assert [s.location_id for s in published] == ["taalhuis-noord", None]
    assert [s.location_id for s in sessions_of(PlanningRules(), week)] == [None, None]
