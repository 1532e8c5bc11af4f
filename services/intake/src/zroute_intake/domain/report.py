"""The management report of one municipality (issue 15 item 7), as plain figures.

Built from one :class:`ParticipantFacts` per participant: the phase of the route, the
PIP's deadline and date, the term's end, the hours planning reported (by kind), the
progress meetings the PIP fixes and those held, and the referrals support reported.
No I/O here: the service layer gathers the facts, the entrypoints render the result as
CSV, a spreadsheet or a page.

The hours are measured against the norm as Besluit 3.14 structures it: *course* hours
(NT2 and KNM together) and *participation* hours (PVT and MAP counted within them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from statistics import median

from zroute_intake.domain.hours_norm import NormPart, PipNorm

REPORT_WINDOW_PIP = timedelta(weeks=10)
"""PIPs due within this window count as due soon (B 5.3's ten weeks)."""
TERM_WINDOW_DAYS = 183
"""Terms ending within about six months (the earliest moment to ask DUO to extend)."""

COURSE_KINDS = ("language", "knm")
"""Hours kinds that are course hours (NT2 and KNM, B 3.14(2)(a))."""
PARTICIPATION_KINDS = ("participation", "map")
"""Hours kinds that are participation hours (PVT counts as participation, MAP within)."""


class Phase(StrEnum):
    """Where a participant is in the route, as the report groups them."""

    REGISTERED = "registered"
    INTAKE = "intake"
    PIP_PENDING = "pip_pending"
    ON_ROUTE = "on_route"
    RELEASED = "released"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class HoursNorm:
    """The hours a participant's route asks (B 3.14): course and participation."""

    course: float = 800.0
    participation: float = 800.0

    @classmethod
    def of(cls, norm: PipNorm) -> HoursNorm:
        """The norm the PIP sets: its reduced numbers (lid 8), course hours only for a
        family or other migrant (lid 3)."""
        return cls(norm.norm(NormPart.COURSE), norm.norm(NormPart.PARTICIPATION))


@dataclass(frozen=True)
class Referral:
    """One referral as support reported it: when asked, answered and closed."""

    referral_id: str
    requested_at: datetime | None
    answered_at: datetime | None = None
    answer: str | None = None
    completed_at: datetime | None = None

    def days_to_answer(self) -> float | None:
        if self.requested_at is None or self.answered_at is None:
            return None
        return (self.answered_at - self.requested_at).total_seconds() / 86400

    def days_to_completion(self) -> float | None:
        if self.requested_at is None or self.completed_at is None:
            return None
        return (self.completed_at - self.requested_at).total_seconds() / 86400


@dataclass(frozen=True)
class ParticipantFacts:
    """What the report needs of one participant (codes, dates and numbers only)."""

    participant_ref: str
    phase: Phase
    pip_due_on: date | None = None
    pip_dated: date | None = None
    term_end: date | None = None
    hours: dict[str, float] = field(default_factory=dict)
    norm: HoursNorm = field(default_factory=HoursNorm)
    meetings_planned: int = 0
    meetings_held: int = 0
    referrals: tuple[Referral, ...] = ()

    @property
    def course_hours(self) -> float:
        return sum(self.hours.get(kind, 0.0) for kind in COURSE_KINDS)

    @property
    def participation_hours(self) -> float:
        return sum(self.hours.get(kind, 0.0) for kind in PARTICIPATION_KINDS)

    def pip_overdue(self, today: date) -> bool:
        """No PIP yet and its ten weeks have passed."""
        return self.pip_dated is None and self.pip_due_on is not None and self.pip_due_on < today

    def pip_due_soon(self, today: date) -> bool:
        """No PIP yet and its deadline falls within the coming ten weeks."""
        due = self.pip_due_on
        return (
            self.pip_dated is None and due is not None and today <= due <= today + REPORT_WINDOW_PIP
        )

    def pip_late(self) -> bool:
        """The PIP was established after its deadline."""
        due, dated = self.pip_due_on, self.pip_dated
        return due is not None and dated is not None and dated > due

    def term_ending_soon(self, today: date) -> bool:
        end = self.term_end
        return (
            self.phase is Phase.ON_ROUTE
            and end is not None
            and today <= end <= today + timedelta(days=TERM_WINDOW_DAYS)
        )


@dataclass(frozen=True)
class HoursLine:
    """One participant's hours against the norm."""

    participant_ref: str
    course_hours: float
    course_norm: float
    participation_hours: float
    participation_norm: float
    knm_hours: float
    map_hours: float


@dataclass(frozen=True)
class ReferralFigures:
    """Referrals by answer, with median lead times in days."""

    total: int
    by_answer: dict[str, int]
    median_days_to_answer: float | None
    median_days_to_completion: float | None


@dataclass(frozen=True)
class ManagementReport:
    """The figures of one municipality on one day."""

    municipality: str | None
    today: date
    participants: int
    by_phase: dict[str, int]
    pips_due_soon: tuple[str, ...]
    pips_overdue: tuple[str, ...]
    pips_late: tuple[str, ...]
    terms_ending: tuple[str, ...]
    hours: tuple[HoursLine, ...]
    meetings_planned: int
    meetings_held: int
    referrals: ReferralFigures


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def referral_figures(referrals: list[Referral]) -> ReferralFigures:
    """Count referrals by answer and the median days to an answer and to completion."""
    answers = Counter(r.answer or "open" for r in referrals)
    answered = [d for r in referrals if (d := r.days_to_answer()) is not None]
    completed = [d for r in referrals if (d := r.days_to_completion()) is not None]
    return ReferralFigures(
        total=len(referrals),
        by_answer=dict(sorted(answers.items())),
        median_days_to_answer=_median(answered),
        median_days_to_completion=_median(completed),
    )


def hours_line(facts: ParticipantFacts) -> HoursLine:
    """The participant's course and participation hours against the norm."""
    return HoursLine(
        participant_ref=facts.participant_ref,
        course_hours=round(facts.course_hours, 2),
        course_norm=facts.norm.course,
        participation_hours=round(facts.participation_hours, 2),
        participation_norm=facts.norm.participation,
        knm_hours=round(facts.hours.get("knm", 0.0), 2),
        map_hours=round(facts.hours.get("map", 0.0), 2),
    )


def build(facts: list[ParticipantFacts], today: date, municipality: str | None) -> ManagementReport:
    """The management report of ``facts`` on ``today``."""
    phases = Counter(f.phase.value for f in facts)
    on_route = [f for f in facts if f.pip_dated is not None]
    return ManagementReport(
        municipality=municipality,
        today=today,
        participants=len(facts),
        by_phase={phase.value: phases.get(phase.value, 0) for phase in Phase},
        pips_due_soon=tuple(f.participant_ref for f in facts if f.pip_due_soon(today)),
        pips_overdue=tuple(f.participant_ref for f in facts if f.pip_overdue(today)),
        pips_late=tuple(f.participant_ref for f in facts if f.pip_late()),
        terms_ending=tuple(f.participant_ref for f in facts if f.term_ending_soon(today)),
        hours=tuple(hours_line(f) for f in on_route),
        meetings_planned=sum(f.meetings_planned for f in facts),
        meetings_held=sum(f.meetings_held for f in facts),
        referrals=referral_figures([r for f in facts for r in f.referrals]),
    )


def rows(report: ManagementReport) -> list[tuple[str, str, str, str]]:
    """The report as (section, item, participant, value) rows: the CSV and the sheet."""
    out: list[tuple[str, str, str, str]] = []
    out += [("phase", phase, "", str(n)) for phase, n in report.by_phase.items()]
    out += [("pip", "due_within_10_weeks", ref, "") for ref in report.pips_due_soon]
    out += [("pip", "overdue", ref, "") for ref in report.pips_overdue]
    out += [("pip", "established_late", ref, "") for ref in report.pips_late]
    out += [("term", "ends_within_6_months", ref, "") for ref in report.terms_ending]
    for line in report.hours:
        ref = line.participant_ref
        out += [
            ("hours", "course", ref, f"{line.course_hours:g}/{line.course_norm:g}"),
            ("hours", "course_knm", ref, f"{line.knm_hours:g}"),
            (
                "hours",
                "participation",
                ref,
                f"{line.participation_hours:g}/{line.participation_norm:g}",
            ),
            ("hours", "participation_map", ref, f"{line.map_hours:g}"),
        ]
    out += [
        ("meetings", "planned", "", str(report.meetings_planned)),
        ("meetings", "held", "", str(report.meetings_held)),
        ("referrals", "total", "", str(report.referrals.total)),
    ]
    out += [("referrals", answer, "", str(n)) for answer, n in report.referrals.by_answer.items()]
    for name, days in (
        ("median_days_to_answer", report.referrals.median_days_to_answer),
        ("median_days_to_completion", report.referrals.median_days_to_completion),
    ):
        out.append(("referrals", name, "", "" if days is None else f"{days:g}"))
    return out
