"""Planning's fake repositories on the shared fake unit of work (``tests/fakes.py``): the
handlers run against them without the broker or the database (the fast handler tier).
They keep what the real ones keep where a handler can tell: plans, placement requests,
the waiting list and group memberships, timers, the published week, and what the other
services registered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from zroute_contract.events.codes import HoursKind
from zroute_planning.adapters.group_repo import GroupRow
from zroute_planning.domain.plan import Plan

from tests.fakes import FakeRepository, FakeUnitOfWork, FixedClock
from tests.planning.events import TODAY


class FakePlans(FakeRepository[Plan]):
    def __init__(self, *plans: Plan) -> None:
        super().__init__(*plans, key="participant_ref")

    async def save(self, plan: Plan) -> None:
        await super().save(plan)
        plan.version += 1


class FakePlacements:
    def __init__(self, *requested: UUID) -> None:
        self.status = {r: "requested" for r in requested}
        self.requests: dict[UUID, dict[str, Any]] = {}

    async def confirm(self, placement_request_id: UUID, placement_id: UUID) -> bool:
        if placement_request_id not in self.status:
            return False
        self.status[placement_request_id] = "confirmed"
        return True

    async def decline(self, placement_request_id: UUID) -> bool:
        if placement_request_id not in self.status:
            return False
        if self.status[placement_request_id] == "requested":
            self.status[placement_request_id] = "declined"
        return True

    async def add(
        self,
        placement_request_id: UUID,
        participant_ref: str,
        activity: str,
        needed_by: date,
        hours_per_week: float,
        on: date,
    ) -> None:
        self.status[placement_request_id] = "requested"
        self.requests[placement_request_id] = {"participant_ref": participant_ref}

    async def has_open_or_confirmed(self, participant_ref: str) -> bool:
        return any(
            self.status[r] in ("requested", "declined", "confirmed")
            for r, row in self.requests.items()
            if row["participant_ref"] == participant_ref
        )

    async def cancel_open(self, participant_ref: str) -> list[UUID]:
        cancelled = [
            r
            for r, row in self.requests.items()
            if row["participant_ref"] == participant_ref
            and self.status[r] in ("requested", "declined")
        ]
        for r in cancelled:
            self.status[r] = "cancelled"
        return cancelled


@dataclass
class FakeRecords:
    participants: dict[str, tuple[str, str]] = field(default_factory=dict)
    partners: dict[str, tuple[list[str], bool]] = field(default_factory=dict)
    preconditions: dict[UUID, tuple[str, str, bool]] = field(default_factory=dict)
    schedules: dict[UUID, tuple[int, date, list[dict[str, Any]]]] = field(default_factory=dict)
    held: dict[str, Any] = field(default_factory=dict)
    changed_on: dict[UUID, date] = field(default_factory=dict)
    follow_ups: dict[str, UUID] = field(default_factory=dict)
    paces: dict[str, int] = field(default_factory=dict)
    waivers: dict[str, UUID] = field(default_factory=dict)
    module_rows: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # The unit of work's timers, so that ``timer_due`` reads what is pending.
    timers: FakeTimers | None = None

    async def hold_intake(self, outcome) -> None:
        self.held[outcome.participant_ref] = outcome

    async def held_intake(self, participant_ref: str):
        return self.held.get(participant_ref)

    async def release_held_intake(self, participant_ref: str) -> None:
        self.held.pop(participant_ref, None)

    async def record_participant(
        self, participant_ref: str, programme_id: str, municipality: str, *, registered_on=None
    ) -> None:
        self.participants[participant_ref] = (programme_id, municipality)

    async def participant_known(self, participant_ref: str) -> bool:
        return participant_ref in self.participants

    async def record_partner(self, partner_id: str, capabilities: list[str], active: bool) -> None:
        self.partners[partner_id] = (capabilities, active)

    async def partner_active(self, partner_id: str) -> bool:
        return self.partners.get(partner_id, ([], False))[1]

    async def record_precondition(
        self, precondition_id, participant_ref, kind, *, arranged: bool, on: date
    ) -> None:
        self.preconditions[precondition_id] = (participant_ref, kind, arranged)
        self.changed_on[precondition_id] = on

    async def arranged_from(self, participant_ref: str) -> dict[str, date]:
        found: dict[str, date] = {}
        for pid, (ref, kind, ok) in self.preconditions.items():
            if ref == participant_ref and ok:
                day = self.changed_on[pid]
                found[kind] = min(found.get(kind, day), day)
        return found

    async def arranged_kinds(self, participant_ref: str) -> set[str]:
        return {k for ref, k, ok in self.preconditions.values() if ref == participant_ref and ok}

    async def hours_to_date(self, participant_ref: str) -> dict[HoursKind, float]:
        return dict.fromkeys(HoursKind, 0.0)

    async def targets_waiver(self, participant_ref: str) -> UUID | None:
        return self.waivers.get(participant_ref)

    async def add_module(
        self, participant_ref, module, *, provider_id, hours, by, reason, at, teaching_form=None
    ):
        self.module_rows.setdefault(participant_ref, {})[module] = {
            "module": module,
            "provider_id": provider_id,
            "hours": hours,
            "teaching_form": teaching_form,
            "completed_on": None,
            "completed_hours": None,
        }

    async def remove_module(self, participant_ref, module, *, by, reason, at) -> None:
        self.module_rows.get(participant_ref, {}).pop(module, None)

    async def complete_module(self, participant_ref, module, *, on, hours, by) -> bool:
        row = self.module_rows.get(participant_ref, {}).get(module)
        if row is None:
            return False
        row.update(completed_on=on, completed_hours=hours)
        return True

    async def modules(self, participant_ref: str) -> list[dict[str, Any]]:
        return list(self.module_rows.get(participant_ref, {}).values())

    async def module_hours(self, participant_ref: str) -> dict[str, float]:
        return {}  # no calendar: no session of a module was attended

    async def ramp_up_pace(self, participant_ref: str) -> int | None:
        return self.paces.get(participant_ref)

    async def set_ramp_up_pace(self, participant_ref, pace_percent, *, reason, by, at) -> None:
        self.paces[participant_ref] = pace_percent

    async def follow_up_id(self, participant_ref: str) -> UUID | None:
        return self.follow_ups.get(participant_ref)

    async def timer_due(self, *, kind: str, key: str) -> datetime | None:
        return self.timers.pending.get((kind, key)) if self.timers else None

    async def save_schedule(
        self, plan_id: UUID, phase: int, valid_from: date, sessions: list[dict[str, Any]]
    ) -> None:
        self.schedules[plan_id] = (phase, valid_from, sessions)


@dataclass
class FakeGroups:
    """The waiting list and group memberships (no group is ever formed here)."""

    waiting: dict[str, tuple[str, str, date]] = field(default_factory=dict)
    members: dict[str, UUID] = field(default_factory=dict)

    async def current_group(self, participant_ref: str) -> GroupRow | None:
        return None

    async def set_waiting(
        self, ref: str, programme_id: str, band: str, reason: str, on: date
    ) -> bool:
        before = self.waiting.get(ref)
        self.waiting[ref] = (reason, band, before[2] if before else on)
        return before is None or before[:2] != (reason, band)

    async def waiting_since(self, ref: str) -> date | None:
        entry = self.waiting.get(ref)
        return entry[2] if entry else None

    async def clear_waiting(self, ref: str) -> None:
        self.waiting.pop(ref, None)

    async def remove_member(self, ref: str, on: date, reason: str) -> UUID | None:
        return self.members.pop(ref, None)


@dataclass
class FakeTimers:
    pending: dict[tuple[str, str], datetime] = field(default_factory=dict)

    async def schedule(self, *, kind: str, key: str, due_at: datetime, payload=None) -> None:
        self.pending[(kind, key)] = due_at

    async def cancel(self, *, kind: str, key: str) -> bool:
        return self.pending.pop((kind, key), None) is not None


@dataclass
class FakeLedger:
    """Ledger lines by (session, participant), with the sums the handlers ask for."""

    lines: dict[tuple[UUID, str], dict[str, Any]] = field(default_factory=dict)

    async def attendance_of(self, session_id: UUID, participant_ref: str) -> dict | None:
        return self.lines.get((session_id, participant_ref))

    async def add_attendance(
        self, session_id, participant_ref, session_on, group_id, kind, form, status, minutes,
        hours, absence_reason=None, session_minutes=None, recording_partner=None, module=None,
    ) -> None:  # fmt: skip
        self.lines[(session_id, participant_ref)] = {
            "session_on": session_on,
            "status": status,
            "kind": kind,
            "minutes": minutes,
            "absence_reason": absence_reason,
        }

    async def present_minutes_on(self, participant_ref: str, day: date, *, besides: UUID) -> int:
        return sum(
            line["minutes"]
            for (session, ref), line in self.lines.items()
            if ref == participant_ref
            and line["session_on"] == day
            and session != besides
            and line["status"] == "present"
        )

    async def attendance_since(self, participant_ref: str, after: date, *, count_excused: bool):
        mine = [
            line
            for (_, ref), line in self.lines.items()
            if ref == participant_ref and line["session_on"] > after
        ]
        kept = ("present",) if count_excused else ("present", "absent_with_reason")
        return {
            "n": len(mine),
            "planned": sum(line["minutes"] for line in mine),
            "not_missed": sum(line["minutes"] for line in mine if line["status"] in kept),
        }


class FakeCalendar:
    """An empty calendar: every session id is one the calendar does not hold, on days it
    has no sessions (a programme without a calendar, as before issue 16's calendar)."""

    async def session(self, session_id: UUID, *, lock: bool = False):
        return None

    async def sessions(self, programme_id: str, from_on: date, to_on: date, **_: object):
        return []

    async def staff(self, programme_id: str):
        return []  # no register: formation staffs from the configured list

    async def rooms(self, programme_id: str):
        return []  # no rooms: a published week names no place (issue 18)

    async def last_day(self, programme_id: str):
        return None  # no calendar yet: a changed week is dated when it is generated

    async def coming(self, from_on: date, **_: object):
        return []

    async def module_sessions(self, participant_ref: str, module: str, from_on: date):
        return []


def planning_uow(*plans: Plan, placements: FakePlacements | None = None) -> FakeUnitOfWork:
    """A fake unit of work with planning's repositories, on the morning of ``TODAY``."""
    timers = FakeTimers()
    return FakeUnitOfWork(
        FixedClock(datetime.combine(TODAY, datetime.min.time(), UTC).replace(hour=9)),
        plans=FakePlans(*plans),
        placements=placements or FakePlacements(),
        records=FakeRecords(timers=timers),
        groups=FakeGroups(),
        timers=timers,
        ledger=FakeLedger(),
        calendar=FakeCalendar(),
    )


@dataclass
class FakeContext:
    uow: FakeUnitOfWork
