"""The envelope: what we publish is a CloudEvent the official SDK reads, and what we
accept is checked with reasons that never repeat the offending value."""

import json
import re
from datetime import UTC, datetime

import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.v1.http import from_json as legacy_from_json
from jsonschema import Draft202012Validator
from zroute_contract import generate
from zroute_contract.envelope import (
    InvalidEvent,
    build_event,
    dataschema_for,
    format_sequence,
    parse_event,
)
from zroute_contract.events import IntakeCompleted, ParticipantRegistered
from zroute_contract.events.base import SERVICES, event_types
from zroute_contract.types import PARTNER_ID_PATTERN

from tests.contract.samples import all_samples, sample_event

SOURCE = "urn:nld:oin:00000001234567890000:systeem:intake"
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
EXTENSIONS = ("sequence", "correlationid", "causationid", "traceparent", "tracestate", "dataref")


def _envelope(payload=None, **changes):
    payload = payload or sample_event(ParticipantRegistered)
    kwargs = {
        "source": SOURCE,
        "sequence": 42,
        "correlation_id": "corr-1",
        "causation_id": "cause-1",
        "subject": getattr(payload, "participant_ref", None),
        "time": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        "dataref": "https://intake.example/participants/x",
        "traceparent": TRACEPARENT,
        "tracestate": "zr=1",
    }
    kwargs.update(changes)
    return build_event(payload, **kwargs)


def _raw(envelope) -> dict:
    return json.loads(envelope.to_json())


def _reason_for(raw: dict | bytes) -> str:
    body = raw if isinstance(raw, bytes) else json.dumps(raw).encode()
    with pytest.raises(InvalidEvent) as caught:
        parse_event(body)
    return caught.value.reason


# --- the official SDK reads what we publish ---------------------------------------------


def test_the_cloudevents_sdk_parses_what_we_publish():
    envelope = _envelope()
    event = JSONFormat().read(None, envelope.to_json())
    assert event.get_id() == envelope.id
    assert event.get_type() == envelope.type
    assert event.get_source() == envelope.source
    assert event.get_subject() == envelope.subject
    assert event.get_specversion() == "1.0"
    assert event.get_dataschema() == dataschema_for(envelope.type)
    assert event.get_time() == envelope.time
    for name in EXTENSIONS:
        assert event.get_extension(name) == getattr(envelope, name), name
    assert event.get_data() == envelope.data


def test_the_legacy_sdk_api_parses_what_we_publish_too():
    envelope = _envelope()
    event = legacy_from_json(envelope.to_json())
    assert event["id"] == envelope.id
    assert event["type"] == envelope.type
    assert event["source"] == envelope.source
    assert event["subject"] == envelope.subject
    for name in EXTENSIONS:
        assert event[name] == getattr(envelope, name), name
    assert event.data == envelope.data


