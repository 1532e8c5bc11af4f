"""The CloudEvents 1.0 envelope, following the NL GOV profile for CloudEvents.

Attributes and what they mean here:

``id``
    A UUID, unique per event; it is also the AMQP ``message_id``, and consumers key
    their inbox on it, so a redelivered event has no second effect.
``source``
    A URN naming the organisation and the system:
    ``urn:nld:oin:<OIN>:systeem:<system>`` or ``urn:nld:kvknr:<KvK>:systeem:<system>``.
``type``
    Reverse-DNS, no organisation names, one ``.vN`` major-version suffix:
    ``nl.zroute.<service>.<event-name>.v<N>``.
``time``
    When the state change happened in the producing service (the moment its
    transaction recorded it, read from the service's clock), not when the event was
    published or received. Always with a UTC offset.
``subject``
    The pseudonymous participant reference (``zr-`` + 32 hex digits), never a BSN or
    a name; absent for events about no single participant (a partner registered).
``sequence``
    The position of this event among all events of its ``source``: gapless and
    increasing in commit order, zero-padded to 20 digits so that the lexicographic
    order the CloudEvents sequence extension prescribes is the numeric order. A consumer
    that sees a jump knows it missed events and can resync from the source.
``dataref``
    Where a consumer fetches detail that is not on the bus, under its own
    authorisation (for example the participant record in the intake service).
``correlationid`` / ``causationid``
    The id shared by everything one user action set off, and the id of the event or
    command that directly caused this one.
``traceparent`` / ``tracestate``
    W3C trace context (CloudEvents distributed-tracing extension).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from zroute_contract.events.base import Event, event_class
from zroute_contract.types import PARTICIPANT_REF_PATTERN

SOURCE_PATTERN = r"^urn:nld:(oin:[0-9]{20}|kvknr:[0-9]{8}):systeem:[a-z0-9][a-z0-9-]*$"
TYPE_ATTRIBUTE_PATTERN = r"^nl\.zroute\.[a-z]+\.[a-z][a-z-]*\.v[0-9]+$"
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
SEQUENCE_WIDTH = 20
SCHEMA_BASE_URL = "https://zroute.nl/schemas/events/"
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


class CloudEvent(BaseModel):
    """One event as it travels on the bus: CloudEvents 1.0 structured mode, JSON."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    source: str = Field(pattern=SOURCE_PATTERN)
    type: str = Field(pattern=TYPE_ATTRIBUTE_PATTERN)
    time: AwareDatetime
    subject: str | None = Field(default=None, pattern=PARTICIPANT_REF_PATTERN)
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str | None = None
    sequence: str = Field(pattern=rf"^[0-9]{{{SEQUENCE_WIDTH}}}$")
    dataref: str | None = None
    correlationid: str = Field(min_length=1, max_length=128)
    causationid: str | None = Field(default=None, max_length=128)
    traceparent: str | None = Field(default=None, pattern=TRACEPARENT_PATTERN)
    tracestate: str | None = Field(default=None, max_length=512)
    data: dict[str, Any]

    @property
    def sequence_number(self) -> int:
        return int(self.sequence)

    def payload(self) -> Event:
        """The typed payload; raises ``KeyError`` for an unknown type and
        ``pydantic.ValidationError`` for data that does not fit the type's model."""
        return event_class(self.type).model_validate(self.data)

    def to_json(self) -> bytes:
        """Structured-mode JSON, with absent optional attributes left out."""
        return self.model_dump_json(exclude_none=True).encode()


def format_sequence(number: int) -> str:
    """A sequence number as the zero-padded string the ``sequence`` attribute holds."""
    if number < 1:
        raise ValueError("sequence numbers start at 1")
    return str(number).zfill(SEQUENCE_WIDTH)


def dataschema_for(event_type: str) -> str:
    """The ``dataschema`` URI of an event type (the committed JSON Schema's ``$id``)."""
    return f"{SCHEMA_BASE_URL}{event_type}.json"


def build_event(
    payload: Event,
    *,
    source: str,
    sequence: int,
    correlation_id: str,
    subject: str | None = None,
    causation_id: str | None = None,
    time: datetime | None = None,
    dataref: str | None = None,
    traceparent: str | None = None,
    tracestate: str | None = None,
    event_id: str | None = None,
) -> CloudEvent:
    """Wrap a payload in its envelope."""
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=payload.spec.type,
        time=time or datetime.now(UTC),
        subject=subject,
        dataschema=dataschema_for(payload.spec.type),
        sequence=format_sequence(sequence),
        dataref=dataref,
        correlationid=correlation_id,
        causationid=causation_id,
        traceparent=traceparent,
        tracestate=tracestate,
        data=payload.model_dump(mode="json"),
    )


class InvalidEvent(ValueError):
    """A message that is not a valid event of the contract; ``reason`` says why, in one line
    fit for a dead-letter header (field paths and error kinds, never the offending values)."""

    def __init__(self, reason: str, event_type: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.event_type = event_type


def _describe(error: ValidationError, where: str) -> str:
    # Values are left out on purpose: they may be personal data that must not reach a
    # dead-letter header or a log line.
    parts = []
    for item in error.errors(include_url=False, include_input=False)[:5]:
        loc = ".".join(str(p) for p in item["loc"]) or "(root)"
        parts.append(f"{where}{loc}: {item['msg']}")
    more = error.error_count() - len(parts)
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def parse_event(body: bytes | str) -> tuple[CloudEvent, Event]:
    """Parse and validate a structured-mode CloudEvent and its payload.

    Raises :class:`InvalidEvent` with a reason that names what was wrong: not JSON,
    an envelope attribute, an unknown type, or a payload field.
    """
    if isinstance(body, bytes):
        # JSON between systems is UTF-8 (RFC 8259 8.1), and the content type says so:
        # json.loads would also guess UTF-16 or UTF-32 from the bytes, a strict receiver
        # does not.
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidEvent("body is not UTF-8") from None
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent(f"body is not JSON: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    if not isinstance(raw, dict):
        raise InvalidEvent("body is not a JSON object")
    try:
        envelope = CloudEvent.model_validate(raw)
    except ValidationError as exc:
        raise InvalidEvent(
            f"envelope invalid: {_describe(exc, '')}",
            raw.get("type") if isinstance(raw.get("type"), str) else None,
        ) from None
    try:
        cls = event_class(envelope.type)
    except KeyError:
        raise InvalidEvent(f"unknown event type {envelope.type}", envelope.type) from None
    try:
        payload = cls.model_validate(envelope.data)
    except ValidationError as exc:
        raise InvalidEvent(
            f"data invalid for {envelope.type}: {_describe(exc, 'data.')}", envelope.type
        ) from None
    return envelope, payload
