"""Building blocks that events of more than one producer share.

Nested structures are frozen models that ignore unknown fields, like the events
themselves: a later minor version may add a field to a structure too.
"""

from typing import Annotated, Any, Self, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from zroute_contract.events.base import Event
from zroute_contract.events.codes import ContactRole, DayPart, Weekday
from zroute_contract.types import (
    MunicipalityCode,
    ParticipantRef,
    PartnerId,
    ProgrammeId,
    StaffRef,
)

T = TypeVar("T")


class EventPart(BaseModel):
    """Base of every nested structure in an event payload."""

    model_config = ConfigDict(frozen=True, extra="ignore")


def _unique(items: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(set(items)) != len(items):
        raise ValueError("items must be unique")
    return items


UniqueTuple = Annotated[
    tuple[T, ...], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})
]
"""A tuple whose items are distinct, checked on validation and stated in the JSON Schema."""

Hours = Annotated[float, Field(ge=0, le=10000, multiple_of=0.25)]
"""A number of hours in quarters of an hour (0.25), the granularity of the hours ledger."""


class AvailabilitySlot(EventPart):
    """One part of one weekday (dagdeel) on which the participant can attend."""

    weekday: Weekday = Field(description="Day of the week.")
    day_part: DayPart = Field(description="Morning, afternoon or evening.")


class ContactPersonRef(EventPart):
    """A participant's contact person or referrer: a staff member at the municipality or
    at a partner, by role and organisation; never by name.

    Exactly one of ``partner_id`` and ``municipality`` names the organisation.
    """

    staff_ref: StaffRef = Field(description="The staff member in their organisation's system.")
    role: ContactRole = Field(description="The staff member's function for this participant.")
    partner_id: PartnerId | None = Field(
        default=None,
        description="The partner the contact person works for, if not the municipality.",
    )
    municipality: MunicipalityCode | None = Field(
        default=None, description="The municipality the contact person works for, if not a partner."
    )

    @model_validator(mode="after")
    def _one_organisation(self) -> Self:
        if (self.partner_id is None) == (self.municipality is None):
            raise ValueError("exactly one of partner_id and municipality must be given")
        return self


class ParticipantEvent(Event):
    """Base of the events about one participant: the ``participant_ref`` is also the
    envelope's ``subject``, and ``programme_id`` lets a consumer find the programme's
    agreements without a lookup of its own."""

    participant_ref: ParticipantRef = Field(
        description="Pseudonymous participant reference; the same value is the CloudEvents subject."
    )
    programme_id: ProgrammeId = Field(
        description="The programme (one municipality's Z-route offer) the participant follows."
    )


class HoursNorm(EventPart):
    """The hours norm of one participant's Z-route as the law structures it (B 3.14):
    course hours (NT2 and KNM together) and participation hours (PVT and MAP counted
    within them), each with the hours credited toward it. Family migrants have the
    course hours only (participation 0); a reduced norm (lid 8) is flagged."""

    course_hours: Hours = Field(description="Course hours to reach (NT2 and KNM together).")
    participation_hours: Hours = Field(
        description="Participation hours to reach (PVT and MAP within them); 0 when none apply."
    )
    credited_course_hours: Hours = Field(default=0, description="Hours credited as course hours.")
    credited_participation_hours: Hours = Field(
        default=0, description="Hours credited as participation hours."
    )
    reduced: bool = Field(default=False, description="True for a reduced norm (B 3.14(8)).")