def test_the_envelope_matches_its_committed_json_schema():
    schema = json.loads((generate.SCHEMA_DIR / generate.ENVELOPE_FILE).read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(_raw(_envelope()))


def test_optional_attributes_are_left_out_not_null():
    raw = _raw(
        build_event(
            sample_event(ParticipantRegistered), source=SOURCE, sequence=1, correlation_id="c"
        )
    )
    assert None not in raw.values()
    assert "subject" not in raw and "traceparent" not in raw


# --- parse_event rejects with reasons that name the field, not the value -----------------


def test_rejects_a_body_that_is_not_json():
    assert _reason_for(b"{not json").startswith("body is not JSON")
    assert _reason_for(b"\xff\xfe") == "body is not UTF-8"
    assert _reason_for(b"[1, 2]") == "body is not a JSON object"


def test_rejects_a_valid_event_in_another_encoding_than_utf8():
    """json.loads guesses UTF-16 from the bytes; a strict receiver does not (RFC 8259)."""
    body = _envelope().to_json().decode()
    parse_event(body.encode())
    assert _reason_for(body.encode("utf-16")) == "body is not UTF-8"
    assert _reason_for(body.encode("utf-32")) == "body is not UTF-8"


def test_rejects_an_unknown_event_type():
    raw = _raw(_envelope())
    raw["type"] = "nl.zroute.intake.something-else.v1"
    reason = _reason_for(raw)
    assert reason == "unknown event type nl.zroute.intake.something-else.v1"


def test_rejects_a_source_that_is_not_an_nl_gov_urn():
    raw = _raw(_envelope())
    raw["source"] = "https://intake.example/secret-host-name"
    reason = _reason_for(raw)
    assert "source" in reason
    assert "secret-host-name" not in reason


def test_rejects_a_bsn_looking_subject_without_repeating_it():
    raw = _raw(_envelope())
    raw["subject"] = "123456782"
    reason = _reason_for(raw)
    assert reason.startswith("envelope invalid: subject")
    assert "123456782" not in reason


def test_rejects_invalid_data_naming_the_field_not_the_value():
    raw = _raw(_envelope())
    raw["data"]["participant_ref"] = "123456782"
    raw["data"]["preferred_language"] = "Jan Jansen"
    reason = _reason_for(raw)
    assert "data.participant_ref" in reason and "data.preferred_language" in reason
    assert "123456782" not in reason and "Jansen" not in reason


def test_rejects_a_missing_attribute():
    raw = _raw(_envelope())
    del raw["correlationid"]
    assert "correlationid" in _reason_for(raw)


def test_unknown_data_fields_are_ignored():
    raw = _raw(_envelope())
    raw["data"]["added_in_v1_5"] = "whatever"
    _, payload = parse_event(json.dumps(raw))
    assert payload == sample_event(ParticipantRegistered)


# --- sequence and naming rules ----------------------------------------------------------


def test_sequence_strings_sort_like_the_numbers():
    numbers = [1, 2, 9, 10, 11, 99, 100, 1_000_000, 10**19, 10**20 - 1]
    formatted = [format_sequence(n) for n in numbers]
    assert sorted(formatted) == formatted
    assert {len(s) for s in formatted} == {20}
    with pytest.raises(ValueError):
        format_sequence(0)


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


# Events one copy of a service tells another (each with a database of its own): an intake
# service that exported a dossier hears that another imported it (issue 15, W 15(4)).
BETWEEN_COPIES = {"nl.zroute.intake.participant-moved-in.v1"}


def test_every_event_type_follows_the_naming_rules():
    for event_type, cls in event_types().items():
        spec = cls.spec
        match = re.fullmatch(r"nl\.zroute\.([a-z]+)\.([a-z][a-z-]*[a-z])\.v1", event_type)
        assert match, event_type
        producer, name = match.groups()
        assert producer in SERVICES and producer == spec.producer
        service, entity, action = spec.routing_key.split(".")
        assert service == producer, event_type
        assert f"{entity}-{action}" == name, f"{event_type}: routing key {spec.routing_key}"
        assert cls.__name__ == _pascal(name), f"{cls.__name__} should be named {_pascal(name)}"
        own = {producer} if event_type in BETWEEN_COPIES else set()
        assert set(spec.consumers) <= (set(SERVICES) - {producer}) | own, event_type
        assert cls.__module__ == f"zroute_contract.events.{producer}", event_type


def test_every_addressed_event_routes_to_its_partner():
    addressed = [s for s in all_samples() if s.spec.addressed_by]
    assert {type(s).__name__ for s in addressed} >= {"ReferralRequested", "ReferralCancelled"}
    for sample in addressed:
        field = sample.spec.addressed_by
        schema = type(sample).model_json_schema()
        assert field in schema["required"], f"{type(sample).__name__}.{field} must be required"
        assert schema["properties"][field]["pattern"] == PARTNER_ID_PATTERN
        partner = getattr(sample, field)
        assert sample.routing_key() == f"{sample.spec.routing_key}.{partner}"
        assert sample.routing_key().endswith(f".{partner}")


def test_public_events_route_on_their_plain_key():
    for sample in all_samples():
        if not sample.spec.addressed_by:
            assert sample.routing_key() == sample.spec.routing_key


# --- every event type survives the trip over the wire -------------------------------------


@pytest.mark.parametrize("sample", all_samples(), ids=lambda s: s.spec.name)
def test_round_trip_of_every_event_type(sample):
    envelope = _envelope(sample)
    body = envelope.to_json()
    parsed_envelope, payload = parse_event(body)
    assert payload == sample
    assert type(payload) is type(sample)
    assert parsed_envelope == envelope
    assert parsed_envelope.subject == getattr(sample, "participant_ref", None)
    schema = json.loads(
        (generate.SCHEMA_DIR / f"{sample.spec.type}.json").read_text(encoding="utf-8")
    )
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        json.loads(body)["data"]
    )


def test_a_model_validator_error_is_reported_without_values():
    raw = _raw(_envelope(sample_event(IntakeCompleted)))
    raw["data"]["needs"] = [
        {"domain": "housing", "severity": "light"},
        {"domain": "housing", "severity": "severe"},
    ]
    reason = _reason_for(raw)
    assert "data.needs: " in reason and "each life domain at most once" in reason
    assert "severe" not in reason and "light" not in reason
