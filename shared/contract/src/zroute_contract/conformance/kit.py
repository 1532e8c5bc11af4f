"""The conformance run against one service's replacement, over AMQP only.

The kit plays every other party of the bus: it publishes the events the service
consumes on the events exchange, and reads what the service publishes (an exclusive
queue bound to ``<service>.#``) and what it dead-letters (``<prefix>.<service>.dead-letter``).
It calls nothing private: no database, no HTTP API of the service.

Run it against a test deployment: the probes are real events the service will act on.
Dead letters in the queue that the kit did not cause are left there (they are taken
unacknowledged and returned when the kit closes its channel).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

try:
    import aio_pika
    from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractIncomingMessage
    from aiormq.exceptions import ChannelClosed, DeliveryError, PublishError
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        "the conformance kit needs aio-pika: pip install 'zroute-contract[conformance]'"
    ) from exc

from zroute_contract.conformance.report import Outcome, Report
from zroute_contract.conformance.rules import Published, check_outputs, group_by_cause
from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.conformance.scenarios import Scenario, scenario_for
from zroute_contract.envelope import CONTENT_TYPE, CloudEvent, build_event
from zroute_contract.events.base import SERVICES, Event, event_types

PROBE_HEADER = "x-zroute-conformance"
REASON_HEADER = "x-zroute-reason"
REASON_KIND_HEADER = "x-zroute-reason-kind"
DEFAULT_SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-conformance"

TOPOLOGY = "1"
DEAD_LETTERS = "2"
CONSUMED = "3"
OUTPUTS = "4"
IDEMPOTENCY = "5"


@dataclass
class KitConfig:
    """Where the service under test is and how long to wait for it."""

    amqp_url: str
    service: str
    prefix: str = "zroute"
    exchange: str = "events"
    # Longest wait for one expected thing (a dead letter, a drained queue, an output).
    timeout: float = 10.0
    # Silence that ends a wait for "nothing more is coming" (outputs after an input):
    # longer than the service takes from consuming an event to publishing its outputs.
    quiet: float = 2.0
    source: str = DEFAULT_SOURCE

    def name(self, *parts: str) -> str:
        return ".".join([self.prefix, *parts])


@dataclass
class DeadLetter:
    body: bytes
    message_id: str | None
    headers: dict[str, Any]

    @property
    def reason(self) -> str:
        return _text(self.headers.get(REASON_HEADER))

    @property
    def kind(self) -> str:
        return _text(self.headers.get(REASON_KIND_HEADER))


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


@dataclass
class _Sent:
    """One message the kit published."""

    message_id: str
    body: bytes
    routing_key: str
    what: str
    event_type: str | None = None


@dataclass
class _State:
    outputs: list[Published] = field(default_factory=list)
    dead: list[DeadLetter] = field(default_factory=list)
    sent: dict[str, _Sent] = field(default_factory=dict)
    last_activity: float = field(default_factory=time.monotonic)


async def run(config: KitConfig) -> Report:
    """Run every check against ``config.service`` and return the report."""
    return await _Kit(config).run()


class _Kit:
    def __init__(self, config: KitConfig) -> None:
        if config.service not in SERVICES:
            raise ValueError(f"unknown service {config.service!r}: one of {', '.join(SERVICES)}")
        self.config = config
        self.service = config.service
        self.queue = config.name(config.service)
        self.dead_letter_queue = config.name(config.service, "dead-letter")
        self.exchange_name = config.name(config.exchange)
        self.report = Report(config.service, config.prefix)
        self.state = _State()
        self.token = uuid.uuid4().hex[:8]
        self.samples = SampleBuilder(self.token)
        self.consumed = [
            cls for cls in event_types().values() if self.service in cls.spec.consumers
        ]
        self._sequence = time.time_ns() // 1000  # increasing across runs of the kit
        self.unroutable: set[str] = set()
        self.scenario_ids: list[str] = []
        self._scenario_envelopes: list[CloudEvent] = []
        self.connection: aio_pika.abc.AbstractConnection
        self.publisher: AbstractChannel
        self.exchange: AbstractExchange

    # -- the run ---------------------------------------------------------------------
    async def run(self) -> Report:
        self.connection = await aio_pika.connect(
            self.config.amqp_url,
            client_properties={"connection_name": f"zroute-conformance-{self.service}"},
        )
        try:
            if await self._topology():
                await self._watch()
                await self._dead_lettering()
                pending = await self._consumed_types()
                scenario = await self._scenario()
                await self._idempotency(scenario)
                await self._quiet()
                self._judge_consumed(pending)
                self._judge_outputs()
        finally:
            await self.connection.close()
        order = {
            r: i for i, r in enumerate([TOPOLOGY, DEAD_LETTERS, CONSUMED, OUTPUTS, IDEMPOTENCY])
        }
        self.report.results.sort(key=lambda r: order[r.rule])
        return self.report

    # -- 1. topology -------------------------------------------------------------------
    async def _topology(self) -> bool:
        ok = True
        channel = await self.connection.channel()
        try:
            self.exchange = await channel.get_exchange(self.exchange_name, ensure=True)
            self.report.add(TOPOLOGY, "events exchange exists", True, self.exchange_name)
        except ChannelClosed as exc:
            self.report.add(
                TOPOLOGY, "events exchange exists", False, f"{self.exchange_name}: {exc}"
            )
            return False
        for name, what in ((self.queue, "queue"), (self.dead_letter_queue, "dead-letter queue")):
            if channel.is_closed:
                channel = await self.connection.channel()
            try:
                declared = await channel.declare_queue(name, passive=True)
            except ChannelClosed:
                self.report.add(TOPOLOGY, f"{what} exists", False, f"{name} not found")
                ok = False
                continue
            self.report.add(TOPOLOGY, f"{what} exists", True, name)
            if what == "queue":
                consumers = declared.declaration_result.consumer_count
                self.report.add(
                    TOPOLOGY,
                    "queue has a consumer",
                    consumers > 0,
                    f"{consumers} consumer(s) on {name}"
                    if consumers
                    else f"nobody consumes {name}: is the service running?",
                )
                ok = ok and consumers > 0
        if not channel.is_closed:
            await channel.close()
        self.publisher = await self.connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        self.exchange = await self.publisher.get_exchange(self.exchange_name, ensure=False)
        if not ok:
            self.report.add(
                TOPOLOGY, "remaining checks", False, "not run: the service's topology is missing"
            )
        return ok

    async def _watch(self) -> None:
        """Start reading the service's outputs and its dead letters."""
        capture = await self.connection.channel()
        exchange = await capture.get_exchange(self.exchange_name, ensure=False)
        queue = await capture.declare_queue(
            f"{self.config.prefix}.conformance.{self.token}", exclusive=True, auto_delete=True
        )
        await queue.bind(exchange, routing_key=f"{self.service}.#")

        async def on_output(message: AbstractIncomingMessage) -> None:
            if message.message_id not in self.state.sent:
                self.state.outputs.append(
                    Published.parse(message.routing_key or "", message.message_id, message.body)
                )
                self._touch()
            await message.ack()

        await queue.consume(on_output)

        dead = await self.connection.channel()
        await dead.set_qos(prefetch_count=0)
        dlq = await dead.declare_queue(self.dead_letter_queue, passive=True)

        async def on_dead(message: AbstractIncomingMessage) -> None:
            headers = dict(message.headers or {})
            probe = _text(headers.get(PROBE_HEADER))
            ours = (
                probe == self.token
                or message.message_id in self.state.sent
                or any(s.body == message.body for s in self.state.sent.values())
            )
            if ours:
                self.state.dead.append(DeadLetter(message.body, message.message_id, headers))
                self._touch()
                await message.ack()
            elif probe:
                await message.ack()  # left over from an earlier, interrupted run
            # Anything else is not ours: left unacknowledged, returned when we close.

        await dlq.consume(on_dead)

    # -- 2. dead-lettering of bad input ----------------------------------------------
    def _probe_type(self) -> type[Event]:
        plain = [c for c in self.consumed if not c.spec.addressed_by]
        return (plain or self.consumed)[0]

    async def _dead_lettering(self) -> None:
        cls = self._probe_type()
        key = self.samples.event(cls).routing_key()
        other = next(
            (
                c
                for c in event_types().values()
                if self.service not in c.spec.consumers and c.spec.producer != self.service
            ),
            None,
        ) or next(c for c in event_types().values() if self.service not in c.spec.consumers)
        required = next(n for n, f in cls.model_fields.items() if f.is_required())
        envelope = self._envelope(self.samples.event(cls))
        unknown = json.loads(envelope.to_json())
        unknown.update(
            id=str(uuid.uuid4()), type=f"nl.zroute.{cls.spec.producer}.conformance-unknown.v1"
        )
        invalid = json.loads(self._envelope(self.samples.event(cls)).to_json())
        del invalid["data"][required]
        probes: list[tuple[str, bytes, str]] = [
            (
                "non-JSON body",
                f"conformance probe {uuid.uuid4()}: not JSON {{".encode(),
                str(uuid.uuid4()),
            ),
            (
                "JSON object, not a CloudEvent",
                json.dumps({"conformance_probe": str(uuid.uuid4()), "hello": "world"}).encode(),
                str(uuid.uuid4()),
            ),
            ("valid envelope of an unknown type", json.dumps(unknown).encode(), unknown["id"]),
            (
                f"{cls.spec.name} with invalid data",
                json.dumps(invalid).encode(),
                invalid["id"],
            ),
        ]
        wrong = self._envelope(self.samples.event(other))
        probes.append((f"{other.spec.name} (wrongly routed)", wrong.to_json(), wrong.id))
        for what, body, message_id in probes:
            await self._publish(body, key, message_id=message_id, what=what)
        await self._wait(
            lambda: all(self._dead_letters(mid) or mid in self.unroutable for _, _, mid in probes),
            self.config.timeout,
        )
        for what, body, message_id in probes:
            found = self._dead_letters(message_id)
            name = f"dead-lettered: {what}"
            if message_id in self.unroutable:
                self.report.add(DEAD_LETTERS, name, False, f"no queue is bound for {key}")
                continue
            if not found:
                self.report.add(
                    DEAD_LETTERS,
                    name,
                    False,
                    f"published on {key}, not in {self.dead_letter_queue} within "
                    f"{self.config.timeout:g}s (acked or dropped without dead-lettering?)",
                )
                continue
            letter = found[0]
            if not letter.reason.strip():
                self.report.add(DEAD_LETTERS, name, False, f"dead-lettered without {REASON_HEADER}")
            elif letter.body != body:
                self.report.add(DEAD_LETTERS, name, False, "dead-lettered with a changed body")
            else:
                kind = f" [{letter.kind}]" if letter.kind else ""
                self.report.add(DEAD_LETTERS, name, True, f"reason{kind}: {letter.reason}")
        # The service must keep consuming after all that.
        valid = self._envelope(self.samples.event(cls))
        routed = await self._publish(
            valid.to_json(), key, message_id=valid.id, what="valid after bad input"
        )
        drained, detail = await self._drained()
        drained, detail = (drained, detail) if routed else (False, f"no queue is bound for {key}")
        self.report.add(
            DEAD_LETTERS,
            "keeps consuming after bad input",
            drained,
            f"a valid {cls.spec.name} was taken off {self.queue}" if drained else detail,
        )

    # -- 3. every consumed type handled or refused with a reason ------------------------
    async def _consumed_types(self) -> dict[str, tuple[str, str | None]]:
        """Publish one valid sample of every consumed type (unknown participant); the
        verdict waits until the end of the run, so late dead letters count too."""
        pending: dict[str, tuple[str, str | None]] = {}
        for cls in self.consumed:
            envelope = self._envelope(self.samples.event(cls))
            key = cls.model_validate(envelope.data).routing_key()
            routed = await self._publish(
                envelope.to_json(),
                key,
                message_id=envelope.id,
                what=cls.spec.type,
                event_type=cls.spec.type,
            )
            pending[cls.spec.type] = (
                envelope.id,
                None if routed else f"no queue is bound for {key}",
            )
        # Barrier: a message that must be dead-lettered, sent after the samples.
        barrier = str(uuid.uuid4())
        key = self.samples.event(self._probe_type()).routing_key()
        if await self._publish(
            b"conformance barrier: not JSON", key, message_id=barrier, what="barrier"
        ):
            await self._wait(lambda: self._dead_letters(barrier), self.config.timeout)
        drained, detail = await self._drained()
        self.report.add(
            CONSUMED,
            "queue drains after one event of every consumed type",
            drained,
            f"{len(self.consumed)} types published, {self.queue} empty" if drained else detail,
        )
        return pending

    def _judge_consumed(self, pending: dict[str, tuple[str, str | None]]) -> None:
        for event_type, (message_id, problem) in pending.items():
            name = f"consumed: {event_type.split('.')[3]}"
            if problem:
                self.report.add(CONSUMED, name, False, problem)
                continue
            letters = self._dead_letters(message_id)
            if not letters:
                self.report.add(CONSUMED, name, True, "handled (not dead-lettered)")
            elif not letters[0].reason.strip():
                self.report.add(CONSUMED, name, False, f"dead-lettered without {REASON_HEADER}")
            else:
                kind = f" [{letters[0].kind}]" if letters[0].kind else ""
                self.report.add(CONSUMED, name, True, f"refused{kind}: {letters[0].reason}")

    # -- 4. outputs ----------------------------------------------------------------------
    async def _scenario(self) -> Scenario:
        scenario = scenario_for(self.service, self.samples)
        for event in scenario.inputs:
            envelope = self._envelope(event)
            self.scenario_ids.append(envelope.id)
            self._scenario_envelopes.append(envelope)
            await self._publish(
                envelope.to_json(),
                event.routing_key(),
                message_id=envelope.id,
                what=f"scenario {event.spec.name}",
                event_type=event.spec.type,
            )
        trigger = scenario.trigger
        trigger_id = self.scenario_ids[trigger] if trigger is not None else None

        def met(expectation) -> Published | None:
            for o in self.state.outputs:
                if o.envelope is None or o.envelope.type not in expectation.types:
                    continue
                ref = o.envelope.data.get("participant_ref")
                if ref == expectation.participant_ref or (trigger_id and o.caused_by(trigger_id)):
                    return o
            return None

        if scenario.expectations:
            await self._wait(
                lambda: all(met(e) for e in scenario.expectations), self.config.timeout * 2
            )
        await self._quiet()
        if scenario.no_output_reason:
            self.report.add(
                OUTPUTS,
                "scenario causes outputs",
                Outcome.NOT_APPLICABLE,
                scenario.no_output_reason,
            )
        for expectation in scenario.expectations:
            seen = met(expectation)
            name = f"scenario: {expectation.description}"
            if seen is not None:
                detail = f"{scenario.description}: seen {seen.label} on {seen.routing_key}"
                self.report.add(OUTPUTS, name, True, detail)
                continue
            refused = [
                f"{e.type.split('.')[3]} dead-lettered: {d.reason}"
                for e, mid in zip(self._scenario_envelopes, self.scenario_ids, strict=True)
                for d in self._dead_letters(mid)
            ] + [
                f"{e.type.split('.')[3]} reached no queue"
                for e, mid in zip(self._scenario_envelopes, self.scenario_ids, strict=True)
                if mid in self.unroutable
            ]
            got = sorted({o.label.split()[0] for o in self.state.outputs}) or ["nothing"]
            detail = (
                f"not seen within {self.config.timeout * 2:g}s after {scenario.description}; "
                f"published: {', '.join(got)}"
            )
            self.report.add(OUTPUTS, name, False, "; ".join([detail, *refused]))
        return scenario

    def _judge_outputs(self) -> None:
        if not self.state.outputs:
            self.report.add(
                OUTPUTS,
                "outputs keep the contract",
                Outcome.NOT_APPLICABLE,
                f"{self.service} published nothing during the run",
            )
            return
        for rule in check_outputs(self.service, self.state.outputs):
            self.report.add(OUTPUTS, f"outputs: {rule.name}", rule.ok, rule.detail)

    # -- 5. idempotency on redelivery ----------------------------------------------------
    async def _idempotency(self, scenario: Scenario) -> None:
        name = "redelivered input has no second effect"
        if scenario.trigger is None:
            self.report.add(
                IDEMPOTENCY,
                name,
                Outcome.NOT_APPLICABLE,
                "no scenario input causes an output of this service",
            )
            return
        envelope = self._scenario_envelopes[scenario.trigger]
        event_id = envelope.id
        before = group_by_cause(self.state.outputs, event_id)
        if not before and scenario.no_output_reason:
            self.report.add(
                IDEMPOTENCY,
                name,
                Outcome.NOT_APPLICABLE,
                "the scenario causes no output, so a second effect cannot be seen",
            )
            return
        if not before:
            self.report.add(
                IDEMPOTENCY,
                name,
                False,
                f"no output names {envelope.type.split('.')[3]} {event_id[:8]} as its cause "
                "(causationid): a second effect could not be told apart",
            )
            return
        sent = self.state.sent[event_id]
        await self._publish(
            sent.body, sent.routing_key, message_id=event_id, what="redelivery", record=False
        )
        await self._drained()
        await self._quiet()
        after = group_by_cause(self.state.outputs, event_id)
        letters = self._dead_letters(event_id)
        summary = ", ".join(f"{n} x {t.split('.')[3]}" for t, n in before.items())
        if after != before:
            again = ", ".join(
                f"{after.get(t, 0) - before.get(t, 0):+d} {t.split('.')[3]}"
                for t in sorted(set(before) | set(after))
                if after.get(t, 0) != before.get(t, 0)
            )
            self.report.add(
                IDEMPOTENCY,
                name,
                False,
                f"{envelope.type.split('.')[3]} {event_id[:8]} delivered twice: first {summary}; "
                f"the redelivery added {again}",
            )
        elif letters:
            self.report.add(
                IDEMPOTENCY,
                name,
                False,
                f"the redelivery was dead-lettered ({letters[0].reason}); a duplicate is acked "
                "with no effect",
            )
        else:
            self.report.add(
                IDEMPOTENCY,
                name,
                True,
                f"{envelope.type.split('.')[3]} {event_id[:8]} delivered twice: {summary}, "
                "nothing more",
            )

    # -- plumbing --------------------------------------------------------------------------
    def _touch(self) -> None:
        self.state.last_activity = time.monotonic()

    def _dead_letters(self, message_id: str) -> list[DeadLetter]:
        sent = self.state.sent.get(message_id)
        return [
            d
            for d in self.state.dead
            if d.message_id == message_id or (sent is not None and d.body == sent.body)
        ]

    def _envelope(self, payload: Event) -> CloudEvent:
        self._sequence += 1
        return build_event(
            payload,
            source=self.config.source,
            sequence=self._sequence,
            correlation_id=f"conformance-{self.token}",
            subject=getattr(payload, "participant_ref", None),
            time=datetime.now(UTC),
        )

    async def _publish(
        self,
        body: bytes,
        routing_key: str,
        *,
        message_id: str,
        what: str,
        event_type: str | None = None,
        record: bool = True,
    ) -> bool:
        """Publish (mandatory, confirmed); False when no queue is bound for the key."""
        if record:
            self.state.sent[message_id] = _Sent(message_id, body, routing_key, what, event_type)
        self._touch()  # "quiet" counts from the last input as well as the last arrival
        message = aio_pika.Message(
            body,
            message_id=message_id,
            content_type=CONTENT_TYPE,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            type=event_type,
            headers={PROBE_HEADER: self.token},
        )
        try:
            await self.exchange.publish(message, routing_key=routing_key, mandatory=True)
        except (PublishError, DeliveryError):
            if self.publisher.is_closed:
                self.publisher = await self.connection.channel(
                    publisher_confirms=True, on_return_raises=True
                )
                self.exchange = await self.publisher.get_exchange(self.exchange_name, ensure=False)
            self.unroutable.add(message_id)
            return False
        return True

    async def _wait(self, predicate: Callable[[], Any], seconds: float) -> bool:
        """Poll ``predicate`` until it holds or ``seconds`` passed (waits on arrivals)."""
        deadline = time.monotonic() + seconds
        while not predicate():
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def _quiet(self) -> None:
        """Wait until nothing arrived (output or dead letter) for ``quiet`` seconds."""
        deadline = time.monotonic() + self.config.timeout
        while time.monotonic() - self.state.last_activity < self.config.quiet:
            if time.monotonic() > deadline:
                return
            await asyncio.sleep(0.05)

    async def _drained(self) -> tuple[bool, str]:
        """Wait until the service's queue holds no ready message and has a consumer."""
        channel = await self.connection.channel()
        deadline = time.monotonic() + self.config.timeout
        try:
            while True:
                try:
                    declared = await channel.declare_queue(self.queue, passive=True)
                except ChannelClosed as exc:
                    channel = await self.connection.channel()
                    return False, f"{self.queue} is gone: {exc}"
                ready = declared.declaration_result.message_count
                consumers = declared.declaration_result.consumer_count
                if ready == 0 and consumers > 0:
                    return True, ""
                if time.monotonic() > deadline:
                    return False, (
                        f"{ready} message(s) still waiting in {self.queue} after "
                        f"{self.config.timeout:g}s, {consumers} consumer(s)"
                    )
                await asyncio.sleep(0.05)
        finally:
            await channel.close()
