"""The kit's output rules, on hand-made messages (no broker)."""

from __future__ import annotations

import json
import subprocess
import sys

from zroute_contract.conformance.report import Outcome, Report
from zroute_contract.conformance.rules import Published, bsn_paths, check_outputs, is_bsn
from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.envelope import build_event
from zroute_contract.events import PlanActivated, ReferralRequested
from zroute_contract.events.base import event_types

SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-planning"
samples = SampleBuilder()


def published(payload, *, sequence=1, routing_key=None, subject=None, message_id=None, **extra):
    envelope = build_event(
        payload,
        source=SOURCE,
        sequence=sequence,
        correlation_id="c",
        subject=subject if subject is not None else getattr(payload, "participant_ref", None),
    )
    body = json.loads(envelope.to_json()) | extra
    return Published.parse(
        routing_key or payload.routing_key(), message_id or envelope.id, json.dumps(body).encode()
    )


def failures(service, outputs):
    return {r.name: r.detail for r in check_outputs(service, outputs) if not r.ok}


def test_a_sample_of_every_event_type_is_valid():
    for cls in event_types().values():
        cls.model_validate(samples.data(cls))


def test_well_formed_outputs_pass_every_rule():
    outputs = [published(samples.event(PlanActivated), sequence=n) for n in (1, 2, 3)]
    assert failures("planning", outputs) == {}


def test_a_bsn_anywhere_in_the_body_is_found_but_not_hex_digit_runs():
    assert is_bsn("111222333") and not is_bsn("123456789") and not is_bsn("000000000")
    assert list(bsn_paths({"a": {"b": ["x", "nr 111222333"]}, "n": 111222333})) == ["a.b[1]", "n"]
    assert list(bsn_paths({"id": "ab111222333c", "seq": "00000000000111222333"})) == []
    leaky = published(samples.event(PlanActivated), note="bsn 111222333")
    assert "at note" in failures("planning", [leaky])["no BSN-shaped value in the body"]


def test_each_broken_rule_is_named():
    plan = samples.event(PlanActivated)
    referral = samples.event(ReferralRequested)
    outputs = [
        published(plan, sequence=5),
        published(plan, sequence=4),  # same participant, lower number
        published(plan, sequence=6, routing_key="planning.plan.activated.x"),
        published(plan, sequence=7, message_id="not-the-id"),
        published(plan, sequence=8, subject="zr-" + "0" * 32),
        published(referral, sequence=9),  # another producer's type
        Published.parse("planning.plan.activated", "m", b"{not json"),
    ]
    found = failures("planning", outputs)
    assert set(found) == {
        "valid CloudEvent of the contract",
        "strict CloudEvents 1.0 / NL GOV envelope",
        "valid against the committed JSON Schemas, formats asserted",
        "type is produced by planning",
        "routing key (with .<partner-id> when addressed)",
        "AMQP message_id = CloudEvent id",
        "sequence increases per source",
        "subject = payload participant_ref",
    }
    assert "sequence 4 after 5" in found["sequence increases per source"]
    assert "referral-requested.v1 is produced by support" in found["type is produced by planning"]


def drop(payload, *names, sequence=1, **extra):
    """A message whose body lacks ``names`` (and has ``extra``), as a gap-filling parser
    still accepts it."""
    item = published(payload, sequence=sequence, **extra)
    body = {k: v for k, v in json.loads(item.body).items() if k not in names}
    return Published.parse(item.routing_key, item.message_id, json.dumps(body).encode())


def test_the_strict_envelope_rule_refuses_what_the_parser_fills_in():
    plan = samples.event(PlanActivated)
    cases = {
        "specversion missing": drop(plan, "specversion"),
        "datacontenttype missing": drop(plan, "datacontenttype"),
        "dataschema missing": drop(plan, "dataschema"),
        "time without offset": published(plan, time="2026-03-02T09:00:00"),
        "time as a number": published(plan, time=1772438400),
        "camelCase attribute": published(plan, correlationId="c"),
        "null attribute": published(plan, traceparent=None),
    }
    # The parser fills these in or lets them through; the strict rule does not.
    filled = {w for w, item in cases.items() if item.envelope is not None}
    assert filled >= {"specversion missing", "datacontenttype missing", "camelCase attribute"}
    for what, item in cases.items():
        found = failures("planning", [item])
        assert "strict CloudEvents 1.0 / NL GOV envelope" in found, what
    assert failures("planning", [published(plan)]) == {}


def test_message_properties_gaps_and_causation_are_checked():
    from zroute_contract.conformance.rules import causation_problems

    plan = samples.event(PlanActivated)
    item = published(plan, sequence=1)
    item.content_type, item.delivery_mode = "application/json", 1
    found = failures("planning", [item])
    detail = found["message properties (content type, persistent, message id)"]
    assert "content_type 'application/json'" in detail and "not persistent" in detail
    gap = [published(plan, sequence=n) for n in (1, 2, 4)]
    assert (
        "1 number(s) never published between 1 and 4"
        in failures("planning", gap)["sequence gapless per source, one id per event"]
    )
    out = published(plan)
    assert out.envelope is not None
    sent = {"input-1": "corr-1"}
    assert causation_problems([out], sent, {out.envelope.id: "input-1"}) == [
        f"{out.label}: does not name the input that caused it"
    ]
    caused = drop(plan, causationid="input-1", correlationid="corr-other")
    assert caused.envelope is not None and caused.envelope.causationid == "input-1"
    assert causation_problems([caused], sent, {caused.envelope.id: "input-1"}) == [
        f"{caused.label}: correlationid is not its cause's correlationid"
    ]


def test_an_addressed_event_needs_its_partner_id_on_the_key():
    referral = samples.event(ReferralRequested)
    bare = published(referral, routing_key=referral.spec.routing_key)
    assert "routing key (with .<partner-id> when addressed)" in failures("support", [bare])
    assert failures("support", [published(referral)]) == {}


def test_the_report_has_a_table_and_an_exit_code():
    report = Report("planning", "zroute")
    report.add("1", "queue exists", True, "zroute.planning")
    report.add("4", "scenario causes outputs", Outcome.NOT_APPLICABLE, "nothing expected")
    assert (
        report.exit_code == 0
        and "CONFORMS: 1 passed, 0 failed, 1 not applicable" in report.render()
    )
    report.add("2", "dead-lettered: non-JSON body", False, "not in zroute.planning.dead-letter")
    assert report.exit_code == 1
    assert "FAIL   not in zroute.planning.dead-letter" in report.render()
    assert json.loads(report.to_json())["passed"] is False


def test_the_kit_imports_without_the_platform_runtime():
    code = (
        "import sys\n"
        "for name in ('zroute_runtime', 'fastapi', 'faststream', 'asyncpg'):\n"
        "    sys.modules[name] = None\n"
        "import zroute_contract.conformance.kit, zroute_contract.conformance.cli\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
