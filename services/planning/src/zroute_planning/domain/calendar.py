"""The dated session calendar (issue 16 points 1 and 5): sessions with a day, times, a
room, a staff member and a teaching form, generated from each group's weekly sessions and
each participant's own (non-group) sessions, with holidays and closures per programme,
staff with qualifications, availability and leave, rooms with a capacity, and substitution.

Everything here is plain data and pure functions; the handlers store what they return.

Why the session length is one value: a group session is taught once for all its members,
so it has the group's length (``groups.session_minutes``), and every member's calendar and
published week show that length for it. The ramp-up's lesson lengths (``phases``) hold for
a participant's individual sessions only; the ramp-up in group sessions comes from the
number of sessions a week, not from their length.

Why a session id is derived (``uuid5``) rather than drawn: generating the calendar again
for the same weeks finds the same sessions, so a cancelled or moved session stays as it
was and a roll-call recorded against an id keeps pointing at the same session.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from enum import StrEnum
from uuid import UUID, uuid5

from zroute_contract.events.codes import (
    CurriculumModule,
    HoursKind,
    LevelBand,
    TeachingForm,
    Weekday,
)

from zroute_planning.domain.grouping import Slot
from zroute_planning.domain.roll_call import LineProblem, Problem

CALENDAR_NAMESPACE = UUID("6f1c7c1e-6d0b-4c55-9f51-7a0c3e1f2a16")
WEEKDAYS = tuple(day.value for day in Weekday)
# Forms taught without a room: online, or at the workplace.
ROOMLESS = frozenset({TeachingForm.DIGITAL, TeachingForm.WORKPLACE_LEARNING})


class Qualification(StrEnum):
    """What a staff member may teach: NT2 (Dutch as a second language) or alfa (literacy)."""

    NT2 = "nt2"
    ALFA = "alfa"


class StaffRole(StrEnum):
    TEACHER = "teacher"
    ASSISTANT = "assistant"
    JOB_COACH = "job_coach"


class SessionStatus(StrEnum):
    PLANNED = "planned"
    MOVED = "moved"
    CANCELLED = "cancelled"


class Unstaffed(StrEnum):
    """Why a session has no staff member or no room: always visible, never silent."""

    NO_QUALIFIED_STAFF = "no_qualified_staff_available"
    NO_ROOM = "no_room_with_capacity"
    NO_PLACEMENT = "no_confirmed_placement"


@dataclass(frozen=True)
class Leave:
    """Days (inclusive) a staff member does not teach: leave or illness."""

    from_on: date
    to_on: date
    reason: str = "leave"

    def covers(self, on: date) -> bool:
        return self.from_on <= on <= self.to_on


@dataclass(frozen=True)
class StaffMember:
    """A teacher, assistant or job coach of one programme and partner."""

    staff_id: str
    programme_id: str
    partner_id: str
    role: StaffRole
    qualifications: frozenset[Qualification]
    availability: frozenset[Slot]
    leave: tuple[Leave, ...] = ()

    def on_leave(self, on: date) -> Leave | None:
        return next((lv for lv in self.leave if lv.covers(on)), None)

    def can_teach(self, on: date, slot: Slot, need: Qualification | None) -> bool:
        """Free in the slot by the weekly availability, not on leave, and qualified."""
        if need is not None and need not in self.qualifications:
            return False
        return slot in self.availability and self.on_leave(on) is None


@dataclass(frozen=True)
class Room:
    """A room at a location, with the number of people it seats."""

    room_id: str
    programme_id: str
    location_id: str
    capacity: int


@dataclass(frozen=True)
class Place:
    """A location's name and address (issue 18): where a participant's week takes place.
    The organisation's building, configuration, not personal data; never on the bus (the
    events carry ``location_id``)."""

    location_id: str
    name: str
    address: str


@dataclass(frozen=True)
class WeekPlaces:
    """Where a published week's sessions are held (issue 18): the location of each slot's
    room in the calendar, else the programme's one location when all its rooms are there."""

    by_slot: dict[Slot, str] = field(default_factory=dict)
    only: str | None = None

    @classmethod
    def of(cls, dated: Iterable[DatedSession], rooms: Iterable[Room]) -> WeekPlaces:
        """From the calendar's dated sessions of the week and the programme's rooms."""
        location = {r.room_id: r.location_id for r in rooms}
        by_slot = {
            s.slot: location[s.room_id]
            for s in dated
            if s.room_id in location and s.status is not SessionStatus.CANCELLED
        }
        places = set(location.values())
        return cls(by_slot, places.pop() if len(places) == 1 else None)

    def of_slot(self, slot: Slot, form: TeachingForm) -> str | None:
        """The location of a session in ``slot``; none for one taught without a room."""
        if form in ROOMLESS:
            return None
        return self.by_slot.get(slot, self.only)


