"""A read of a participant's personal data, as the access log keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Access:
    """Who read which personal data of whom, when and why (a purpose code)."""

    participant_ref: str
    accessed_at: datetime
    actor: str
    actor_roles: tuple[str, ...]
    purpose: str
    fields: tuple[str, ...]
    request_id: str | None = None
