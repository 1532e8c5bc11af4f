"""The hours norm the PIP records for a Z-route (Besluit inburgering 2021, art. 3.14).

The law structures the norm in two counters: 800 *course* hours (NT2 and KNM together,
lid 2(a)) and 800 *participation* hours (lid 2(b)), PVT and MAP hours counted within the
participation hours (lid 5). Family and other migrants have the course hours only
(lid 3). Hours may be credited (lid 6, 9-10; B 5.4(4)(c)), and the college may set a
lower norm for an auditory or visual impairment (lid 8). The PIP records which of these
apply; planning counts the hours against them (``pip-established.hours_norm``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zroute_contract.events.intake import PipHoursNorm


class ParticipantCategory(StrEnum):
    """Which variant of the Z-route the law gives the participant (B 3.14(2)-(3))."""

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


class ReductionGround(StrEnum):
    """The grounds for a lower norm (B 3.14(8))."""

    AUDITORY_IMPAIRMENT = "auditory_impairment"
    VISUAL_IMPAIRMENT = "visual_impairment"


COURSE_HOURS = 800.0
"""B 3.14(2)(a): *in totaal 800 cursusuren*, NT2 and KNM together."""
PARTICIPATION_HOURS = 800.0
"""B 3.14(2)(b): *in totaal 800 uren* participation, PVT and MAP within them (lid 5)."""


@dataclass(frozen=True)
class Credit:
    """Hours credited toward one counter, with where they come from."""

    part: NormPart
    hours: float
    source: CreditSource


@dataclass(frozen=True)
class PipNorm:
    """What the PIP says about the hours norm; the full norm of an asylum permit holder
    when nothing departs from it."""

    category: ParticipantCategory = ParticipantCategory.ASYLUM_PERMIT_HOLDER
    reduction_ground: ReductionGround | None = None
    reduced_course_hours: float | None = None
    reduced_participation_hours: float | None = None
    credits: tuple[Credit, ...] = ()

    @property
    def course_only(self) -> bool:
        """Family and other migrants have the course hours only (B 3.14(3))."""
        return self.category is not ParticipantCategory.ASYLUM_PERMIT_HOLDER

    def credited(self, part: NormPart) -> float:
        """The hours credited toward ``part``."""
        return sum(c.hours for c in self.credits if c.part is part)

    def norm(self, part: NormPart) -> float:
        """The hours the participant must reach on ``part`` (0 where it does not apply)."""
        if part is NormPart.COURSE:
            reduced = self.reduced_course_hours
            return COURSE_HOURS if reduced is None else reduced
        if self.course_only:
            return 0.0
        reduced = self.reduced_participation_hours
        return PARTICIPATION_HOURS if reduced is None else reduced

    def problems(self) -> list[str]:
        """Every rule the norm breaks, as reasons a caseworker can act on."""
        found = self._reduction_problems()
        if self.course_only and self.credited(NormPart.PARTICIPATION):
            found.append(
                "hours_norm.credits: a family or other migrant has no participation hours "
                "to credit (B 3.14(3))"
            )
        for credit in self.credits:
            if credit.hours <= 0:
                found.append("hours_norm.credits: credited hours are more than 0")
        for part in NormPart:
            if self.credited(part) > self.norm(part):
                found.append(
                    f"hours_norm.credits: the {part.value} credits exceed the "
                    f"{part.value} norm ({self.norm(part):g} hours)"
                )
        return found

    def _reduction_problems(self) -> list[str]:
        found = []
        reduced = (self.reduced_course_hours, self.reduced_participation_hours)
        if any(r is not None for r in reduced) and self.reduction_ground is None:
            found.append(
                "hours_norm.reduction_ground: a lower norm is set for an auditory or "
                "visual impairment only (B 3.14(8)); name the ground"
            )
        if self.reduction_ground is not None and all(r is None for r in reduced):
            found.append("hours_norm: a reduction ground without a reduced number of hours")
        if self.course_only and self.reduced_participation_hours is not None:
            found.append(
                "hours_norm.reduced_participation_hours: a family or other migrant has no "
                "participation hours (B 3.14(3))"
            )
        for name, full in (
            ("reduced_course_hours", COURSE_HOURS),
            ("reduced_participation_hours", PARTICIPATION_HOURS),
        ):
            value = getattr(self, name)
            if value is not None and not 0 < value < full:
                found.append(f"hours_norm.{name}: a reduced norm lies between 0 and {full:g}")
        return found

    def event_part(self) -> PipHoursNorm:
        """The norm as ``pip-established`` and ``pip-amended`` carry it: numbers only."""
        return PipHoursNorm(
            family_migrant=self.course_only,
            reduced_course_hours=self.reduced_course_hours,
            reduced_participation_hours=self.reduced_participation_hours,
            credited_course_hours=self.credited(NormPart.COURSE),
            credited_participation_hours=self.credited(NormPart.PARTICIPATION),
        )
