"""Request and response bodies of the HTTP API (never table rows)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, HttpUrl

Kind = Literal["staff", "partner", "employer", "operator"]


class NotificationOut(BaseModel):
    id: UUID
    event_ids: list[UUID]
    event_type: str | None
    programme_id: str | None
    participant_ref: str | None
    role: str
    recipient_kind: str
    recipient_ref: str
    partner_id: str | None
    staff_ref: str | None
    subscription_id: UUID | None
    channel: str
    timing: str
    language: str
    status: Literal["pending", "sent", "failed", "not_sent"] = Field(
        description="not_sent: nothing to send to, no failure (a participant without an "
        "e-mail address; ``reason`` says why)"
    )
    attempts: int
    reason: str | None
    retriable: bool | None
    last_error: str | None
    created_at: datetime
    due_at: datetime | None
    sent_at: datetime | None
    failed_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> NotificationOut:
        return cls.model_validate({k: row[k] for k in cls.model_fields})


class InboxMessage(BaseModel):
    id: UUID
    event_type: str | None
    participant_ref: str | None
    subject: str
    body: str
    language: str
    received_at: datetime | None


class AddressIn(BaseModel):
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    language: Literal["nl", "en"] = "nl"
    # A staff member's name and work phone, printed on the participant's letter and page
    # as their contact person (issue 18); never a participant's.
    name: str | None = Field(default=None, min_length=1, max_length=100)
    phone: str | None = Field(default=None, max_length=30, pattern=r"^\+?[0-9][0-9 ()-]{5,28}$")


class AddressOut(AddressIn):
    kind: Kind
    ref: str
    source: Literal["api", "seed"] = "api"


class SubscriptionIn(BaseModel):
    url: HttpUrl
    bearer_token: str = Field(
        min_length=16,
        max_length=512,
        description="Sent as Authorization: Bearer with every delivery.",
    )
    event_types: list[str] = Field(min_length=1, max_length=100)
    participant_refs: list[str] | None = Field(default=None, max_length=1000)
    partner_id: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]{1,62}$")


class SubscriptionOut(BaseModel):
    id: UUID
    partner_id: str | None
    url: str
    event_types: list[str]
    participant_refs: list[str] | None
    active: bool
    ended_reason: str | None
    created_at: datetime
    ended_at: datetime | None
    validated_at: datetime = Field(
        description="When the endpoint consented in the validation handshake."
    )
    allowed_rate: int | None = Field(
        description="Requests per minute the endpoint granted; null for no limit."
    )

    @classmethod
    def of(cls, row: Any) -> SubscriptionOut:
        return cls.model_validate({k: row[k] for k in cls.model_fields})


class SubscriptionCreated(SubscriptionOut):
    signing_secret: str = Field(description="HMAC-SHA256 key for Zroute-Signature; shown once.")


class LetterOut(BaseModel):
    """A start letter (issue 18): its languages, its page link's state and where its PDF is."""

    id: UUID
    participant_ref: str
    languages: list[str]
    created_at: datetime
    link_expires_at: datetime
    link_revoked: bool
    pdf: str


class LinksRevoked(BaseModel):
    revoked: int = Field(description="How many personal-page links were revoked.")
