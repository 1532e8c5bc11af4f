"""The plan aggregate: activation (L12), the preconditions gate (L14), pause and resume,
withdrawal and completion. It records the events it causes in ``events``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from zroute_contract.events.base import Event
from zroute_contract.events.codes import (
    CurriculumModule,
    HoursKind,
    LevelBand,
    PauseReason,
    PreconditionKind,
    Route,
    precondition_kind,
)
from zroute_contract.events.intake import IntakeOutcome
from zroute_contract.events.parts import AvailabilitySlot, HoursNorm
from zroute_contract.events.planning import (
    HoursTargets,
    HoursTotals,
    PlanActivated,
    PlanAtRisk,
    PlanPaused,
    PlanResumed,
    PlanStartScheduled,
    RampUpPhase,
    RouteCompleted,
)

from zroute_planning.domain.errors import PlanError
from zroute_planning.domain.grouping import Slot
from zroute_planning.domain.hours_norm import NormRules, RouteNorm, route_norm
from zroute_planning.domain.modules import ModuleSession, choose_modules, level_band
from zroute_planning.domain.projection import Projection, project, targets_short
from zroute_planning.domain.rules import PlanningRules
from zroute_planning.domain.schedule import slot_order


class PlanStatus(StrEnum):
    WAITING = "waiting_for_preconditions"
    ACTIVE = "active"
    PAUSED = "paused"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


@dataclass(frozen=True)
class CaseHold:
    """A pause of the route that holds the plan: why (care, participant request), since when."""

    reason: PauseReason
    since: date


def needed_preconditions(intake: IntakeOutcome) -> frozenset[str]:
    """The precondition codes ``intake``'s outcome needs arranged before the start:
    childcare and transport, and the configured kinds it names (issue 17)."""
    needed = set(intake.other_preconditions)
    if intake.childcare.needed:
        needed.add(PreconditionKind.CHILDCARE.value)
    if intake.transport.needed:
        needed.add(PreconditionKind.TRANSPORT.value)
    return frozenset(needed)


def kinds_of(codes: tuple[str, ...]) -> tuple[PreconditionKind, ...]:
    """The ``kind`` field's values for ``codes``, for consumers on the older contract:
    every configured kind beyond childcare and transport is ``other``."""
    return tuple(dict.fromkeys(precondition_kind(code) for code in codes))


@dataclass
class Plan:
    plan_id: UUID
    participant_ref: str
    programme_id: str
    status: PlanStatus
    level_band: LevelBand
    availability: frozenset[Slot]
    modules: tuple[CurriculumModule, ...]
    # Precondition codes (issue 17): childcare, transport and every configured kind.
    needed: frozenset[str]
    arranged: set[str]
    activated_on: date
    term_end: date
    start_on: date | None = None
    paused_since: date | None = None
    paused_days: int = 0
    at_risk: bool = False
    version: int = 0
    # The term's start (the day after the PIP's date, W 11) and the participant's norm as
    # the PIP sets it; plans activated before the PIP drove activation have neither.
    term_start: date | None = None
    norm: RouteNorm = field(default_factory=lambda: route_norm(NormRules()))
    # The day the municipality held the Z-route's final meeting (B 3.14(2)(c)); the route
    # is completed only after it.
    final_meeting_on: date | None = None
    # Pauses of the route that hold the plan (issue 15): the participant's own (intake)
    # and care pauses (support), by key; the plan resumes when the last one ends.
    case_holds: dict[str, CaseHold] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    @property
    def missing(self) -> tuple[str, ...]:
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
        arranged: set[str],
        term_end: date | None = None,
        norm: RouteNorm | None = None,
        arranged_from: Mapping[str, date] | None = None,
    ) -> Plan:
        """A plan for ``intake``'s outcome; its term runs from ``term_start`` to ``term_end``
        (the PIP's, as intake computed it; by default the configured years). A plan that
        can start does so no earlier than every needed arrangement's ``arranged_from``."""
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
            needed=needed_preconditions(intake),
            arranged=set(arranged),
            activated_on=today,
            term_end=term_end or _years_after(term_start, rules.integration_term_years),
            term_start=term_start,
            norm=norm or route_norm(rules.norm),
        )
        if not plan.missing:
            plan.status = PlanStatus.ACTIVE
            plan.start_on = plan.first_day(today, rules, arranged_from or {})
        return plan

    def first_day(
        self, today: date, rules: PlanningRules, arranged_from: Mapping[str, date]
    ) -> date:
        """The start of a plan whose gate opens ``today``: the configured lead time, and
        never before a needed precondition is arranged from (issue 16 item 7: childcare
        arranged from 4 April does not let the route start in January)."""
        ready = [arranged_from[k] for k in self.needed if k in arranged_from]
        return max([today + timedelta(days=rules.start_after_days), *ready])

    def record(self, event: Event) -> None:
        """Record an event of this participant's route that another step computed (the
        waiting list, the week, a placement): every event of a plan comes out of
        ``events``, in the order it happened."""
        self.events.append(event)

    def activated(self, rules: PlanningRules, projection: Projection) -> None:
        """Record ``plan-activated``, with whether the targets fit the term as projected."""
        self.events.append(
            PlanActivated(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                plan_id=self.plan_id,
                route=Route.Z_ROUTE,
                targets=hours_targets(rules),
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
                waiting_for=kinds_of(self.missing),
                waiting_for_codes=self.missing,
                integration_term_end=self.term_end,
                targets_fit_term=projection.fits,
                norm=hours_norm_of(self.norm),
                integration_term_start=self.term_start,
            )
        )

    def extend_term(self, term_end: date) -> bool:
        """Take the term's end as DUO's recorded extension sets it (W 12); the only way the
        term moves. True when it changed."""
        if term_end <= self.term_end:
            return False  # a repeated (or older) extension: the term stands
        self.term_end = term_end
        return True

    def assess(self, projection: Projection, *, today: date, rules: PlanningRules) -> None:
        """Take a projection: flag the plan at risk (once, with ``plan-at-risk``) when the
        targets no longer fit the term; clear the flag when they fit again."""
        if not projection.fits and not self.at_risk:
            self.events.append(
                PlanAtRisk(
                    participant_ref=self.participant_ref,
                    programme_id=self.programme_id,
                    plan_id=self.plan_id,
                    assessed_on=today,
                    projected=hours_totals(projection.hours),
                    targets=hours_targets(rules),
                    integration_term_end=self.term_end,
                )
            )
        self.at_risk = not projection.fits

    def precondition_arranged(
        self,
        kind: str,
        *,
        today: date,
        rules: PlanningRules,
        arranged_from: Mapping[str, date] | None = None,
    ) -> bool:
        """Record an arrangement; True when it gave the plan its start or resumed it."""
        self.arranged.add(kind)
        return self.open_gate(today, rules, arranged_from)

    def open_gate(
        self,
        today: date,
        rules: PlanningRules,
        arranged_from: Mapping[str, date] | None = None,
    ) -> bool:
        """Start a waiting plan (no earlier than its arrangements hold, ``arranged_from``
        per kind), or resume a paused one, once nothing is missing and no pause of the route
        holds it."""
        if self.missing or self.case_holds:
            return False
        if self.status is PlanStatus.WAITING:
            self.status = PlanStatus.ACTIVE
            self.start_on = self.first_day(today, rules, arranged_from or {})
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

    def precondition_lapsed(self, kind: str, *, lapsed_on: date) -> bool:
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
                preconditions=kinds_of(self.missing),
                precondition_codes=self.missing,
                paused_from=on,
            )
        )
        return True

    def hold_for_case(self, key: str, reason: PauseReason, on: date) -> bool:
        """A pause of the route (``key``: the pause, for care or at the participant's
        request) holds the plan from ``on``; True when it paused an active plan (the
        caller frees its group seat and open placement requests, as for any pause)."""
        if not self.is_open or key in self.case_holds:
            return False
        self.case_holds[key] = CaseHold(reason, on)
        if self.status is not PlanStatus.ACTIVE:
            return False  # waiting or paused already: it stays so while the hold lasts
        self.status = PlanStatus.PAUSED
        self.paused_since = on
        self.events.append(
            PlanPaused(
                participant_ref=self.participant_ref,
                programme_id=self.programme_id,
                plan_id=self.plan_id,
                reason=reason,
                paused_from=on,
            )
        )
        return True

    def release_case(self, key: str, today: date, rules: PlanningRules) -> bool:
        """The pause ``key`` ended; True when that resumed (or started) the plan. A plan
        still held by another pause, or missing a precondition, stays as it is. Whether
        the paused days move the projection is configuration (``pause_moves_projection``)."""
        hold = self.case_holds.pop(key, None)
        if hold is None or not self.is_open or self.case_holds:
            return False
        if self.status is PlanStatus.WAITING:
            return self.open_gate(today, rules)
        if self.status is not PlanStatus.PAUSED or self.missing:
            return False
        self.resume(today, count_paused_days=hold.reason in rules.pause_moves_projection)
        return True

    def resume(self, today: date, *, count_paused_days: bool = True) -> None:
        if self.status is not PlanStatus.PAUSED:
            raise PlanError("the plan is not paused")
        if self.missing:
            raise PlanError(f"still waiting for {', '.join(self.missing)}")
        since = self.paused_since or today
        if count_paused_days and self.start_on is not None and since >= self.start_on:
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
        self.needed = needed_preconditions(intake)

    def withdraw(self) -> None:
        self.status = PlanStatus.WITHDRAWN

    def final_meeting_held(self, on: date) -> bool:
        """Record the municipality's final meeting; False when it changes nothing (a
        redelivery, or a closed plan). A later meeting replaces the day."""
        if not self.is_open or self.final_meeting_on == on:
            return False
        self.final_meeting_on = on
        return True

    def ensure_completable(self) -> None:
        """Refuse to complete a plan that is not active or paused, or whose final meeting
        the municipality has not held (B 3.14(2)(c): only the college holds it)."""
        if self.status not in (PlanStatus.ACTIVE, PlanStatus.PAUSED):
            raise PlanError(f"a plan that is {self.status} cannot be completed")
        if self.final_meeting_on is None:
            raise PlanError(
                "the Z-route cannot be completed before the municipality has held the final"
                " meeting (B 3.14(2)(c))"
            )

    def ensure_targets(
        self, hours: Mapping[HoursKind, float], rules: PlanningRules, waiver_id: UUID | None
    ) -> list[str]:
        """The targets ``hours`` fall short of; refused when any is short and no decision of
        the municipality waives them (issue 16 item 7: no completion on day 1 with 0 hours)."""
        short = targets_short(rules, self.norm, hours)
        if short and waiver_id is None:
            raise PlanError(
                "the route cannot be completed before its targets are met ("
                + ", ".join(short)
                + ") or the municipality has recorded a decision that waives them"
            )
        return short

    def complete(
        self,
        *,
        on: date,
        hours: Mapping[HoursKind, float],
        rules: PlanningRules,
        follow_up_id: UUID,
        waiver_id: UUID | None = None,
    ) -> RouteCompleted:
        """Complete an active or paused route; records ``route-completed`` with the hours
        attended and whether they meet the targets. A route whose hours fall short of the
        configured targets completes only on the municipality's recorded decision that
        waives them (``waiver_id``; issue 16 item 7)."""
        self.ensure_completable()
        short = self.ensure_targets(hours, rules, waiver_id)
        self.status = PlanStatus.COMPLETED
        event = RouteCompleted(
            participant_ref=self.participant_ref,
            programme_id=self.programme_id,
            completed_on=on,
            hours=hours_totals(hours),
            targets_met=not short,
            follow_up_id=follow_up_id,
            targets_waiver_id=waiver_id if short else None,
        )
        self.events.append(event)
        return event


