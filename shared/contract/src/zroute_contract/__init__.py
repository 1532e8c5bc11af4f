"""The Z-route event contract.

Everything a partner needs to produce or consume Z-route events, with pydantic as its
only dependency: the CloudEvents envelope (:mod:`zroute_contract.envelope`), one model
per event type (:mod:`zroute_contract.events`), the committed JSON Schemas
(``schemas/``) and the routing rules.
"""

from zroute_contract.envelope import CloudEvent, InvalidEvent, build_event, parse_event
from zroute_contract.events.base import Event, EventSpec, event_class, event_types

__all__ = [
    "CloudEvent",
    "Event",
    "EventSpec",
    "InvalidEvent",
    "build_event",
    "event_class",
    "event_types",
    "parse_event",
]
