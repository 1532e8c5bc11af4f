"""What travels with a unit of work: who asked, and what caused it.

An HTTP request starts a new correlation; an event handler continues the incoming
event's correlation and names the event as the cause of whatever it emits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class MessageContext:
    correlation_id: str
    causation_id: str | None = None
    traceparent: str | None = None
    tracestate: str | None = None

    @classmethod
    def new(cls) -> MessageContext:
        return cls(correlation_id=str(uuid.uuid4()))
