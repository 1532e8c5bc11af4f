"""The five groups of checks of the conformance kit, in the order they run: topology,
dead-lettering of bad input, every consumed type handled or refused, the outputs of a
scenario, and idempotency on redelivery. A mixin of the kit in :mod:`.kit`, which holds
the bus access (publishing, watching, waiting) they use."""

from __future__ import annotations

import json
import uuid

from aiormq.exceptions import ChannelClosed

from zroute_contract.conformance.kit_bus import (
    CONSUMED,
    DEAD_LETTERS,
    IDEMPOTENCY,
    OUTPUTS,
    REASON_HEADER,
    TOPOLOGY,
    KitBus,
)
from zroute_contract.conformance.report import Outcome
from zroute_contract.conformance.rules import (
    Published,
    causation_problems,
    check_outputs,
    group_by_cause,
)
from zroute_contract.conformance.scenarios import Expectation, Scenario, scenario_for
from zroute_contract.events.base import Event, event_types


class KitChecks(KitBus):
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

    # -- 1. foreign bindings that blind the mandatory probes ----------------------------

    async def _masking(self) -> None:
        """A key no service binds, under each first word the kit publishes on, must come
        back unroutable. When it is routed, either the service binds a wildcard there
        (then it dead-letters the probe, which is not JSON: a FAIL of its bindings), or
        something else on the broker (a capture or monitoring tool binding ``#``) takes
        those keys, and "no queue is bound" can no longer be told from outside: the
        checks that rely on it say so."""
        # Not the service's own word: the kit's capture queue binds <service>.# itself.
        words = sorted({c.spec.producer for c in event_types().values()} - {self.service})
        routed: dict[str, str] = {}
        for word in words:
            key = f"{word}.conformance-{self.token}.nobody-binds-this"
            probe = str(uuid.uuid4())
            body = f"conformance masking probe {probe}: not JSON".encode()
            if await self._publish(body, key, message_id=probe, what="masking probe"):
                routed[word] = probe
        if routed:
            await self._settle(lambda: all(self._dead_letters(p) for p in routed.values()))
        own = sorted(w for w, p in routed.items() if self._dead_letters(p))
        foreign = sorted(w for w in routed if w not in own)
        self.masked.update(routed)
        if own:
            self.report.add(
                CONSUMED,
                "binds no wildcard it does not consume",
                False,
                f"a key no event has ({', '.join(f'{w}.conformance-….nobody-binds-this' for w in own)}) "
                f"reached {self.queue} and was dead-lettered: it binds a wildcard such as "
                f"{own[0]}.# and receives keys it does not consume",
            )
        if foreign:
            self.report.add(
                TOPOLOGY,
                "mandatory probes not masked by a foreign binding",
                Outcome.NOT_APPLICABLE,
                f"a key nobody should bind was routed under "
                f"{', '.join(f'{w}.*' for w in foreign)} and not dead-lettered: another queue "
                "(a capture or monitoring tool binding '#'?) takes those keys, so forgotten and "
                "extra bindings there cannot be seen; run the kit against the replacement alone",
            )
            self.report.unchecked.append(
                f"bindings on {', '.join(f'{w}.*' for w in foreign)} keys (a foreign binding "
                "masks the mandatory-publish probes)"
            )
        elif not own:
            self.report.add(
                TOPOLOGY,
                "mandatory probes not masked by a foreign binding",
                True,
                f"keys nobody binds under {', '.join(f'{w}.*' for w in words)} came back "
                "unroutable",
            )

    def _is_masked(self, key: str) -> bool:
        return key.split(".", 1)[0] in self.masked

    async def _bindings(self) -> None:
        """The service binds no key it does not consume: a valid event of every type it
        does not consume (and did not produce itself) is published on its own key,
        mandatory, and must come back unroutable."""
        extra, masked, checked = [], 0, 0
        for cls in event_types().values():
            if self.service in cls.spec.consumers or cls.spec.producer == self.service:
                continue
            envelope = self._envelope(self.samples.event(cls))
            key = cls.model_validate(envelope.data).routing_key()
            if self._is_masked(key):
                masked += 1
                continue
            checked += 1
            if await self._publish(
                envelope.to_json(), key, message_id=envelope.id, what=f"unconsumed {cls.spec.name}"
            ):
                extra.append(key)
        if checked == 0:
            self.report.add(
                CONSUMED,
                "binds no key it does not consume",
                Outcome.NOT_APPLICABLE,
                f"every such key ({masked}) is masked by a foreign binding",
            )
            return
        self.report.add(
            CONSUMED,
            "binds no key it does not consume",
            not extra,
            f"{checked} keys of types it does not consume came back unroutable"
            + (f"; {masked} masked, not checked" if masked else "")
            if not extra
            else f"{len(extra)} key(s) it does not consume reach a queue: {', '.join(extra[:4])}",
        )

    # -- 2. dead-lettering of bad input, and still consuming ----------------------------

    def _bad_bodies(self, cls: type[Event]) -> list[tuple[str, bytes, str]]:
        """Bad input of every JSON shape, and valid JSON that is no event of the contract."""
        required = next(n for n, f in cls.model_fields.items() if f.is_required())
        unknown = json.loads(self._envelope(self.samples.event(cls)).to_json())
        unknown.update(
            id=str(uuid.uuid4()), type=f"nl.zroute.{cls.spec.producer}.conformance-unknown.v1"
        )
        invalid = json.loads(self._envelope(self.samples.event(cls)).to_json())
        del invalid["data"][required]
        valid = self._envelope(self.samples.event(cls)).to_json()
        tag = uuid.uuid4().hex
        return [
            ("non-JSON body", f"conformance probe {tag}: not JSON {{".encode(), tag),
            (
                "JSON object, not a CloudEvent",
                json.dumps({"conformance_probe": tag, "hello": "world"}).encode(),
                str(uuid.uuid4()),
            ),
            ("JSON array", json.dumps([{"conformance_probe": tag}]).encode(), str(uuid.uuid4())),
            ("JSON string", json.dumps(f"conformance probe {tag}").encode(), str(uuid.uuid4())),
            ("JSON number", str(int(tag[:12], 16)).encode(), str(uuid.uuid4())),
            ("JSON null", b"null", str(uuid.uuid4())),
            ("truncated event", valid[: len(valid) // 2], str(uuid.uuid4())),
            ("event in UTF-16, not UTF-8", valid.decode().encode("utf-16"), str(uuid.uuid4())),
            ("valid envelope of an unknown type", json.dumps(unknown).encode(), unknown["id"]),
            (f"{cls.spec.name} with invalid data", json.dumps(invalid).encode(), invalid["id"]),
        ]

    async def _dead_lettering(self) -> None:
        cls = self._probe_type()
        key = self.samples.event(cls).routing_key()
        probes = [(what, body, mid, key) for what, body, mid in self._bad_bodies(cls)]
        # Wrong routing on every key the service consumes: a valid event of another type.
        other = next(
            (
                c
                for c in event_types().values()
                if self.service not in c.spec.consumers and c.spec.producer != self.service
            ),
            None,
        ) or next(c for c in event_types().values() if self.service not in c.spec.consumers)
        for consumed_cls in self.consumed:
            consumed_key = self.samples.event(consumed_cls).routing_key()
            wrong = self._envelope(self.samples.event(other))
            probes.append(
                (
                    f"wrong type on {consumed_key}",
                    wrong.to_json(),
                    wrong.id,
                    consumed_key,
                )
            )
        # The first probe alone, waited for in full: it measures how fast the service
        # answers; the rest are waited for with a patience measured from it.
        first = probes[0]
        await self._publish(first[1], first[3], message_id=first[2], what=first[0])
        await self._wait(
            lambda: self._dead_letters(first[2]) or first[2] in self.unroutable,
            self.config.timeout,
        )
        for what, body, message_id, probe_key in probes[1:]:
            await self._publish(body, probe_key, message_id=message_id, what=what)
        await self._settle(
            lambda: all(
                self._dead_letters(mid) or mid in self.unroutable for _, _, mid, _ in probes
            )
        )
        for what, body, message_id, probe_key in probes:
            found = self._dead_letters(message_id)
            name = f"dead-lettered: {what}"
            if message_id in self.unroutable:
                self.report.add(DEAD_LETTERS, name, False, f"no queue is bound for {probe_key}")
                continue
            if not found:
                self.report.add(
                    DEAD_LETTERS,
                    name,
                    False,
                    f"published on {probe_key}, not in {self.dead_letter_queue} after "
                    f"{self.patience:.1f}s of silence (acked, dropped, or left unacknowledged?)",
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
        await self._still_consuming("bad input")

    async def _still_consuming(self, after: str) -> None:
        """A valid event after a group of probes must be taken off the queue, and the
        queue must keep a consumer: one bad message must not stop or stall the service
        (with prefetch 1 a message left unacknowledged stalls everything behind it)."""
        cls = self._probe_type()
        valid = self._envelope(self.samples.event(cls))
        key = cls.model_validate(valid.data).routing_key()
        routed = await self._publish(
            valid.to_json(), key, message_id=valid.id, what=f"canary after {after}"
        )
        drained, detail = await self._drained(max(self.patience, 1.0))
        if not routed:
            drained, detail = False, f"no queue is bound for {key}"
        self.report.add(
            DEAD_LETTERS,
            f"keeps consuming after {after}",
            drained,
            f"a valid {cls.spec.name} was taken off {self.queue}" if drained else detail,
        )

    # -- 3. every consumed type handled or refused with a reason ------------------------

    async def _consumed_types(self) -> dict[str, tuple[str, str | None]]:
        """Publish one valid sample of every consumed type (unknown participant); the
        verdict waits until the end of the run, so late dead letters count too."""
        pending: dict[str, tuple[str, str | None]] = {}
        self.tolerant: dict[str, tuple[str, str]] = {}
        for cls in self.consumed:
            # The same type with fields a later v1 may add: an unknown envelope extension
            # attribute, an unknown data field and an unknown field in a nested object.
            extended = json.loads(self._envelope(self.samples.event(cls)).to_json())
            extended["zrouteconformance"] = "extension attribute of a later version"
            extended["data"]["conformance_added_field"] = {"added": "in a later v1"}
            for value in extended["data"].values():
                if isinstance(value, dict):
                    value["conformance_added_field"] = 1
                    break
            key = cls.model_validate(
                {k: v for k, v in extended["data"].items() if k in cls.model_fields}
            ).routing_key()
            await self._publish(
                json.dumps(extended).encode(),
                key,
                message_id=extended["id"],
                what=f"{cls.spec.type} with unknown fields",
                event_type=cls.spec.type,
            )
            self.tolerant[cls.spec.type] = (extended["id"], key)
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
            await self._settle(lambda: self._dead_letters(barrier))
        # Two messages went out per consumed type: a slow but correct service needs time in
        # proportion to them, so the wait grows with the count (bounded by the timeout).
        sent = 2 * len(pending) + 1
        drained, detail = await self._drained(
            min(self.config.timeout, max(self.patience * sent, 1.0))
        )
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
            key = self.state.sent[message_id].routing_key
            if not letters and self._is_masked(key):
                self.report.add(
                    CONSUMED,
                    name,
                    Outcome.NOT_APPLICABLE,
                    f"not dead-lettered, but a foreign binding also takes {key}: handled, or "
                    "not bound at all, cannot be told apart",
                )
            elif not letters:
                self.report.add(CONSUMED, name, True, "handled (not dead-lettered)")
            elif not letters[0].reason.strip():
                self.report.add(CONSUMED, name, False, f"dead-lettered without {REASON_HEADER}")
            else:
                kind = f" [{letters[0].kind}]" if letters[0].kind else ""
                self.report.add(CONSUMED, name, True, f"refused{kind}: {letters[0].reason}")
        refused = []
        for event_type, (message_id, _key) in self.tolerant.items():
            letters = self._dead_letters(message_id)
            plain = self._dead_letters(pending[event_type][0])
            if letters and (letters[0].kind == "invalid" or not plain):
                refused.append(f"{event_type.split('.')[3]} ({letters[0].reason[:80]})")
        self.report.add(
            CONSUMED,
            "unknown fields ignored (additive v1)",
            not refused,
            f"{len(self.tolerant)} consumed types sent with an unknown attribute and unknown "
            "data fields: none refused for them"
            if not refused
            else f"refused for unknown fields: {'; '.join(refused[:3])}",
        )

    # -- 4. outputs ----------------------------------------------------------------------

    async def _scenario(self) -> Scenario:
        scenario = scenario_for(self.service, self.samples)
        await self._publish_scenario(scenario)
        trigger = scenario.trigger
        trigger_id = self.scenario_ids[trigger] if trigger is not None else None
        if scenario.expectations:
            await self._settle(lambda: all(self._met(e, trigger_id) for e in scenario.expectations))
        await self._quiet()
        if scenario.no_output_reason:
            self.report.add(
                OUTPUTS,
                "scenario causes outputs",
                Outcome.NOT_APPLICABLE,
                scenario.no_output_reason,
            )
        self.expected_causes: dict[str, str] = {}
        for expectation in scenario.expectations:
            self._judge_expectation(scenario, expectation, trigger_id)
        return scenario

    async def _publish_scenario(self, scenario: Scenario) -> None:
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

    def _met(self, expectation: Expectation, trigger_id: str | None) -> Published | None:
        """The output that meets ``expectation``: its type, about its participant or
        caused by the scenario's trigger."""
        for o in self.state.outputs:
            if o.envelope is None or o.envelope.type not in expectation.types:
                continue
            ref = o.envelope.data.get("participant_ref")
            if ref == expectation.participant_ref or (trigger_id and o.caused_by(trigger_id)):
                return o
        return None

    def _judge_expectation(
        self, scenario: Scenario, expectation: Expectation, trigger_id: str | None
    ) -> None:
        seen = self._met(expectation, trigger_id)
        name = f"scenario: {expectation.description}"
        if seen is not None and seen.envelope is not None and trigger_id is not None:
            self.expected_causes[seen.envelope.id] = trigger_id
        if seen is not None:
            detail = f"{scenario.description}: seen {seen.label} on {seen.routing_key}"
            self.report.add(OUTPUTS, name, True, detail)
            return
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
            f"not seen after {scenario.description} (waited until {self.patience:.1f}s "
            f"without an answer, at most {self.config.timeout:g}s); "
            f"published: {', '.join(got)}"
        )
        self.report.add(OUTPUTS, name, False, "; ".join([detail, *refused]))

    def _judge_outputs(self) -> None:
        outputs = self.service_outputs()
        if not outputs:
            self.report.add(
                OUTPUTS,
                "outputs keep the contract",
                Outcome.NOT_APPLICABLE,
                f"{self.service} published nothing during the run",
            )
            return
        for rule in check_outputs(self.service, outputs):
            self.report.add(OUTPUTS, f"outputs: {rule.name}", rule.ok, rule.detail)
        problems = causation_problems(outputs, self.correlations, self.expected_causes)
        self.report.add(
            OUTPUTS,
            "outputs: correlation and causation carried from the input",
            not problems,
            f"{len(outputs)} events checked, {len(self.expected_causes)} expected outputs name "
            "their cause"
            if not problems
            else f"{len(problems)} problem(s): {'; '.join(problems[:3])}",
        )

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
        await self._drained(max(self.patience, 1.0))
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

    def _probe_type(self) -> type[Event]:
        plain = [c for c in self.consumed if not c.spec.addressed_by]
        return (plain or self.consumed)[0]