@dataclass(frozen=True)
class Closure:
    """Days (inclusive) a programme teaches nothing: a holiday or a closure."""

    programme_id: str
    from_on: date
    to_on: date
    reason: str

    def covers(self, on: date) -> bool:
        return self.from_on <= on <= self.to_on


@dataclass(frozen=True)
class WeeklySession:
    """One weekly session to date: a group's, or a participant's own."""

    slot: Slot
    starts_at: time
    minutes: int
    form: TeachingForm
    kind: HoursKind
    module: CurriculumModule | None = None


@dataclass(frozen=True)
class Owner:
    """Whose weekly sessions are being dated: a group (with its size and band) or one
    participant (individual sessions and workplace days)."""

    programme_id: str
    band: LevelBand
    size: int
    regular_staff: str | None
    group_id: UUID | None = None
    participant_ref: str | None = None
    has_placement: bool = False

    @property
    def key(self) -> str:
        return str(self.group_id) if self.group_id else f"p:{self.participant_ref}"


@dataclass(frozen=True)
class DatedSession:
    """One session on one day, as the calendar keeps it."""

    session_id: UUID
    programme_id: str
    on: date
    slot: Slot
    starts_at: time
    minutes: int
    form: TeachingForm
    kind: HoursKind
    group_id: UUID | None = None
    participant_ref: str | None = None
    staff: str | None = None
    regular_staff: str | None = None
    room_id: str | None = None
    unstaffed: Unstaffed | None = None
    status: SessionStatus = SessionStatus.PLANNED
    module: CurriculumModule | None = None

    @property
    def substituted(self) -> bool:
        """Taught by another than its regular teacher (a group session's; an individual
        session has none, any qualified teacher will do)."""
        return self.regular_staff is not None and self.staff not in (None, self.regular_staff)


@dataclass
class Bookings:
    """Who and which room are already taken, per day and slot."""

    staff: set[tuple[date, Slot, str]] = field(default_factory=set)
    rooms: set[tuple[date, Slot, str]] = field(default_factory=set)

    @classmethod
    def of(cls, sessions: Iterable[DatedSession]) -> Bookings:
        booked = cls()
        for s in sessions:
            if s.status is SessionStatus.CANCELLED:
                continue
            if s.staff:
                booked.staff.add((s.on, s.slot, s.staff))
            if s.room_id:
                booked.rooms.add((s.on, s.slot, s.room_id))
        return booked


def session_id_for(owner_key: str, on: date, slot: Slot) -> UUID:
    """The same session gets the same id however often the calendar is generated."""
    return uuid5(CALENDAR_NAMESPACE, f"{owner_key}|{on.isoformat()}|{slot[0]}|{slot[1]}")


def needed_qualification(band: LevelBand) -> Qualification:
    """An alpha group needs a teacher qualified for literacy; the others NT2."""
    return Qualification.ALFA if band is LevelBand.ALPHA else Qualification.NT2


