"""The rules every published message of a service must keep; pure functions, no I/O."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from zroute_contract.envelope import CloudEvent, InvalidEvent, parse_event
from zroute_contract.events.base import Event, event_types

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
# Nine digits standing alone; letters count as neighbours, so hex ids are no false alarm.
_NINE_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])")


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

    @classmethod
    def parse(cls, routing_key: str, message_id: str | None, body: bytes) -> Published:
        item = cls(routing_key, message_id, body)
        try:
            item.envelope, item.payload = parse_event(body)
        except InvalidEvent as exc:
            item.invalid = exc.reason
        return item

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


def check_outputs(service: str, outputs: list[Published]) -> list[RuleResult]:
    """Every rule over every output, in arrival order."""
    n = len(outputs)
    valid = [o for o in outputs if o.envelope is not None and o.payload is not None]
    results = []

    problems = [f"{o.label}: {o.invalid}" for o in outputs if o.invalid]
    results.append(
        RuleResult("valid CloudEvent of the contract", *_summary(problems, n, "messages"))
    )

    problems = []
    types = event_types()
    for o in valid:
        assert o.envelope is not None
        producer = types[o.envelope.type].spec.producer
        if producer != service:
            problems.append(f"{o.envelope.type} is produced by {producer}, not {service}")
    results.append(
        RuleResult(f"type is produced by {service}", *_summary(problems, len(valid), "events"))
    )

    problems = []
    for o in valid:
        assert o.payload is not None
        expected = o.payload.routing_key()
        if o.routing_key != expected:
            name = o.envelope.type.split(".")[3] if o.envelope else o.label
            problems.append(f"{name} published with {o.routing_key!r}, expected {expected!r}")
    results.append(
        RuleResult(
            "routing key (with .<partner-id> when addressed)",
            *_summary(problems, len(valid), "events"),
        )
    )

    problems = []
    for o in valid:
        assert o.envelope is not None
        if o.message_id != o.envelope.id:
            problems.append(f"{o.label}: message_id {o.message_id!r} is not the CloudEvent id")
    results.append(
        RuleResult("AMQP message_id = CloudEvent id", *_summary(problems, len(valid), "events"))
    )

    sources = sorted({o.envelope.source for o in valid if o.envelope is not None})
    results.append(
        RuleResult(
            "one constant source",
            len(sources) <= 1,
            f"source {sources[0]}"
            if len(sources) == 1
            else f"{len(sources)} sources: {', '.join(sources)}",
        )
    )

    results.append(
        RuleResult(
            "sequence increases per source",
            *_summary(_sequence_problems(valid), len(valid), "events"),
        )
    )

    problems = []
    for o in valid:
        assert o.envelope is not None and o.payload is not None
        ref = getattr(o.payload, "participant_ref", None)
        if ref is not None and o.envelope.subject != ref:
            problems.append(f"{o.label}: subject {o.envelope.subject!r} is not the participant_ref")
    results.append(
        RuleResult("subject = payload participant_ref", *_summary(problems, len(valid), "events"))
    )

    problems = []
    for o in outputs:
        try:
            body = json.loads(o.body)
        except ValueError:
            body = o.body.decode("utf-8", "replace")
        paths = list(bsn_paths(body))
        if paths:
            problems.append(f"{o.label}: BSN-shaped value at {', '.join(paths)}")
    results.append(
        RuleResult("no BSN-shaped value in the body", *_summary(problems, n, "messages"))
    )
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


def group_by_cause(outputs: list[Published], event_id: str) -> dict[str, int]:
    """How many distinct events of each type name ``event_id`` as their cause (the same
    event published twice, same id, is counted once: that is at-least-once delivery)."""
    ids: dict[str, set[str]] = defaultdict(set)
    for o in outputs:
        if o.envelope is not None and o.caused_by(event_id):
            ids[o.envelope.type].add(o.envelope.id)
    return {t: len(v) for t, v in sorted(ids.items())}
