"""The Z-route hours norm as the Besluit inburgering 2021 (art. 3.14) structures it.

- **Course hours**: *in totaal 800 cursusuren*, NT2 (literacy teaching allowed) and KNM
  together (lid 2(a)).
- **Participation hours**: *in totaal 800 uren* of participation activities in a
  Dutch-speaking setting (lid 2(b)); PVT and MAP hours count within them (lid 5).
- Family and other migrants have the course hours only (lid 3).
- Hours from the intake, *Participatiewet* activities and social guidance may be credited
  (lid 6); school hours of the two years before the PIP too (lid 9-10); on a switch into
  the Z-route earlier hours are deducted (B 5.4(4)(c)). A credit names what it counts
  toward.
- A lower norm is possible for an auditory or visual impairment (lid 8): the PIP records
  the reduced numbers.

The numbers are configuration (:class:`NormRules`); nothing here reads a clock or a
database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class ParticipantCategory(StrEnum):
    """Which variant of the route the law gives the participant."""

    ASYLUM_PERMIT_HOLDER = "asylum_permit_holder"
    FAMILY_MIGRANT = "family_migrant"
    OTHER_MIGRANT = "other_migrant"


class NormPart(StrEnum):
    """The two counters of the norm."""

    COURSE = "course"
    PARTICIPATION = "participation"


class CreditSource(StrEnum):
    """Where credited hours come from (B 3.14(6), (9)-(10); B 5.4(4)(c))."""

    INTAKE = "intake"
    PARTICIPATIEWET = "participatiewet"
    SOCIAL_GUIDANCE = "social_guidance"
    SCHOOL = "school"
    EARLIER_ROUTE = "earlier_route"


COURSE_KINDS = frozenset({"language", "knm"})
"""Ledger kinds that count as course hours (NT2 and KNM)."""
PARTICIPATION_KINDS = frozenset({"participation", "map", "pvt"})
"""Ledger kinds that count as participation hours (PVT and MAP within them)."""


@dataclass(frozen=True)
class NormRules:
    """The configured norm (defaults: B 3.14(2))."""

    course_hours: Decimal = Decimal(800)
    participation_hours: Decimal = Decimal(800)


@dataclass(frozen=True)
class Norm:
    """The hours one participant must reach, per part (0 where the part does not apply)."""

    course: Decimal
    participation: Decimal
    reduced: bool = False


@dataclass(frozen=True)
class Credit:
    """Hours credited toward one part of the norm, with where they come from."""

    part: NormPart
    hours: Decimal
    source: CreditSource


@dataclass(frozen=True)
class PartProgress:
    """One counter: hours from the ledger, credited hours, and the norm."""

    attended: Decimal
    credited: Decimal
    norm: Decimal

    @property
    def counted(self) -> Decimal:
        return self.attended + self.credited

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.norm - self.counted)

    @property
    def met(self) -> bool:
        return self.counted >= self.norm


@dataclass(frozen=True)
class NormProgress:
    """Both counters of a participant's route."""

    course: PartProgress
    participation: PartProgress

    @property
    def met(self) -> bool:
        return self.course.met and self.participation.met


def norm_for(
    category: ParticipantCategory,
    rules: NormRules = NormRules(),
    *,
    reduced_course: Decimal | None = None,
    reduced_participation: Decimal | None = None,
) -> Norm:
    """The norm for ``category``, or the reduced numbers the PIP records (lid 8)."""
    course = rules.course_hours if reduced_course is None else reduced_course
    participation = (
        rules.participation_hours if reduced_participation is None else reduced_participation
    )
    if category is not ParticipantCategory.ASYLUM_PERMIT_HOLDER:
        participation = Decimal(0)
    if course < 0 or participation < 0:
        raise ValueError("a norm cannot be negative")
    reduced = reduced_course is not None or reduced_participation is not None
    return Norm(course=course, participation=participation, reduced=reduced)


def progress(
    norm: Norm, hours_by_kind: Mapping[str, Decimal], credits: Iterable[Credit] = ()
) -> NormProgress:
    """Count the ledger's hours and the credits against ``norm``.

    Kinds outside both parts (none today) count toward neither; a credit counts toward
    the part it names.
    """
    credited = {part: Decimal(0) for part in NormPart}
    for credit in credits:
        credited[credit.part] += credit.hours
    course = sum((h for k, h in hours_by_kind.items() if k in COURSE_KINDS), Decimal(0))
    participation = sum(
        (h for k, h in hours_by_kind.items() if k in PARTICIPATION_KINDS), Decimal(0)
    )
    return NormProgress(
        course=PartProgress(course, credited[NormPart.COURSE], norm.course),
        participation=PartProgress(
            participation, credited[NormPart.PARTICIPATION], norm.participation
        ),
    )


@dataclass(frozen=True)
class RouteNorm:
    """One participant's norm with the hours credited toward each part, as the PIP sets
    them: what the projection and completion count against."""

    norm: Norm
    credited_course: Decimal = Decimal(0)
    credited_participation: Decimal = Decimal(0)

    def progress(self, hours_by_kind: Mapping[Any, Decimal | float]) -> NormProgress:
        """Count ``hours_by_kind`` (the ledger's, or a projection's) with the credits."""
        hours = {k: Decimal(str(v)) for k, v in hours_by_kind.items()}
        return progress(
            self.norm,
            hours,
            (
                _credit(NormPart.COURSE, self.credited_course),
                _credit(NormPart.PARTICIPATION, self.credited_participation),
            ),
        )

    def course_counted(self, hours_by_kind: Mapping[Any, Decimal | float]) -> Decimal:
        """The course part's count of ``hours_by_kind`` with its credit: what
        ``progress(hours_by_kind).course.counted`` is, the same sums in the same order,
        without the other part, the objects and the conversions of every kind (the
        projection asks it once a week of the term)."""
        attended = sum(
            (Decimal(str(v)) for k, v in hours_by_kind.items() if k in COURSE_KINDS), Decimal(0)
        )
        return attended + (Decimal(0) + self.credited_course)


def _credit(part: NormPart, hours: Decimal) -> Credit:
    # The PIP keeps where credited hours come from; planning only counts them, so the
    # source here is nominal (the PIP's own crediting, lid 6).
    return Credit(part=part, hours=hours, source=CreditSource.INTAKE)


def route_norm(
    rules: NormRules,
    *,
    family_migrant: bool = False,
    reduced_course: Decimal | None = None,
    reduced_participation: Decimal | None = None,
    credited_course: Decimal = Decimal(0),
    credited_participation: Decimal = Decimal(0),
) -> RouteNorm:
    """The norm the PIP gives one participant (the full norm when it records nothing)."""
    category = (
        ParticipantCategory.FAMILY_MIGRANT
        if family_migrant
        else ParticipantCategory.ASYLUM_PERMIT_HOLDER
    )
    norm = norm_for(
        category,
        rules,
        reduced_course=reduced_course,
        reduced_participation=reduced_participation,
    )
    if norm.participation == 0:
        credited_participation = Decimal(0)  # no part to credit toward
    return RouteNorm(norm, credited_course, credited_participation)
