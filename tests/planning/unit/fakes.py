"""A fake unit of work with fake repositories: planning's handlers run against it without
the broker or the database (the fast handler tier)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from zroute_contract.events.base import Event
from zroute_contract.events.codes import PreconditionKind
from zroute_planning.domain.plan import Plan

from tests.planning.events import TODAY


class FakePlans:
    def __init__(self, *plans: Plan) -> None:
        self.rows = {p.participant_ref: p for p in plans}
        self.seen: list[Plan] = []
        self.saved: list[Plan] = []

    async def get(self, participant_ref: str, *, lock: bool = True) -> Plan | None:
        plan = self.rows.get(participant_ref)
        if plan is not None and plan not in self.seen:
            self.seen.append(plan)
        return plan

    async def save(self, plan: Plan) -> None:
        self.rows[plan.participant_ref] = plan
        self.saved.append(plan)
        if plan not in self.seen:
            self.seen.append(plan)


class FakePlacements:
    def __init__(self, *requested: UUID) -> None:
        self.status = {r: "requested" for r in requested}

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


@dataclass
class FakeRecords:
    participants: dict[str, tuple[str, str]] = field(default_factory=dict)
    partners: dict[str, tuple[list[str], bool]] = field(default_factory=dict)
    preconditions: dict[UUID, tuple[str, PreconditionKind, bool]] = field(default_factory=dict)

    async def record_participant(
        self, participant_ref: str, programme_id: str, municipality: str, *, registered_on=None
    ) -> None:
        self.participants[participant_ref] = (programme_id, municipality)

    async def record_partner(self, partner_id: str, capabilities: list[str], active: bool) -> None:
        self.partners[partner_id] = (capabilities, active)

    async def record_precondition(
        self, precondition_id, participant_ref, kind, *, arranged: bool, on: date
    ) -> None:
        self.preconditions[precondition_id] = (participant_ref, kind, arranged)

    async def arranged_kinds(self, participant_ref: str) -> set[PreconditionKind]:
        return {k for ref, k, ok in self.preconditions.values() if ref == participant_ref and ok}


class FakeClock:
    def now(self) -> datetime:
        return datetime.combine(TODAY, datetime.min.time(), UTC).replace(hour=9)


class FakeUnitOfWork:
    """What the handlers reach: the repositories, the clock and ``emit``; ``events`` are
    what a commit would write (emitted first, then the seen plans' own)."""

    def __init__(self, *plans: Plan, placements: FakePlacements | None = None) -> None:
        self.plans = FakePlans(*plans)
        self.placements = placements or FakePlacements()
        self.records = FakeRecords()
        self.clock = FakeClock()
        self.emitted: list[Event] = []

    def emit(self, payload: Event, **_: object) -> None:
        self.emitted.append(payload)

    @property
    def events(self) -> list[Event]:
        return [*self.emitted, *(e for plan in self.plans.seen for e in plan.events)]


@dataclass
class FakeContext:
    uow: FakeUnitOfWork
