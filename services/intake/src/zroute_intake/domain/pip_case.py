"""The PIP case: one participant's PIP, its deadline and term, as one aggregate.

It wires the pure rules of :mod:`pip`, :mod:`pip_deadline` and :mod:`term` together:
the decision's draft, versions and objections; the start of the ten weeks (DUO's notice
or the BRP registration) and the information waits that hold them; DUO's extensions and
release. Every change records who made it and when (``changes``); the decisions cause
events with codes only, collected in ``events`` for the unit of work. ``version`` guards
concurrent writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from zroute_contract.events.base import Event
from zroute_contract.events.codes import (
    ObligationReleaseKind,
    PipAmendmentReason,
    TermExtensionGround,
)
from zroute_contract.events.intake import (
    ObligationReleased,
    PipAmended,
    PipEstablished,
    TermExtended,
)

from zroute_intake.domain import pip_deadline
from zroute_intake.domain.errors import Conflict, InvalidRequest, StaleVersion
from zroute_intake.domain.pip import (
    AmendmentReason,
    ObjectionOutcome,
    ObjectionStage,
    Pip,
    PipContent,
    PipVersion,
)
from zroute_intake.domain.recorded_dates import check_happened
from zroute_intake.domain.term import Extension, Release, Term, term_from


@dataclass(frozen=True)
class PipChange:
    """One change of the case: what (a code), by whom (the token subject), when."""

    action: str
    by: str
    at: datetime


@dataclass(frozen=True)
class DeadlineStart:
    """DUO's notice of the obligation, and the BRP registration if it came later."""

    duo_notice_on: date
    brp_registered_on: date | None = None