def closure_on(on: date, closures: Iterable[Closure]) -> Closure | None:
    return next((c for c in closures if c.covers(on)), None)


def days_of(weekday: str, from_on: date, to_on: date) -> Iterator[date]:
    """Every ``weekday`` from ``from_on`` to ``to_on`` inclusive."""
    ahead = (WEEKDAYS.index(weekday) - from_on.weekday()) % 7
    day = from_on + timedelta(days=ahead)
    while day <= to_on:
        yield day
        day += timedelta(days=7)


def slot_of(on: date, starts_at: time, start_times: dict[str, time]) -> Slot:
    """The slot a day and start time fall in: the latest day part starting at or before it."""
    parts = sorted(start_times.items(), key=lambda kv: kv[1])
    part = parts[0][0]
    for name, begins in parts:
        if begins <= starts_at:
            part = name
    return WEEKDAYS[on.weekday()], part


def pick_staff(
    staff: Sequence[StaffMember],
    *,
    regular: str | None,
    on: date,
    slot: Slot,
    need: Qualification | None,
    booked: Bookings,
) -> str | None:
    """The regular staff member when they can teach then; else the first qualified,
    available and unbooked teacher (a substitute); None when nobody can."""
    free = [
        m
        for m in staff
        if m.role is StaffRole.TEACHER
        and m.can_teach(on, slot, need)
        and (on, slot, m.staff_id) not in booked.staff
    ]
    for m in free:
        if m.staff_id == regular:
            return m.staff_id
    return free[0].staff_id if free else None


def pick_room(
    rooms: Sequence[Room], *, size: int, on: date, slot: Slot, booked: Bookings
) -> str | None:
    """The smallest free room that seats ``size`` (the teacher is not counted)."""
    fitting = sorted(
        (r for r in rooms if r.capacity >= size and (on, slot, r.room_id) not in booked.rooms),
        key=lambda r: (r.capacity, r.room_id),
    )
    return fitting[0].room_id if fitting else None


@dataclass(frozen=True)
class Resources:
    """What the calendar may use for one programme."""

    staff: Sequence[StaffMember]
    rooms: Sequence[Room]
    closures: Sequence[Closure]


def date_sessions(
    owner: Owner,
    weekly: Sequence[WeeklySession],
    from_on: date,
    to_on: date,
    resources: Resources,
    booked: Bookings,
) -> list[DatedSession]:
    """Every session of ``weekly`` from ``from_on`` to ``to_on``, skipping closed days,
    each staffed and roomed or marked with why not; ``booked`` is updated."""
    out: list[DatedSession] = []
    for weekly_session in weekly:
        for on in days_of(weekly_session.slot[0], from_on, to_on):
            if closure_on(on, resources.closures) is not None:
                continue
            out.append(_dated(owner, weekly_session, on, resources, booked))
    return sorted(out, key=lambda s: (s.on, s.starts_at))


def _dated(
    owner: Owner, weekly: WeeklySession, on: date, resources: Resources, booked: Bookings
) -> DatedSession:
    session = DatedSession(
        # A module's session has an id of its own: the same slot taught otherwise (or the
        # module again after a removal) is another session.
        session_id=session_id_for(
            f"{owner.key}|{weekly.module.value}" if weekly.module else owner.key, on, weekly.slot
        ),
        programme_id=owner.programme_id,
        on=on,
        slot=weekly.slot,
        starts_at=weekly.starts_at,
        minutes=weekly.minutes,
        form=weekly.form,
        kind=weekly.kind,
        module=weekly.module,
        group_id=owner.group_id,
        participant_ref=owner.participant_ref,
        # Only a group has a regular teacher; a participant's own session prefers their
        # group's teacher but is not "substituted" when another teaches it.
        regular_staff=owner.regular_staff if owner.group_id else None,
    )
    return staff_session(session, owner, resources, booked)


