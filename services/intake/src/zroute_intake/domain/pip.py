"""The PIP (*persoonlijk plan inburgering en participatie*) as a versioned decision.

The college establishes the PIP as a *beschikking* (Wet inburgering 2021, art. 15(3)):
a formal decision open to objection and appeal. Its content is set by art. 15 and the
Besluit (art. 5.3(4), 3.14(7)). A draft is prepared on the basis of the broad intake;
establishing it fixes its date, and the integration term starts the day after the first
version's date (art. 11). Every later change is a new version with its reason: a progress
meeting, a route switch (only within 18 months of the term's start, art. 17(2)), the
outcome of an objection, or a move to another municipality (art. 15(4), same route).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from zroute_contract.events.codes import Route, RouteReason

from zroute_intake.domain.errors import Conflict, InvalidRequest, NotFound
from zroute_intake.domain.hours_norm import PipNorm


class AmendmentReason(StrEnum):
    """Why a new version of the PIP was established."""

    PROGRESS_MEETING = "progress_meeting"
    ROUTE_SWITCH = "route_switch"
    OBJECTION = "objection"
    MOVE = "move"


class ExamPart(StrEnum):
    """Exams a Z-route participant may wish to take (B 3.14(7)): A2 parts or KNM."""

    A2_READING = "a2_reading"
    A2_LISTENING = "a2_listening"
    A2_WRITING = "a2_writing"
    A2_SPEAKING = "a2_speaking"
    KNM = "knm"


class ObjectionStage(StrEnum):
    """Where a challenge of the decision is: objection, appeal, higher appeal."""

    OBJECTION = "objection"
    APPEAL = "appeal"
    HIGHER_APPEAL = "higher_appeal"


class ObjectionOutcome(StrEnum):
    """How an objection or appeal ended."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    DISMISSED = "dismissed"
    INADMISSIBLE = "inadmissible"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class PipContent:
    """What the decision says (W 15; B 5.3(4), 3.14(7)), in codes and numbers."""

    route: Route
    route_reason: RouteReason
    support: tuple[str, ...]
    """Support and guidance (*ondersteuning en begeleiding*), as codes."""
    pvt_hours_per_week: float
    map_hours_per_week: float
    route_hours_per_week: float
    """Route intensity (asylum permit holders)."""
    progress_meetings: int
    early_childhood_agreements: tuple[str, ...] = ()
    participatiewet_decisions: tuple[str, ...] = ()
    """Attached decisions, e.g. ``ontzorgen_56a`` (Participatiewet art. 56a)."""
    exam_wish: tuple[ExamPart, ...] = ()
    """Recorded only when the college judges the participant able (B 3.14(7))."""
    hours_norm: PipNorm | None = None
    """The Z-route's hours norm (B 3.14); None: the full norm of an asylum permit holder."""

    def problems(self) -> list[str]:
        """Every rule the content breaks, as reasons a caseworker can act on."""
        found = []
        if self.progress_meetings < 1:
            found.append("progress_meetings: the PIP fixes at least one progress meeting")
        for name in ("pvt_hours_per_week", "map_hours_per_week", "route_hours_per_week"):
            if getattr(self, name) < 0:
                found.append(f"{name}: hours cannot be negative")
        if self.exam_wish and self.route is not Route.Z_ROUTE:
            found.append("exam_wish: an exam wish is recorded for the Z-route only")
        if len(set(self.exam_wish)) != len(self.exam_wish):
            found.append("exam_wish: name each exam part once")
        if self.hours_norm is not None:
            if self.route is not Route.Z_ROUTE:
                found.append("hours_norm: the hours norm of B 3.14 is the Z-route's")
            found.extend(self.hours_norm.problems())
        return found

    def norm(self) -> PipNorm | None:
        """The hours norm the decision sets: the Z-route's (the full norm unless the PIP
        departs from it), None for another route."""
        if self.route is not Route.Z_ROUTE:
            return None
        return self.hours_norm or PipNorm()


@dataclass(frozen=True)
class PipVersion:
    """One established version of the decision."""

    number: int
    content: PipContent
    dated: date
    established_by: str
    reason: AmendmentReason | None = None
    """None for the first version; the amendment's reason after it."""