@dataclass
class PipCase:
    """A participant's PIP with the facts its deadline and term are computed from."""

    participant_ref: str
    programme_id: str
    version: int = 0
    pip: Pip | None = None
    deadline_start: DeadlineStart | None = None
    waits: list[pip_deadline.InformationWait] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    release: Release | None = None
    moved_in_on: date | None = None
    """The day a move brought the case here (W 15(4)): the ten weeks start again."""
    changes: list[PipChange] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.pip is None:
            self.pip = Pip(self.participant_ref)

    @property
    def decision(self) -> Pip:
        assert self.pip is not None
        return self.pip

    def check_version(self, expected: int | None) -> None:
        if expected is not None and expected != self.version:
            raise StaleVersion(expected, self.version)

    # -- derived: the deadline and the term ---------------------------------------------
    def due_on(self, rules: pip_deadline.DeadlineRules) -> date | None:
        if self.moved_in_on is not None:
            # After a move the new municipality has ten weeks again (B 5.3, W 15(4)).
            waits = [w for w in self.waits if w.requested_on >= self.moved_in_on]
            return pip_deadline.due_on(self.moved_in_on, waits, rules)
        if self.deadline_start is None:
            return None
        start = pip_deadline.clock_start(
            self.deadline_start.duo_notice_on, self.deadline_start.brp_registered_on
        )
        return pip_deadline.due_on(start, self.waits, rules)

    def deadline_state(
        self, today: date, rules: pip_deadline.DeadlineRules
    ) -> pip_deadline.DeadlineState | None:
        """None while no DUO notice is recorded: the ten weeks have not started."""
        if self.moved_in_on is not None:
            return pip_deadline.state_on(today, self.due_on(rules), self._dated_since_move())
        if self.deadline_start is None:
            return None
        return pip_deadline.state_on(today, self.due_on(rules), self.decision.first_dated)

    def _dated_since_move(self) -> date | None:
        moved = self.moved_in_on
        assert moved is not None
        # The new municipality's PIP: an amendment for the reason ``move``, or the first
        # PIP when none was established before the move (dated after it).
        return next(
            (
                v.dated
                for v in self.decision.versions
                if v.reason is AmendmentReason.MOVE or (v.number == 1 and v.dated > moved)
            ),
            None,
        )

    def move_in(self, moved_on: date, by: str, at: datetime) -> None:
        """The case came here by a move: the new PIP (an amendment for the reason
        ``move``, keeping the route) is due ten weeks after it."""
        self.moved_in_on = moved_on
        self._changed("moved_in", by, at)

    def term(self) -> Term | None:
        first = self.decision.first_dated
        return None if first is None else term_from(first, self.extensions, self.release)

    # -- the decision -------------------------------------------------------------------
    def prepare(self, content: PipContent, by: str, at: datetime) -> None:
        self.decision.prepare(content)
        self._changed("pip_draft_prepared", by, at)

    def establish(self, dated: date, by: str, at: datetime, today: date) -> PipVersion:
        _not_ahead(dated, today)
        version = self.decision.establish(dated, by)
        self._changed("pip_established", by, at)
        self.events.append(PipEstablished(**self._decision_fields(version)))
        return version

    def amend(
        self, dated: date, reason: AmendmentReason, by: str, at: datetime, today: date
    ) -> PipVersion:
        _not_ahead(dated, today)
        current = self.term()
        if current is None:
            raise Conflict("the PIP has not been established yet")
        version = self.decision.amend(dated, by, reason, term_start=current.start)
        self._changed("pip_amended", by, at)
        fields = self._decision_fields(version)
        self.events.append(PipAmended(**fields, reason=PipAmendmentReason(reason.value)))
        return version

    def lodge_objection(
        self, stage: ObjectionStage, lodged_on: date, by: str, at: datetime
    ) -> None:
        self.decision.lodge(stage, lodged_on)
        self._changed("objection_lodged", by, at)

    def decide_objection(
        self, outcome: ObjectionOutcome, decided_on: date, by: str, at: datetime
    ) -> None:
        self.decision.decide(outcome, decided_on)
        self._changed("objection_decided", by, at)

    # -- the deadline's facts -----------------------------------------------------------
    def record_deadline_start(
        self, start: DeadlineStart, by: str, at: datetime, today: date
    ) -> None:
        check_happened("duo_notice_on", start.duo_notice_on, today)
        if start.brp_registered_on is not None:
            # A registration may predate the act: a resident who became obliged later.
            check_happened("brp_registered_on", start.brp_registered_on, today, under_the_act=False)
        if self.decision.first_dated is not None:
            raise Conflict("the PIP is established already: its deadline is settled")
        self.deadline_start = start
        self._changed("deadline_start_recorded", by, at)

    def await_information(self, requested_on: date, by: str, at: datetime, today: date) -> int:
        """Record information asked of a third party; returns its number (from 1)."""
        check_happened("requested_on", requested_on, today)
        if any(w.received_on is None for w in self.waits):
            raise Conflict("information is awaited already: record its arrival first")
        self.waits.append(pip_deadline.InformationWait(requested_on))
        self._changed("information_requested", by, at)
        return len(self.waits)

    def receive_information(
        self, number: int, received_on: date, by: str, at: datetime, today: date
    ) -> None:
        check_happened("received_on", received_on, today)
        if not 1 <= number <= len(self.waits):
            raise InvalidRequest(f"no information wait {number}; there are {len(self.waits)}")
        wait = self.waits[number - 1]
        if wait.received_on is not None:
            raise Conflict(f"the information of wait {number} arrived already")
        if received_on < wait.requested_on:
            raise InvalidRequest("information cannot arrive before it was requested")
        self.waits[number - 1] = replace(wait, received_on=received_on)
        self._changed("information_received", by, at)

    # -- DUO's decisions ----------------------------------------------------------------
    def record_extension(self, extension: Extension, by: str, at: datetime, today: date) -> None:
        check_happened("decided_on", extension.decided_on, today)
        first = self.decision.first_dated
        if first is None:
            raise Conflict("no term runs yet: the term starts the day after the PIP's date")
        if self.release is not None:
            raise Conflict("the obligation was released: there is no term to extend")
        extended = term_from(first, [*self.extensions, extension])
        self.extensions.append(extension)
        self._changed("term_extension_recorded", by, at)
        self.events.append(
            TermExtended(
                **self._participant(),
                ground=TermExtensionGround(extension.ground.value),
                decided_on=extension.decided_on,
                term_start=extended.start,
                term_end=extended.end,
            )
        )

    def record_release(self, release: Release, by: str, at: datetime, today: date) -> None:
        check_happened("decided_on", release.decided_on, today)
        if self.release is not None:
            raise Conflict("a release or exemption is recorded already")
        if release.effective_on < release.decided_on:
            raise InvalidRequest("effective_on: a release takes effect on or after its decision")
        first = self.decision.first_dated
        if first is not None:
            term = term_from(first, self.extensions, release)  # refuses one before the term
            # Checked here, not in term_from: a case read back must not fail on a release
            # recorded before this check existed.
            if release.effective_on > term.end:
                raise InvalidRequest(
                    f"a release cannot take effect after {term.end}: the term has ended by then"
                )
        self.release = release
        self._changed("release_recorded", by, at)
        self.events.append(
            ObligationReleased(
                **self._participant(),
                kind=ObligationReleaseKind(release.kind.value),
                decided_on=release.decided_on,
                effective_on=release.effective_on,
            )
        )

    # -- helpers ------------------------------------------------------------------------
    def _changed(self, action: str, by: str, at: datetime) -> None:
        self.changes.append(PipChange(action, by, at))

    def _participant(self) -> dict[str, object]:
        return {"participant_ref": self.participant_ref, "programme_id": self.programme_id}

    def _decision_fields(self, version: PipVersion) -> dict[str, object]:
        current = self.term()
        assert current is not None
        content = version.content
        norm = content.norm()
        return self._participant() | {
            "version": version.number,
            "dated": version.dated,
            "route": content.route,
            "route_reason": content.route_reason,
            "progress_meetings": content.progress_meetings,
            "pvt_hours_per_week": content.pvt_hours_per_week,
            "map_hours_per_week": content.map_hours_per_week,
            "route_hours_per_week": content.route_hours_per_week,
            "term_start": current.start,
            "term_end": current.end,
            "hours_norm": None if norm is None else norm.event_part(),
        }


def _not_ahead(dated: date, today: date) -> None:
    if dated > today:
        raise InvalidRequest(f"dated: a decision cannot be dated after today ({today})")
