"""Task-division agreements (lesson L2): per programme and period, one responsible
partner for every task of the route, and one lead partner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from zroute_contract.events.base import Event
from zroute_contract.events.codes import CurriculumModule, PartnerCapability, RouteTask
from zroute_contract.events.support import (
    AgreementRecorded,
    ModuleProvider,
    TaskAssignment,
    TaskNotOffered,
)

from zroute_support.domain.partners import TASK_CAPABILITY, Partner


@dataclass(frozen=True)
class AgreementTerms:
    """What a coordinator proposes for one period of a programme."""

    programme_id: str
    municipality: str
    valid_from: date
    valid_until: date | None
    lead_partner_id: str
    assignments: tuple[tuple[RouteTask, str], ...]
    # Tasks the programme does not offer, each with its reason (issue 17).
    not_offered: tuple[tuple[RouteTask, str], ...] = ()
    # The partner providing each module no task covers (issue 16): the
    # participatieverklaringstraject (PVT) above all; it records the module's hours.
    module_providers: tuple[tuple[CurriculumModule, str], ...] = ()

    def overlaps(self, other: AgreementTerms) -> bool:
        """True when both periods share at least one day (an open end runs forever)."""
        self_end = self.valid_until or date.max
        other_end = other.valid_until or date.max
        return self.valid_from <= other_end and other.valid_from <= self_end


@dataclass
class Agreement:
    """A recorded version of a programme's agreement (an aggregate: it collects the event
    that publishes it)."""

    agreement_id: UUID
    version: int
    terms: AgreementTerms
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    def recorded(self) -> None:
        """The version (new, or with its period limited) is published whole."""
        t = self.terms
        self.events.append(
            AgreementRecorded(
                agreement_id=self.agreement_id,
                programme_id=t.programme_id,
                municipality=t.municipality,
                version=self.version,
                valid_from=t.valid_from,
                valid_until=t.valid_until,
                lead_partner_id=t.lead_partner_id,
                assignments=tuple(
                    TaskAssignment(task=task, partner_id=p) for task, p in t.assignments
                ),
                not_offered=tuple(
                    TaskNotOffered(task=task, reason=reason) for task, reason in t.not_offered
                ),
                module_providers=tuple(
                    ModuleProvider(module=m, partner_id=p) for m, p in t.module_providers
                ),
            )
        )

    def covers(self, day: date) -> bool:
        return self.terms.valid_from <= day <= (self.terms.valid_until or date.max)

    def responsible_for(self, task: RouteTask) -> str | None:
        return dict(self.terms.assignments).get(task)

    def partners(self) -> set[str]:
        return (
            {partner for _, partner in self.terms.assignments}
            | {partner for _, partner in self.terms.module_providers}
            | {self.terms.lead_partner_id}
        )


ALWAYS_OFFERED = frozenset(
    {RouteTask.INTAKE, RouteTask.LANGUAGE_TEACHING, RouteTask.KNM, RouteTask.MAP}
)
"""Tasks every Z-route programme offers (the law's core of the route): never "not offered"."""

MODULES_WITH_A_TASK = frozenset(
    {CurriculumModule.LANGUAGE, CurriculumModule.KNM, CurriculumModule.MAP}
)
"""Modules a task of the route covers: their partner is the task's, not a module provider."""


def problems(terms: AgreementTerms, partners: Mapping[str, Partner]) -> list[str]:
    """Every reason ``terms`` cannot be recorded; empty when it can."""
    found: list[str] = []
    if terms.valid_until is not None and terms.valid_until < terms.valid_from:
        found.append("valid_until is before valid_from")
    found += _partner_problems("lead partner", terms.lead_partner_id, None, terms, partners)
    found += _task_problems(terms)
    for task, partner_id in terms.assignments:
        found += _partner_problems(
            f"task {task.value}", partner_id, TASK_CAPABILITY[task], terms, partners
        )
    modules = [module for module, _ in terms.module_providers]
    for module in sorted(set(modules)):
        if modules.count(module) > 1:
            found.append(f"module {module.value} has {modules.count(module)} providers")
        if module in MODULES_WITH_A_TASK:
            found.append(f"module {module.value} is provided by the partner of its task")
    for module, partner_id in terms.module_providers:
        found += _partner_problems(f"module {module.value}", partner_id, None, terms, partners)
    return found


def _task_problems(terms: AgreementTerms) -> list[str]:
    """Each task has exactly one responsible partner, or is not offered (with a reason)."""
    found: list[str] = []
    seen: dict[RouteTask, int] = {}
    for task, _ in terms.assignments:
        seen[task] = seen.get(task, 0) + 1
    not_offered = {task for task, _ in terms.not_offered}
    for task in not_offered:
        if task in ALWAYS_OFFERED:
            found.append(f"task {task.value} is always offered; it needs a responsible partner")
        elif task in seen:
            found.append(f"task {task.value} is both assigned and not offered")
    for task in RouteTask:
        count = seen.get(task, 0)
        if count == 0 and task not in not_offered:
            found.append(f"task {task.value} has no responsible partner")
        elif count > 1:
            found.append(
                f"task {task.value} has {count} responsible partners; it needs exactly one"
            )
    return found


def _partner_problems(
    what: str,
    partner_id: str,
    capability: PartnerCapability | None,
    terms: AgreementTerms,
    partners: Mapping[str, Partner],
) -> list[str]:
    partner = partners.get(partner_id)
    if partner is None:
        return [f"{what}: unknown partner {partner_id}"]
    found = []
    if not partner.active:
        found.append(f"{what}: partner {partner_id} takes no new work")
    if capability is not None and not partner.can(capability):
        found.append(f"{what}: partner {partner_id} lacks the capability {capability}")
    if not partner.serves(terms.municipality):
        found.append(f"{what}: partner {partner_id} does not serve {terms.municipality}")
    return found


def overlapping(terms: AgreementTerms, recorded: Sequence[Agreement]) -> list[int]:
    """The versions already recorded whose period overlaps ``terms``."""
    return [a.version for a in recorded if a.terms.overlaps(terms)]


def in_force(recorded: Sequence[Agreement], day: date) -> Agreement | None:
    """The version of a programme's agreement that applies on ``day``."""
    return next((a for a in recorded if a.covers(day)), None)