def hours_norm_of(norm: RouteNorm) -> HoursNorm:
    """The participant's norm as the events carry it."""
    return HoursNorm(
        course_hours=float(norm.norm.course),
        participation_hours=float(norm.norm.participation),
        credited_course_hours=float(norm.credited_course),
        credited_participation_hours=float(norm.credited_participation),
        reduced=norm.norm.reduced,
    )


def hours_targets(rules: PlanningRules) -> HoursTargets:
    """The targets of the rules in force, as the events carry them."""
    return HoursTargets(**rules.targets.model_dump())


def hours_totals(hours: Mapping[HoursKind, float]) -> HoursTotals:
    """Hours per kind as the events carry them: to the quarter hour."""
    return HoursTotals(**{k.value: round(v * 4) / 4 for k, v in hours.items()})


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


def projection_of(
    plan: Plan,
    rules: PlanningRules,
    *,
    today: date,
    attended: Mapping[HoursKind, float],
    modules: Sequence[ModuleSession] = (),
) -> Projection:
    """Where the plan's hours stand by the term end: from its start (or the start it would
    get today) with the hours attended so far, the pauses it had and the customised
    modules planned with hours."""
    return project(
        rules,
        start_on=plan.start_on or today + timedelta(days=rules.start_after_days),
        term_end=plan.term_end,
        today=today,
        attended=dict(attended),
        slots=len(plan.availability),
        paused_days=plan.paused_days,
        norm=plan.norm,
        modules=modules,
    )