def staff_session(
    session: DatedSession, owner: Owner, resources: Resources, booked: Bookings
) -> DatedSession:
    """Staff and room for one session (again, after a move or a leave), or why not."""
    if session.form is TeachingForm.WORKPLACE_LEARNING:
        # A workplace day is supervised by the workplace and its job coach, not the school.
        if owner.has_placement:
            return replace(session, staff=None, room_id=None, unstaffed=None)
        return replace(session, staff=None, room_id=None, unstaffed=Unstaffed.NO_PLACEMENT)
    staff = pick_staff(
        resources.staff,
        regular=owner.regular_staff,
        on=session.on,
        slot=session.slot,
        need=needed_qualification(owner.band),
        booked=booked,
    )
    room = None
    if session.form not in ROOMLESS:
        room = pick_room(
            resources.rooms, size=owner.size, on=session.on, slot=session.slot, booked=booked
        )
    unstaffed = None
    if staff is None:
        unstaffed = Unstaffed.NO_QUALIFIED_STAFF
    elif room is None and session.form not in ROOMLESS:
        unstaffed = Unstaffed.NO_ROOM
    if staff:
        booked.staff.add((session.on, session.slot, staff))
    if room:
        booked.rooms.add((session.on, session.slot, room))
    return replace(session, staff=staff, room_id=room, unstaffed=unstaffed)


def default_staff(
    programme_id: str,
    partner_id: str,
    teachers: Sequence[str],
    slots: Iterable[Slot],
) -> list[StaffMember]:
    """The configured staff list as staff who are always available and hold both
    qualifications: what a programme without a staff register falls back to."""
    every = frozenset(slots)
    return [
        StaffMember(
            staff_id=t,
            programme_id=programme_id,
            partner_id=partner_id,
            role=StaffRole.TEACHER,
            qualifications=frozenset(Qualification),
            availability=every,
        )
        for t in teachers
    ]


@dataclass(frozen=True)
class RollCallClaim:
    """What a roll-call says of its session, to hold against the calendar."""

    session_on: date
    minutes: int
    kind: HoursKind
    form: TeachingForm
    group_id: UUID | None
    refs: tuple[str, ...]


def roll_call_problems(
    session: DatedSession, claim: RollCallClaim, expected: Iterable[str]
) -> list[str]:
    """Every way a roll-call disagrees with the calendar's session, in English (see
    :func:`roll_call_refusals`)."""
    return [p.sentence() for p in roll_call_refusals(session, claim, expected)]


def roll_call_refusals(
    session: DatedSession, claim: RollCallClaim, expected: Iterable[str]
) -> list[Problem]:
    """Every way a roll-call disagrees with the calendar's session: its day, length, kind,
    form or group, a cancelled session, or a participant who was not expected there."""
    found = []
    if session.status is SessionStatus.CANCELLED:
        found.append(Problem.of(LineProblem.SESSION_CANCELLED))
    if claim.session_on != session.on:
        found.append(Problem.of(LineProblem.OTHER_DAY, day=session.on))
    if claim.minutes != session.minutes:
        found.append(Problem.of(LineProblem.OTHER_LENGTH, minutes=session.minutes))
    if claim.kind is not session.kind or claim.form is not session.form:
        found.append(
            Problem.of(LineProblem.OTHER_FORM, form=session.form.value, kind=session.kind.value)
        )
    if claim.group_id != session.group_id:
        found.append(Problem.of(LineProblem.OTHER_GROUP))
    wanted = set(expected)
    found += [Problem.of(LineProblem.NOT_EXPECTED, ref) for ref in claim.refs if ref not in wanted]
    return found


