"""The base every event payload derives from, and the registry of event types.

An event is a frozen pydantic model of the CloudEvent's ``data``. Its class carries an
:class:`EventSpec`: the versioned CloudEvents type, the routing key, the producing
service and the services that consume it. Defining a subclass registers it, so the
catalogue, the JSON Schemas and the consumers' dispatch all come from the same place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

SERVICES = ("intake", "planning", "support", "notifications")
TYPE_PATTERN = re.compile(
    r"^nl\.zroute\.(intake|planning|support|notifications)\.[a-z][a-z-]*\.v[0-9]+$"
)
ROUTING_KEY_PATTERN = re.compile(
    r"^(intake|planning|support|notifications)\.[a-z][a-z-]*\.[a-z][a-z-]*$"
)


@dataclass(frozen=True)
class EventSpec:
    """What the bus needs to know about one event type.

    ``routing_key`` is ``<service>.<entity>.<action>``; for an addressed event the
    relay appends ``.<partner-id>`` taken from the payload field named by
    ``addressed_by``, so only the one partner's queue binding receives it.
    """

    type: str
    routing_key: str
    producer: str
    consumers: tuple[str, ...]
    summary: str
    addressed_by: str | None = None

    def __post_init__(self) -> None:
        if not TYPE_PATTERN.match(self.type):
            raise ValueError(f"event type {self.type!r} is not nl.zroute.<service>.<name>.vN")
        if not ROUTING_KEY_PATTERN.match(self.routing_key):
            raise ValueError(f"routing key {self.routing_key!r} is not <service>.<entity>.<action>")
        if self.producer not in SERVICES or self.type.split(".")[2] != self.producer:
            raise ValueError(f"producer {self.producer!r} does not match type {self.type!r}")
        if self.routing_key.split(".")[0] != self.producer:
            raise ValueError(f"routing key {self.routing_key!r} does not start with the producer")

    @property
    def major_version(self) -> int:
        return int(self.type.rsplit(".v", 1)[1])

    @property
    def name(self) -> str:
        """The type without prefix and version, for example ``intake-completed``."""
        return self.type.split(".")[3]


_REGISTRY: dict[str, type[Event]] = {}


class Event(BaseModel):
    """Base of every event payload (the CloudEvent ``data``).

    Frozen, and tolerant of unknown fields: within a major version producers only add
    fields, and an older consumer ignores what it does not know.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    spec: ClassVar[EventSpec]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        spec = cls.__dict__.get("spec")
        if spec is None:
            return  # an abstract intermediate class
        if spec.type in _REGISTRY and _REGISTRY[spec.type] is not cls:
            raise ValueError(f"event type {spec.type} defined twice")
        if spec.addressed_by and spec.addressed_by not in cls.model_fields:
            raise ValueError(f"{cls.__name__}.spec.addressed_by names no field")
        _REGISTRY[spec.type] = cls

    def routing_key(self) -> str:
        """The routing key this event is published with (with the partner id if addressed)."""
        if self.spec.addressed_by:
            return f"{self.spec.routing_key}.{getattr(self, self.spec.addressed_by)}"
        return self.spec.routing_key


def event_types() -> dict[str, type[Event]]:
    """Every registered event class by CloudEvents type (imports the catalogue first)."""
    from zroute_contract import events  # noqa: F401  (registers the catalogue)

    return dict(sorted(_REGISTRY.items()))


def event_class(event_type: str) -> type[Event]:
    """The event class for a CloudEvents type; ``KeyError`` when the type is unknown."""
    if not _REGISTRY:
        event_types()  # imports the catalogue once
    return _REGISTRY[event_type]
