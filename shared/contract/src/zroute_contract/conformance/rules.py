"""The rules every published message of a service must keep; pure functions, no I/O."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from zroute_contract.envelope import (
    CloudEvent,
    InvalidEvent,
    dataschema_for,
    parse_event,
)
from zroute_contract.events.base import Event, event_types

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
# Nine digits standing alone; letters count as neighbours, so hex ids are no false alarm.
_NINE_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])")
# CloudEvents 1.0: attribute names are lower-case ASCII letters and digits, at most 20.
_ATTRIBUTE_NAME = re.compile(r"^[a-z0-9]{1,20}$")
# RFC 3339 date-time: a time with seconds and a UTC offset ("Z" or +hh:mm).
_RFC3339 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
CLOUDEVENTS_MEDIA_TYPE = "application/cloudevents+json"
PERSISTENT = 2


_SCHEMA_DIR = Path(__file__).parents[1] / "schemas"


@cache
def _schema_validator(name: str) -> Any:
    """A JSON Schema 2020-12 validator of the committed schema ``name`` that asserts
    formats (None when there is no such schema)."""
    try:
        from jsonschema import Draft202012Validator
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError(
            "the conformance kit needs jsonschema: pip install 'zroute-contract[conformance]'"
        ) from exc
    path = _SCHEMA_DIR / f"{name}.json"
    if not path.is_file():
        return None
    checker = Draft202012Validator.FORMAT_CHECKER
    missing = {"date", "date-time", "uuid"} - set(checker.checkers)
    if missing:
        raise ImportError(f"jsonschema cannot assert {sorted(missing)}: install rfc3339-validator")
    return Draft202012Validator(
        json.loads(path.read_text(encoding="utf-8")), format_checker=checker
    )


def schema_problems(raw: Any) -> list[str]:
    """The decoded body against the committed ``cloudevent.json`` and its type's schema,
    formats asserted, as a non-Python integrator validates it (a date with a time, which
    the Python models accept, is refused here). Paths and rules, never values."""
    if not isinstance(raw, dict):
        return ["the body is not a JSON object"]
    problems = [
        f"envelope {e.json_path}: {e.validator} {e.validator_value if e.validator != 'required' else ''}".rstrip()
        for e in _schema_validator("cloudevent").iter_errors(raw)
    ]
    validator = _schema_validator(raw["type"]) if isinstance(raw.get("type"), str) else None
    if validator is None:
        return [*problems, "no committed schema for the type"]
    problems += [
        f"data{e.json_path[1:]}: {e.validator} {e.validator_value}"
        for e in validator.iter_errors(raw.get("data"))
    ]
    return problems


def _attribute_problems(raw: dict[str, Any]) -> Iterator[str]:
    """Attribute names outside ``[a-z0-9]``, and ``null`` or non-string values."""
    for name, value in raw.items():
        if name == "data":
            continue
        if not _ATTRIBUTE_NAME.match(name):
            yield f"attribute name {name!r} is not lower-case a-z0-9 (max 20)"
        elif value is None:
            yield f"attribute {name} is null (leave an absent attribute out)"
        elif not isinstance(value, str):
            yield f"attribute {name} is a {type(value).__name__}, not a string"


def strict_envelope_problems(raw: Any) -> list[str]:
    """What a strict CloudEvents 1.0 (JSON format) and NL GOV receiver refuses in ``raw``,
    the decoded body, that a gap-filling parser lets through: a missing ``specversion``
    (defaulted), a ``time`` without offset or as a number, attribute names outside
    ``[a-z0-9]``, ``null`` or non-string attribute values, a missing or wrong
    ``datacontenttype`` / ``dataschema``. Names attributes and rules, never values."""
    if not isinstance(raw, dict):
        return ["the body is not a JSON object"]
    problems = []
    if raw.get("specversion") != "1.0":
        problems.append("specversion missing or not '1.0'")
    for name in ("id", "source", "type"):
        if not isinstance(raw.get(name), str) or not raw[name]:
            problems.append(f"required attribute {name} missing or empty")
    problems.extend(_attribute_problems(raw))
    time = raw.get("time")
    if not (isinstance(time, str) and _RFC3339.match(time)):
        problems.append("time is not an RFC 3339 timestamp with a UTC offset")
    if raw.get("datacontenttype") != "application/json":
        problems.append("datacontenttype missing or not 'application/json'")
    if isinstance(raw.get("type"), str) and raw.get("dataschema") != dataschema_for(raw["type"]):
        problems.append("dataschema missing or not the type's committed schema $id")
    if not isinstance(raw.get("data"), dict):
        problems.append("data missing or not a JSON object")
    return problems


def is_bsn(value: str) -> bool:
    """Nine digits passing the elfproef (weights 9..2 and -1); all zeros is no BSN."""
    if len(value) != 9 or not value.isascii() or not value.isdigit() or value == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(value, _BSN_WEIGHTS, strict=True)) % 11 == 0


def bsn_paths(node: Any, path: str = "") -> Iterator[str]:
    """JSON paths in ``node`` holding a BSN-shaped value (string or number)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from bsn_paths(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from bsn_paths(value, f"{path}[{i}]")
    elif isinstance(node, bool):
        return
    elif isinstance(node, int):
        if is_bsn(str(node)):
            yield path or "(root)"
    elif isinstance(node, str) and any(is_bsn(m) for m in _NINE_DIGITS.findall(node)):
        yield path or "(root)"


@dataclass
class Published:
    """One message the service published, as the kit's capture queue received it."""

    routing_key: str
    message_id: str | None
    body: bytes
    envelope: CloudEvent | None = None
    payload: Event | None = None
    invalid: str | None = None
    # AMQP properties as received (None when the message did not set them).
    content_type: str | None = CLOUDEVENTS_MEDIA_TYPE
    delivery_mode: int | None = PERSISTENT

    @classmethod
    def parse(
        cls,
        routing_key: str,
        message_id: str | None,
        body: bytes,
        *,
        content_type: str | None = CLOUDEVENTS_MEDIA_TYPE,
        delivery_mode: int | None = PERSISTENT,
    ) -> Published:
        item = cls(routing_key, message_id, body, content_type=content_type)
        item.delivery_mode = delivery_mode
        try:
            item.envelope, item.payload = parse_event(body)
        except InvalidEvent as exc:
            item.invalid = exc.reason
        return item

    @property
    def raw(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def label(self) -> str:
        if self.envelope is not None:
            return f"{self.envelope.type.split('.')[3]} {self.envelope.id[:8]}"
        return f"message on {self.routing_key}"

    def caused_by(self, event_id: str) -> bool:
        """True when this output names ``event_id`` as its cause: the CloudEvent
        ``causationid``, or (a delivery outcome) among the payload's ``event_ids``."""
        if self.envelope is None:
            return False
        if self.envelope.causationid == event_id:
            return True
        ids = self.envelope.data.get("event_ids")
        return isinstance(ids, list) and event_id in ids


@dataclass
class RuleResult:
    name: str
    ok: bool
    detail: str


def _summary(problems: list[str], checked: int, what: str) -> tuple[bool, str]:
    """Pass with the count checked, or fail naming the problems (identical ones once)."""
    if not problems:
        return True, f"{checked} {what} checked"
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem] = counts.get(problem, 0) + 1
    texts = [f"{p} (x{n})" if n > 1 else p for p, n in counts.items()]
    shown = "; ".join(texts[:3])
    more = f"; and {len(texts) - 3} more" if len(texts) > 3 else ""
    return False, f"{len(problems)} of {checked} {what}: {shown}{more}"


def _name(o: Published, fallback: str) -> str:
    return o.envelope.type.split(".")[3] if o.envelope else fallback


def _invalid(o: Published) -> str | None:
    return f"{o.label}: {o.invalid}" if o.invalid else None


def _strict_envelope(o: Published) -> str | None:
    found = strict_envelope_problems(o.raw)
    return f"{_name(o, o.routing_key)}: {'; '.join(found)}" if found else None


def _schema(o: Published) -> str | None:
    found = schema_problems(o.raw)
    return f"{_name(o, o.routing_key)}: {'; '.join(found[:3])}" if found else None


def _properties(o: Published) -> str | None:
    wrong = []
    media = (o.content_type or "").split(";")[0].strip().lower()
    if media != CLOUDEVENTS_MEDIA_TYPE:
        wrong.append(f"content_type {o.content_type!r}")
    if o.delivery_mode != PERSISTENT:
        wrong.append(f"not persistent (delivery_mode {o.delivery_mode})")
    if not o.message_id:
        wrong.append("no AMQP message_id")
    return f"{_name(o, o.label)}: {', '.join(wrong)}" if wrong else None


def _routing_key(o: Published) -> str | None:
    assert o.payload is not None
    expected = o.payload.routing_key()
    if o.routing_key == expected:
        return None
    return f"{_name(o, o.label)} published with {o.routing_key!r}, expected {expected!r}"


def _message_id(o: Published) -> str | None:
    assert o.envelope is not None
    if o.message_id == o.envelope.id:
        return None
    return f"{o.label}: message_id {o.message_id!r} is not the CloudEvent id"


def _subject(o: Published) -> str | None:
    assert o.envelope is not None and o.payload is not None
    ref = getattr(o.payload, "participant_ref", None)
    if ref is None or o.envelope.subject == ref:
        return None
    return f"{o.label}: subject {o.envelope.subject!r} is not the participant_ref"


def _bsn(o: Published) -> str | None:
    try:
        body = json.loads(o.body)
    except ValueError:
        body = o.body.decode("utf-8", "replace")
    paths = list(bsn_paths(body))
    return f"{o.label}: BSN-shaped value at {', '.join(paths)}" if paths else None


_PER_MESSAGE: tuple[tuple[str, Callable[[Published], str | None]], ...] = (
    ("valid CloudEvent of the contract", _invalid),
    ("strict CloudEvents 1.0 / NL GOV envelope", _strict_envelope),
    ("valid against the committed JSON Schemas, formats asserted", _schema),
    ("message properties (content type, persistent, message id)", _properties),
)
"""Rules over every message as it arrived, valid or not."""

_PER_EVENT: tuple[tuple[str, Callable[[Published], str | None]], ...] = (
    ("routing key (with .<partner-id> when addressed)", _routing_key),
    ("AMQP message_id = CloudEvent id", _message_id),
)
"""Rules over every valid event (envelope and payload parsed)."""


def _rule(
    title: str, check: Callable[[Published], str | None], over: list[Published], what: str
) -> RuleResult:
    problems = [p for p in map(check, over) if p is not None]
    return RuleResult(title, *_summary(problems, len(over), what))


def _produced_by(service: str, valid: list[Published]) -> RuleResult:
    types = event_types()
    problems = []
    for o in valid:
        assert o.envelope is not None
        producer = types[o.envelope.type].spec.producer
        if producer != service:
            problems.append(f"{o.envelope.type} is produced by {producer}, not {service}")
    return RuleResult(f"type is produced by {service}", *_summary(problems, len(valid), "events"))


def _one_source(valid: list[Published]) -> RuleResult:
    sources = sorted({o.envelope.source for o in valid if o.envelope is not None})
    detail = (
        f"source {sources[0]}"
        if len(sources) == 1
        else f"{len(sources)} sources: {', '.join(sources)}"
    )
    return RuleResult("one constant source", len(sources) <= 1, detail)


def check_outputs(service: str, outputs: list[Published]) -> list[RuleResult]:
    """Every rule over every output, in arrival order."""
    valid = [o for o in outputs if o.envelope is not None and o.payload is not None]
    results = [_rule(title, check, outputs, "messages") for title, check in _PER_MESSAGE]
    results.append(_produced_by(service, valid))
    results.extend(_rule(title, check, valid, "events") for title, check in _PER_EVENT)
    results.append(_one_source(valid))
    results.append(
        RuleResult(
            "sequence increases per source",
            *_summary(_sequence_problems(valid), len(valid), "events"),
        )
    )
    results.append(
        RuleResult(
            "sequence gapless per source, one id per event",
            *_summary(_gap_problems(valid), len(valid), "events"),
        )
    )
    results.append(_rule("subject = payload participant_ref", _subject, valid, "events"))
    results.append(_rule("no BSN-shaped value in the body", _bsn, outputs, "messages"))
    return results


def _sequence_problems(valid: list[Published]) -> list[str]:
    """``sequence`` must be unique per source (one number, one event) and increase in
    arrival order for each participant. The contract promises commit order per
    participant; events of different participants may overtake each other in transit,
    so arrival order across participants is not held against the producer. A redelivery
    of the same event (same id, same number) is at-least-once delivery, not a fault."""
    problems = []
    by_number: dict[tuple[str, int], str] = {}
    last: dict[tuple[str, str | None], tuple[int, str]] = {}
    for o in valid:
        env = o.envelope
        assert env is not None
        number = env.sequence_number
        other = by_number.setdefault((env.source, number), env.id)
        if other != env.id:
            problems.append(f"{o.label}: sequence {number} was already used by event {other[:8]}")
            continue
        key = (env.source, env.subject)
        previous = last.get(key)
        if previous is not None and previous[1] != env.id and number <= previous[0]:
            problems.append(
                f"{o.label}: sequence {number} after {previous[0]} for the same participant"
            )
        if previous is None or number > previous[0]:
            last[key] = (number, env.id)
    return problems


def _gap_problems(valid: list[Published]) -> list[str]:
    """Within the run every number between a source's lowest and highest seen must have
    been seen (the kit captures every key, so nothing the source publishes is missed),
    and an id stands for one event (the same id with another body is not a redelivery)."""
    problems = []
    numbers: dict[str, set[int]] = defaultdict(set)
    bodies: dict[str, tuple[str, int]] = {}
    for o in valid:
        env = o.envelope
        assert env is not None
        numbers[env.source].add(env.sequence_number)
        seen = bodies.setdefault(env.id, (env.type, env.sequence_number))
        if seen != (env.type, env.sequence_number):
            problems.append(f"{o.label}: id {env.id[:8]} reused for another event")
    for source, seen_numbers in numbers.items():
        missing = set(range(min(seen_numbers), max(seen_numbers) + 1)) - seen_numbers
        if missing:
            first = sorted(missing)[:3]
            problems.append(
                f"{source.rsplit(':', 1)[-1]}: {len(missing)} number(s) never published "
                f"between {min(seen_numbers)} and {max(seen_numbers)} (e.g. {first})"
            )
    return problems


def causation_problems(
    outputs: list[Published], sent: dict[str, str], expected_causes: dict[str, str]
) -> list[str]:
    """Correlation and causation carried from input to output. ``sent`` maps each id the
    kit published to its correlationid; ``expected_causes`` maps an output id the kit
    expected (a scenario output) to the input that caused it. An output naming a kit input
    as its cause must carry that input's correlationid; an expected output must name its
    cause (``causationid``, or ``data.event_ids`` for a delivery outcome)."""
    problems = []
    for o in outputs:
        env = o.envelope
        if env is None:
            continue
        cause = env.causationid
        if cause in sent and env.correlationid != sent[cause]:
            problems.append(f"{o.label}: correlationid is not its cause's correlationid")
        if env.id in expected_causes and not o.caused_by(expected_causes[env.id]):
            problems.append(f"{o.label}: does not name the input that caused it")
    return problems


def group_by_cause(outputs: list[Published], event_id: str) -> dict[str, int]:
    """How many distinct events of each type name ``event_id`` as their cause (the same
    event published twice, same id, is counted once: that is at-least-once delivery)."""
    ids: dict[str, set[str]] = defaultdict(set)
    for o in outputs:
        if o.envelope is not None and o.caused_by(event_id):
            ids[o.envelope.type].add(o.envelope.id)
    return {t: len(v) for t, v in sorted(ids.items())}
