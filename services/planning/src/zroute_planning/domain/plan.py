"""The plan aggregate: activation (L12), the preconditions gate (L14), pause and resume,
withdrawal and completion. It records the events it causes in ``events``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from zroute_contract import errors
from zroute_contract.events.base import Event
from zroute_contract.events.codes import (
    CurriculumModule,
    LevelBand,
    PauseReason,
    PreconditionKind,
    Route,
)
from zroute_contract.events.intake import IntakeOutcome
from zroute_contract.events.parts import AvailabilitySlot
from zroute_contract.events.planning import (
    HoursTargets,
    PlanActivated,
    PlanPaused,
    PlanResumed,
    PlanStartScheduled,
    RampUpPhase,
)

from zroute_planning.domain.grouping import Slot
from zroute_planning.domain.modules import choose_modules, level_band
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.domain.schedule import slot_order


class PlanStatus(StrEnum):
    WAITING = "waiting_for_preconditions"
    ACTIVE = "active"
    PAUSED = "paused"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


class PlanError(errors.Conflict):
    """A command the plan refuses in its current state; the message says why (409)."""


class InvalidRequest(errors.InvalidRequest, PlanError):
    """A command whose values the rules refuse (a lead time too short, a future session)."""


@dataclass
class Plan:
    plan_id: UUID
    participant_ref: str
    programme_id: str
    status: PlanStatus
    level_band: LevelBand
    availability: frozenset[Slot]
    modules: tuple[CurriculumModule, ...]
    needed: frozenset[PreconditionKind]
    arranged: set[PreconditionKind]
    activated_on: date
    term_end: date
    start_on: date | None = None
    paused_since: date | None = None
    paused_days: int = 0
    at_risk: bool = False
    version: int = 0
    events: list[Event] = field(default_factory=list)

    @property
    def missing(self) -> tuple[PreconditionKind, ...]:
        return tuple(sorted(self.needed - self.arranged))

    @property
    def is_open(self) -> bool:
        return self.status not in (PlanStatus.WITHDRAWN, PlanStatus.COMPLETED)

    def route_week(self, today: date) -> int:
        if self.start_on is None or today < self.start_on:
            return 1
        return max(1, ((today - self.start_on).days - self.paused_days) // 7 + 1)

    @classmethod
    def activate(
        cls,
        intake: IntakeOutcome,
        rules: PlanningRules,
        *,
        today: date,
        term_start: date,
        arranged: set[PreconditionKind],
    ) -> Plan:
        needed = set()
        if intake.childcare.needed:
            needed.add(PreconditionKind.CHILDCARE)
        if intake.transport.needed:
            needed.add(PreconditionKind.TRANSPORT)
        plan = cls(
            plan_id=uuid4(),
            participant_ref=intake.participant_ref,
            programme_id=intake.programme_id,
            status=PlanStatus.WAITING,
            level_band=level_band(intake, rules.groups),
            availability=frozenset(
                (s.weekday.value, s.day_part.value) for s in intake.availability
            ),
            modules=choose_modules(intake, rules),
            needed=frozenset(needed),
            arranged=set(arranged),
            activated_on=today,
            term_end=_years_after(term_start, rules.integration_term_years),
        )
        if not plan.missing:
            plan.status = PlanStatus.ACTIVE
            plan.start_on = today + timedelta(days=rules.start_after_days)
        return plan

    def activated_event(self, rules: PlanningRules, fits: bool) -> PlanActivated:
        t = rules.targets
        return PlanActivated(
            participant_ref=self.participant_ref,
            programme_id=self.programme_id,
            plan_id=self.plan_id,
            route=Route.Z_ROUTE,
            targets=HoursTargets(
                total=t.total,
                language=t.language,
                participation=t.participation,
                knm=t.knm,
                map=t.map,
            ),
            modules=self.modules,
            ramp_up=tuple(
                RampUpPhase(
                    phase=i + 1,
                    from_week=p.from_week,
                    sessions_per_week=p.sessions_per_week,
                    session_minutes=p.session_minutes,
                )
                for i, p in enumerate(rules.phases)
            ),
            start_on=self.start_on,
            waiting_for=self.missing,
            integration_term_end=self.term_end,
            targets_fit_term=fits,
        )

    def precondition_arranged(
        self, kind: PreconditionKind, *, today: date, rules: PlanningRules
    ) -> bool:
        """Record an arrangement; True when it gave the plan its start or resumed it."""
        self.arranged.add(kind)
        return self.open_gate(today, rules)

    def open_gate(self, today: date, rules: PlanningRules) -> bool:
        """Start a waiting plan, or resume a paused one, once nothing is missing."""
        if self.missing:
            return False
        if self.status is PlanStatus.WAITING:
            self.status = PlanStatus.ACTIVE
            self.start_on = today + timedelta(days=rules.start_after_days)
            self.events.append(
                PlanStartScheduled(
                    participant_ref=self.participant_ref,
                    programme_id=self.programme_id,
                    plan_id=self.plan_id,
                    start_on=self.start_on,
                    integration_term_end=self.term_end,
                )
            )
            return True
        if self.status is PlanStatus.PAUSED:
            self.resume(today)
            return True
        return False

    def precondition_lapsed(self, kind: PreconditionKind, *, lapsed_on: date) -> bool:
        """Record a lapse; True when it paused the plan."""
        self.arranged.discard(kind)
        return self.close_gate(lapsed_on)

    def close_gate(self, on: date) -> bool:
        """Pause an active plan that misses a needed precondition (L14)."""
        if not self.missing or self.status is not PlanStatus.ACTIVE:
            return False
        self.status = PlanStatus.PAUSED
        self.paused_since = on
        self.events.append(
            PlanPaused(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                plan_id=self.plan_id,
                reason=PauseReason.PRECONDITION_LAPSED,
                preconditions=self.missing,
                paused_from=on,
            )
        )
        return True

    def resume(self, today: date) -> None:
        if self.status is not PlanStatus.PAUSED:
            raise PlanError("the plan is not paused")
        if self.missing:
            raise PlanError(f"still waiting for {', '.join(self.missing)}")
        since = self.paused_since or today
        if self.start_on is not None and since >= self.start_on:
            self.paused_days += max(0, (today - since).days)
        self.status = PlanStatus.ACTIVE
        self.paused_since = None
        self.events.append(
            PlanResumed(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                plan_id=self.plan_id,
                resumed_on=today,
            )
        )

    def correct(self, intake: IntakeOutcome, rules: PlanningRules) -> None:
        """Take a corrected intake outcome: band, availability, modules, needs."""
        self.level_band = level_band(intake, rules.groups)
        self.availability = frozenset(
            (s.weekday.value, s.day_part.value) for s in intake.availability
        )
        self.modules = choose_modules(intake, rules)
        needed = set()
        if intake.childcare.needed:
            needed.add(PreconditionKind.CHILDCARE)
        if intake.transport.needed:
            needed.add(PreconditionKind.TRANSPORT)
        self.needed = frozenset(needed)

    def withdraw(self) -> None:
        self.status = PlanStatus.WITHDRAWN

    def complete(self) -> None:
        if self.status not in (PlanStatus.ACTIVE, PlanStatus.PAUSED):
            raise PlanError(f"a plan that is {self.status} cannot be completed")
        self.status = PlanStatus.COMPLETED


def availability_slots(plan: Plan) -> tuple[AvailabilitySlot, ...]:
    return tuple(
        AvailabilitySlot(weekday=d, day_part=p)
        for d, p in sorted(plan.availability, key=slot_order)
    )


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
