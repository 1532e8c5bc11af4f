"""What a recipient may read of an event, and where the record lives.

Messages carry a summary and a link to the record in the owning service, never the
record itself. Care details (category, severity, urgency, signals) travel only on
events addressed to one care partner, and only that partner's message shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zroute_contract.events.base import Event
from zroute_contract.events.codes import RecipientRole

SENSITIVE_FIELDS = frozenset(
    {"category", "severity", "urgency", "signals", "care_signal_ids", "signal_id", "consent_id"}
)

# The field naming the record a message links to, most specific first, and its path.
RECORD_PATHS = (
    ("referral_id", "referrals"),
    ("request_id", "interpreter-requests"),
    ("placement_id", "placements"),
    ("placement_request_id", "placement-requests"),
    ("review_id", "reviews"),
    ("follow_up_id", "follow-ups"),
    ("plan_id", "plans"),
    ("group_id", "groups"),
    ("intake_id", "intakes"),
    ("agreement_id", "agreements"),
    ("participant_ref", "participants"),
    ("partner_id", "partners"),
)


def may_see_care_details(
    cls: type[Event], data: Mapping[str, Any], role: RecipientRole, partner_id: str | None
) -> bool:
    """Only the care partner an addressed event is addressed to."""
    addressed_by = cls.spec.addressed_by
    return (
        addressed_by is not None
        and role is RecipientRole.CARE_PARTNER
        and partner_id is not None
        and data.get(addressed_by) == partner_id
    )


def visible_data(
    cls: type[Event], data: Mapping[str, Any], role: RecipientRole, partner_id: str | None
) -> tuple[dict[str, Any], bool]:
    """The event data a recipient's message may draw on, and whether care details are in."""
    if may_see_care_details(cls, data, role, partner_id):
        return dict(data), True
    return {k: v for k, v in data.items() if k not in SENSITIVE_FIELDS}, False


def record_link(base_urls: Mapping[str, str], event_type: str, data: Mapping[str, Any]) -> str:
    """The record in the service that produced the event."""
    producer = event_type.split(".")[2]
    base = base_urls.get(producer, "").rstrip("/")
    for field, path in RECORD_PATHS:
        value = data.get(field)
        if isinstance(value, str) and value:
            return f"{base}/{path}/{value}"
    programme = data.get("programme_id")
    return f"{base}/programmes/{programme}" if programme else base + "/"