def day_overloads(
    session: DatedSession,
    that_day: Iterable[DatedSession],
    groups_of: Mapping[str, UUID | None],
    day_maximum: int,
) -> list[Problem]:
    """The participants ``session`` (on its day) would take over ``day_maximum`` minutes
    on that day, with the other sessions of theirs the calendar holds then (``that_day``:
    their own and their group's; ``groups_of``: each participant expected and their group).

    The calendar never dates more on one day than the ledger accepts from one participant
    (``over_day_maximum``): a session taught then could not be recorded. A move that would
    do so is refused with the participants it would overload, for the planner to pick
    another day or time."""
    others = [
        s
        for s in that_day
        if s.session_id != session.session_id
        and s.on == session.on
        and s.status is not SessionStatus.CANCELLED
    ]
    found = []
    for ref, group in sorted(groups_of.items()):
        minutes = sum(
            s.minutes
            for s in others
            if (s.group_id is None and s.participant_ref == ref)
            or (group is not None and s.group_id == group)
        )
        if minutes + session.minutes > day_maximum:
            found.append(Problem.of(LineProblem.OVER_DAY_MAXIMUM, ref, max=day_maximum))
    return found


def eligible_teachers(
    staff: Sequence[StaffMember], band: LevelBand, slots: Iterable[Slot], on: date
) -> list[str]:
    """The register's teachers a new group may get: qualified for its band, available in
    every one of its slots, and not on leave on its first day (group formation, L7)."""
    need = needed_qualification(band)
    wanted = list(slots)
    return [
        m.staff_id
        for m in staff
        if m.role is StaffRole.TEACHER and all(m.can_teach(on, slot, need) for slot in wanted)
    ]


def eligible_assistants(
    staff: Sequence[StaffMember], band: LevelBand, slots: Iterable[Slot], on: date
) -> list[str]:
    """The register's class assistants a new group may get, as teachers are chosen:
    qualified for its band (alfa for an alpha group), available in every one of its slots
    and not on leave on its first day."""
    need = needed_qualification(band)
    wanted = list(slots)
    return [
        m.staff_id
        for m in staff
        if m.role is StaffRole.ASSISTANT and all(m.can_teach(on, slot, need) for slot in wanted)
    ]


def teacher_capacity(
    staff: Sequence[StaffMember],
    needs: Iterable[Qualification],
    on: date,
    slots: Iterable[Slot],
    *,
    holding: Mapping[Slot, set[str]],
    elsewhere: Mapping[Slot, set[str]],
    rooms: int | None = None,
    role: StaffRole = StaffRole.TEACHER,
) -> tuple[int, Counter[Slot]]:
    """Group formation's staff capacity from the register (issue 16 item 5): the teachers
    it may count, and per slot how many of them are *not* free then, as the solver's
    ``Capacity.teachers`` and ``busy_teachers`` take them.

    A teacher is free in a slot when qualified for one of ``needs`` (the bands being
    formed), available in the slot by the weekly availability, not on leave on ``on`` (a
    new group's first day) and not teaching another programme's group then
    (``elsewhere``). The teachers of the programme's own groups (``holding``) count in
    their groups' slots whatever their register entry says: the solver books those groups
    itself. So the room per slot is the free teachers less the programme's own groups.

    ``rooms`` (the programme's rooms that seat a group of the minimum size; None: no rooms
    registered) bounds the groups per slot as well: a group meets in a room.

    With ``role`` assistant it counts the class assistants the same way (``holding`` and
    ``elsewhere`` then name the groups' assistants)."""
    wanted = frozenset(needs)
    teachers = [m for m in staff if m.role is role and m.qualifications & wanted]
    pool = {m.staff_id for m in teachers} | {t for held in holding.values() for t in held}
    busy: Counter[Slot] = Counter()
    for slot in slots:
        free = {
            m.staff_id
            for m in teachers
            if m.can_teach(on, slot, None) and m.staff_id not in elsewhere.get(slot, set())
        }
        held = holding.get(slot, set())
        count = len(free | held)
        # The programme's own groups meeting then keep their slot whatever the rooms.
        allowed = count if rooms is None else max(min(count, rooms), len(held))
        busy[slot] = len(pool) - allowed
    return len(pool), busy
