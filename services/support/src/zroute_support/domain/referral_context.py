"""What a referral says besides its codes (issue 17, after FHIR ServiceRequest.reasonCode
and supportingInfo): a reason and supporting information as codes, a note in words, and
the message thread between the referrer and the care partner.

Words stay in support: never on the bus, never in a log. The care partner reads them
only once it has accepted the referral; before that it sees the codes of the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from zroute_contract.events.codes import ReferralSide, ReferralStatus

from zroute_support.domain.errors import Forbidden, Refused

S = ReferralStatus
ACCEPTED_ONCE = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD, S.COMPLETED, S.FAILED})
"""Statuses a referral reaches only after the care partner accepted it."""
MAX_TEXT = 4000
NOT_YET_ACCEPTED = (
    "the care partner sees the referral's context and messages once it has accepted it"
)


@dataclass(frozen=True)
class ReferralContext:
    """Why the referral was made and what supports it; who recorded it, and when."""

    reason_code: str | None
    supporting_info: tuple[str, ...]
    note: str | None
    recorded_by: str
    recorded_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "reason_code": self.reason_code,
            "supporting_info": list(self.supporting_info),
            "note": self.note,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReferralContext:
        return cls(
            reason_code=data.get("reason_code"),
            supporting_info=tuple(data.get("supporting_info", ())),
            note=data.get("note"),
            recorded_by=data["recorded_by"],
            recorded_at=datetime.fromisoformat(data["recorded_at"]),
        )


@dataclass(frozen=True)
class Message:
    """One message of a referral's thread."""

    message_id: UUID
    referral_id: UUID
    side: ReferralSide
    author: str
    body: str
    sent_at: datetime


def check_text(text: str | None, what: str) -> str | None:
    """Words are optional, but never blank and never longer than :data:`MAX_TEXT`."""
    if text is None:
        return None
    if not text.strip():
        raise Refused(f"the {what} is empty")
    if len(text) > MAX_TEXT:
        raise Refused(f"the {what} is longer than {MAX_TEXT} characters")
    return text


def ensure_readable(side: ReferralSide, status: ReferralStatus) -> None:
    """The referrer reads the context at any time; the care partner once it accepted."""
    if side is ReferralSide.PERFORMER and status not in ACCEPTED_ONCE:
        raise Forbidden(NOT_YET_ACCEPTED)
