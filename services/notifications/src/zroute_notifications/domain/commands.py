"""What a caller asks the notifications service to do (imperatives; events say what
happened). Who asks travels beside the command (the caller's ``Principal``)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Resend:
    """Send a failed message again, with today's addresses and subscriptions."""

    notification_id: UUID


@dataclass(frozen=True)
class PutAddress:
    """Set where a staff member, partner, employer or the operator desk is reached."""

    kind: str
    ref: str
    email: str | None
    language: str
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class DeleteAddress:
    """Forget a recipient's address (the seed file's, if any, shows again)."""

    kind: str
    ref: str


@dataclass(frozen=True)
class Subscribe:
    """Subscribe a webhook endpoint (it consented in the validation handshake)."""

    partner_id: str | None
    url: str
    bearer_token: str
    event_types: tuple[str, ...]
    participant_refs: tuple[str, ...] | None


@dataclass(frozen=True)
class EndSubscription:
    """End a webhook subscription (cancelled)."""

    subscription_id: UUID


@dataclass(frozen=True)
class RevokeLinks:
    """Revoke every personal-page link of a participant still in force (a lost letter)."""

    participant_ref: str
