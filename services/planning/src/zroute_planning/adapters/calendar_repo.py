"""The dated calendar, closures, staff and rooms (``uow.calendar``): the SQL lives here."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from zroute_contract.events.codes import CurriculumModule, HoursKind, TeachingForm
from zroute_runtime.repository import TrackingRepository

from zroute_planning.domain.calendar import (
    Closure,
    DatedSession,
    Leave,
    Place,
    Qualification,
    Room,
    SessionStatus,
    StaffMember,
    StaffRole,
    Unstaffed,
)


def _session(row: asyncpg.Record) -> DatedSession:
    return DatedSession(
        session_id=row["session_id"],
        programme_id=row["programme_id"],
        on=row["session_on"],
        slot=(row["weekday"], row["day_part"]),
        starts_at=row["starts_at"],
        minutes=row["minutes"],
        form=TeachingForm(row["teaching_form"]),
        kind=HoursKind(row["kind"]),
        group_id=row["group_id"],
        participant_ref=row["participant_ref"],
        staff=row["staff"],
        regular_staff=row["regular_staff"],
        room_id=row["room_id"],
        unstaffed=Unstaffed(row["unstaffed"]) if row["unstaffed"] else None,
        status=SessionStatus(row["status"]),
        module=CurriculumModule(row["module"]) if row["module"] else None,
    )


class CalendarRepository(TrackingRepository):
    # -- closures -------------------------------------------------------------------
    async def add_closure(self, closure: Closure, by: str, at: datetime) -> UUID:
        closure_id = uuid4()
        await self.conn.execute(
            "INSERT INTO planning_closures VALUES ($1, $2, $3, $4, $5, $6, $7)",
            closure_id,
            closure.programme_id,
            closure.from_on,
            closure.to_on,
            closure.reason,
            by,
            at,
        )
        return closure_id

    async def closures(self, programme_id: str) -> list[Closure]:
        rows = await self.conn.fetch(
            "SELECT * FROM planning_closures WHERE programme_id = $1 ORDER BY from_on",
            programme_id,
        )
        return [Closure(r["programme_id"], r["from_on"], r["to_on"], r["reason"]) for r in rows]

    # -- staff and rooms --------------------------------------------------------------
    async def save_staff(self, member: StaffMember, by: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO planning_staff VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            " ON CONFLICT (staff_id) DO UPDATE SET programme_id = $2, partner_id = $3,"
            " role = $4, qualifications = $5, availability = $6, recorded_by = $7,"
            " recorded_at = $8",
            member.staff_id,
            member.programme_id,
            member.partner_id,
            member.role.value,
            sorted(q.value for q in member.qualifications),
            sorted([list(s) for s in member.availability]),
            by,
            at,
        )

    async def add_leave(self, staff_id: str, leave: Leave, by: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO planning_staff_leave VALUES ($1, $2, $3, $4, $5, $6, $7)",
            uuid4(),
            staff_id,
            leave.from_on,
            leave.to_on,
            leave.reason,
            by,
            at,
        )

    async def staff(self, programme_id: str) -> list[StaffMember]:
        rows = await self.conn.fetch(
            "SELECT s.*, coalesce(json_agg(json_build_object('from_on', l.from_on, 'to_on',"
            " l.to_on, 'reason', l.reason) ORDER BY l.from_on) FILTER (WHERE l.leave_id IS NOT"
            " NULL), '[]') AS leave FROM planning_staff s LEFT JOIN planning_staff_leave l"
            " ON l.staff_id = s.staff_id WHERE s.programme_id = $1 GROUP BY s.staff_id"
            " ORDER BY s.staff_id",
            programme_id,
        )
        return [_staff(r) for r in rows]

    async def staff_member(self, staff_id: str) -> StaffMember | None:
        row = await self.conn.fetchrow(
            "SELECT programme_id FROM planning_staff WHERE staff_id = $1", staff_id
        )
        if row is None:
            return None
        return next(m for m in await self.staff(row["programme_id"]) if m.staff_id == staff_id)

    async def save_room(self, room: Room, by: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO planning_rooms VALUES ($1, $2, $3, $4, $5, $6)"
            " ON CONFLICT (room_id) DO UPDATE SET programme_id = $2, location_id = $3,"
            " capacity = $4, recorded_by = $5, recorded_at = $6",
            room.room_id,
            room.programme_id,
            room.location_id,
            room.capacity,
            by,
            at,
        )

    async def rooms(self, programme_id: str) -> list[Room]:
        rows = await self.conn.fetch(
            "SELECT * FROM planning_rooms WHERE programme_id = $1 ORDER BY room_id", programme_id
        )
        return [
            Room(r["room_id"], r["programme_id"], r["location_id"], r["capacity"]) for r in rows
        ]

    async def location_of(self, room_id: str | None) -> str | None:
        if room_id is None:
            return None
        result: str | None = await self.conn.fetchval(
            "SELECT location_id FROM planning_rooms WHERE room_id = $1", room_id
        )
        return result

    # -- places (issue 18) -------------------------------------------------------------
    async def save_place(self, place: Place, by: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO planning_places VALUES ($1, $2, $3, $4, $5)"
            " ON CONFLICT (location_id) DO UPDATE SET name = $2, address = $3,"
            " recorded_by = $4, recorded_at = $5",
            place.location_id,
            place.name,
            place.address,
            by,
            at,
        )

    async def place(self, location_id: str) -> Place | None:
        row = await self.conn.fetchrow(
            "SELECT location_id, name, address FROM planning_places WHERE location_id = $1",
            location_id,
        )
        return Place(row["location_id"], row["name"], row["address"]) if row else None

    # -- sessions ---------------------------------------------------------------------
    async def add_sessions(self, sessions: list[DatedSession]) -> int:
        """Insert the sessions not there yet (a cancelled or moved one stays as it is);
        returns how many were new."""
        added = 0
        for s in sessions:
            status = await self.conn.execute(
                "INSERT INTO planning_calendar_sessions (session_id, programme_id, group_id,"
                " participant_ref, session_on, weekday, day_part, starts_at, minutes,"
                " teaching_form, kind, staff, regular_staff, room_id, unstaffed, status, module)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,"
                " $17)"
                " ON CONFLICT (session_id) DO NOTHING",
                *_columns(s),
            )
            added += status.endswith(" 1")
        return added

    async def sessions(
        self,
        programme_id: str,
        from_on: date,
        to_on: date,
        *,
        participant_ref: str | None = None,
        group_ids: list[UUID] | None = None,
    ) -> list[DatedSession]:
        """The programme's sessions in the days, optionally one participant's own and
        those of the given groups."""
        rows = await self.conn.fetch(
            "SELECT * FROM planning_calendar_sessions WHERE programme_id = $1"
            " AND session_on BETWEEN $2 AND $3"
            " AND ($4::text IS NULL OR participant_ref = $4 OR group_id = ANY($5::uuid[]))"
            " ORDER BY session_on, starts_at, session_id",
            programme_id,
            from_on,
            to_on,
            participant_ref,
            group_ids or [],
        )
        return [_session(r) for r in rows]

    async def last_day(self, programme_id: str) -> date | None:
        """The last day the programme's calendar holds a session on (None: no calendar)."""
        last: date | None = await self.conn.fetchval(
            "SELECT max(session_on) FROM planning_calendar_sessions WHERE programme_id = $1",
            programme_id,
        )
        return last

    async def coming(
        self,
        from_on: date,
        *,
        participant_ref: str | None = None,
        group_id: UUID | None = None,
    ) -> list[DatedSession]:
        """A participant's own (not a group's) or a group's sessions from a day on, not
        cancelled and without a recorded line: the coming sessions a changed week may take
        back (a session held keeps its hours)."""
        rows = await self.conn.fetch(
            "SELECT * FROM planning_calendar_sessions s WHERE s.session_on >= $1"
            " AND s.status <> 'cancelled'"
            " AND (($2::text IS NOT NULL AND s.participant_ref = $2 AND s.group_id IS NULL)"
            " OR ($3::uuid IS NOT NULL AND s.group_id = $3))"
            " AND NOT EXISTS (SELECT 1 FROM planning_attendance a"
            " WHERE a.session_id = s.session_id)"
            " ORDER BY s.session_on, s.starts_at, s.session_id",
            from_on,
            participant_ref,
            group_id,
        )
        return [_session(r) for r in rows]

    async def module_sessions(
        self, participant_ref: str, module: str, from_on: date
    ) -> list[DatedSession]:
        """A participant's sessions of one customised module from a day on, not cancelled."""
        rows = await self.conn.fetch(
            "SELECT * FROM planning_calendar_sessions WHERE participant_ref = $1"
            " AND module = $2 AND session_on >= $3 AND status <> 'cancelled'"
            " ORDER BY session_on, starts_at",
            participant_ref,
            module,
            from_on,
        )
        return [_session(r) for r in rows]

    async def session_page(
        self,
        programme_id: str,
        from_on: date,
        to_on: date,
        *,
        search: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[DatedSession], int]:
        """One page of the programme's sessions in the days and how many there are in
        all, searched in the database: ``search`` is part of a teacher's or room's id or
        of a participant's reference (their own sessions and their current group's)."""
        rows = await self.conn.fetch(
            "SELECT *, count(*) OVER () AS total FROM planning_calendar_sessions s"
            " WHERE s.programme_id = $1 AND s.session_on BETWEEN $2 AND $3"
            " AND ($4::text IS NULL OR s.staff LIKE '%' || $4 || '%'"
            "  OR s.regular_staff LIKE '%' || $4 || '%' OR s.room_id LIKE '%' || $4 || '%'"
            "  OR s.participant_ref LIKE '%' || $4 || '%'"
            "  OR s.group_id IN (SELECT m.group_id FROM planning_group_members m"
            "   WHERE m.left_on IS NULL AND m.participant_ref LIKE '%' || $4 || '%'))"
            " ORDER BY s.session_on, s.starts_at, s.session_id LIMIT $5 OFFSET $6",
            programme_id,
            from_on,
            to_on,
            search,
            limit,
            offset,
        )
        return [_session(r) for r in rows], rows[0]["total"] if rows else 0

    async def session(self, session_id: UUID, *, lock: bool = False) -> DatedSession | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM planning_calendar_sessions WHERE session_id = $1"
            + (" FOR UPDATE" if lock else ""),
            session_id,
        )
        return _session(row) if row else None

    async def change_details(self, session_id: UUID) -> dict[str, Any] | None:
        row = await self.conn.fetchrow(
            "SELECT changed_reason, changed_note, changed_by, changed_at, moved_from_on,"
            " moved_from_at FROM planning_calendar_sessions WHERE session_id = $1",
            session_id,
        )
        return dict(row) if row else None

    async def staffed_on(self, staff_id: str, from_on: date, to_on: date) -> list[DatedSession]:
        """Sessions a staff member teaches (or regularly teaches) in the days."""
        rows = await self.conn.fetch(
            "SELECT * FROM planning_calendar_sessions WHERE (staff = $1 OR regular_staff = $1)"
            " AND session_on BETWEEN $2 AND $3 AND status <> 'cancelled'"
            " ORDER BY session_on, starts_at",
            staff_id,
            from_on,
            to_on,
        )
        return [_session(r) for r in rows]

    async def update_session(
        self,
        s: DatedSession,
        *,
        reason: str | None = None,
        note: str | None = None,
        by: str | None = None,
        at: datetime | None = None,
        moved_from: DatedSession | None = None,
    ) -> None:
        """Write the session's new day, time, staff, room and state, with who and why."""
        await self.conn.execute(
            "UPDATE planning_calendar_sessions SET session_on = $2, weekday = $3, day_part = $4,"
            " starts_at = $5, staff = $6, room_id = $7, unstaffed = $8, status = $9,"
            " changed_reason = coalesce($10, changed_reason), changed_note = coalesce($11,"
            " changed_note), changed_by = coalesce($12, changed_by), changed_at = coalesce($13,"
            " changed_at), moved_from_on = coalesce(moved_from_on, $14), moved_from_at ="
            " coalesce(moved_from_at, $15) WHERE session_id = $1",
            s.session_id,
            s.on,
            s.slot[0],
            s.slot[1],
            s.starts_at,
            s.staff,
            s.room_id,
            s.unstaffed.value if s.unstaffed else None,
            s.status.value,
            reason,
            note,
            by,
            at,
            moved_from.on if moved_from else None,
            moved_from.starts_at if moved_from else None,
        )


def _columns(s: DatedSession) -> tuple[Any, ...]:
    return (
        s.session_id,
        s.programme_id,
        s.group_id,
        s.participant_ref,
        s.on,
        s.slot[0],
        s.slot[1],
        s.starts_at,
        s.minutes,
        s.form.value,
        s.kind.value,
        s.staff,
        s.regular_staff,
        s.room_id,
        s.unstaffed.value if s.unstaffed else None,
        s.status.value,
        s.module.value if s.module else None,
    )


def _staff(row: asyncpg.Record) -> StaffMember:
    leave = row["leave"]
    if isinstance(leave, str):
        leave = json.loads(leave)
    return StaffMember(
        staff_id=row["staff_id"],
        programme_id=row["programme_id"],
        partner_id=row["partner_id"],
        role=StaffRole(row["role"]),
        qualifications=frozenset(Qualification(q) for q in row["qualifications"]),
        availability=frozenset((s[0], s[1]) for s in row["availability"]),
        leave=tuple(
            Leave(date.fromisoformat(lv["from_on"]), date.fromisoformat(lv["to_on"]), lv["reason"])
            for lv in leave
        ),
    )