@dataclass(frozen=True)
class Objection:
    """A challenge of one version of the decision, and how it ended."""

    stage: ObjectionStage
    against_version: int
    lodged_on: date
    outcome: ObjectionOutcome | None = None
    decided_on: date | None = None


ROUTE_SWITCH_MONTHS = 18


@dataclass
class Pip:
    """A participant's PIP: its draft, its established versions and their challenges."""

    participant_ref: str
    draft: PipContent | None = None
    versions: list[PipVersion] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)

    @property
    def current(self) -> PipVersion | None:
        return self.versions[-1] if self.versions else None

    def version(self, number: int) -> PipVersion:
        """One established version by its number (from 1); NotFound without it."""
        if not 1 <= number <= len(self.versions):
            raise NotFound(f"no established version {number} of the PIP")
        return self.versions[number - 1]

    @property
    def first_dated(self) -> date | None:
        """The date of the first version: the term starts the day after it (W 11)."""
        return self.versions[0].dated if self.versions else None

    def prepare(self, content: PipContent) -> None:
        """Set the draft the next version will be established from."""
        problems = content.problems()
        if problems:
            raise InvalidRequest("; ".join(problems))
        self.draft = content

    def establish(self, dated: date, by: str) -> PipVersion:
        """Establish the draft as the first version of the decision."""
        if self.versions:
            raise Conflict("the PIP is established already: amend it with a reason instead")
        return self._new_version(dated, by, None)

    def amend(
        self, dated: date, by: str, reason: AmendmentReason, *, term_start: date
    ) -> PipVersion:
        """Establish the draft as a new version, for ``reason``."""
        current = self.current
        if current is None:
            raise Conflict("the PIP has not been established yet")
        if self.draft is None:
            raise InvalidRequest("prepare the changed content before amending the PIP")
        if self.draft == current.content and reason is not AmendmentReason.MOVE:
            # After a move the new municipality establishes its own PIP, possibly the same.
            raise InvalidRequest("prepare the changed content before amending the PIP")
        if dated < current.dated:
            raise InvalidRequest(f"an amendment cannot be dated before {current.dated}")
        if self.draft.route is not current.content.route:
            _check_route_switch(reason, dated, term_start)
        return self._new_version(dated, by, reason)

    def lodge(self, stage: ObjectionStage, lodged_on: date) -> Objection:
        """Record an objection or appeal against the current version."""
        current = self.current
        if current is None:
            raise Conflict("there is no decision to object to yet")
        if any(o.outcome is None for o in self.objections):
            raise Conflict("an objection or appeal is still pending: record its outcome first")
        objection = Objection(stage, current.number, lodged_on)
        self.objections.append(objection)
        return objection

    def decide(self, outcome: ObjectionOutcome, decided_on: date) -> Objection:
        """Record the outcome of the pending objection or appeal."""
        pending = [i for i, o in enumerate(self.objections) if o.outcome is None]
        if not pending:
            raise Conflict("no objection or appeal is pending")
        index = pending[0]
        if decided_on < self.objections[index].lodged_on:
            raise InvalidRequest("an outcome cannot be decided before the objection was lodged")
        decided = replace(self.objections[index], outcome=outcome, decided_on=decided_on)
        self.objections[index] = decided
        return decided

    def _new_version(self, dated: date, by: str, reason: AmendmentReason | None) -> PipVersion:
        if self.draft is None:
            raise InvalidRequest("prepare the PIP's content first")
        version = PipVersion(len(self.versions) + 1, self.draft, dated, by, reason)
        self.versions.append(version)
        self.draft = None
        return version


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _check_route_switch(reason: AmendmentReason, dated: date, term_start: date) -> None:
    # A move keeps the route (W 15(4)); an objection's outcome may set another route
    # (as in ECLI:NL:RVS:2024:5413); a switch is bound to 18 months (W 17(2)).
    if reason is AmendmentReason.MOVE or reason is AmendmentReason.PROGRESS_MEETING:
        raise InvalidRequest(f"a {reason.value} keeps the route: record a route switch instead")
    if reason is AmendmentReason.ROUTE_SWITCH and (
        months_between(term_start, dated) >= ROUTE_SWITCH_MONTHS
    ):
        raise InvalidRequest(
            f"a route switch is possible within {ROUTE_SWITCH_MONTHS} months of the term's "
            f"start ({term_start})"
        )
