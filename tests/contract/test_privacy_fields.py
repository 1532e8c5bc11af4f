"""Nothing in the contract can carry personal identifiers, free text, or health details
on a public route.

The checks run on the JSON Schemas (what goes on the wire, nested structures included)
and on the samples (what a producer actually sends).
"""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError
from zroute_contract import generate
from zroute_contract.events import IntakeCompleted
from zroute_contract.events.base import Event, event_types
from zroute_contract.events.codes import HEALTH_DOMAINS, CareCategory
from zroute_contract.types import PARTICIPANT_REF_PATTERN

from tests.contract.samples import all_samples, sample_data

# Name parts that would label personal data of a participant (or any person).
FORBIDDEN_NAME_PARTS = {
    "bsn", "name", "names", "firstname", "surname", "initials", "address", "street",
    "postcode", "zipcode", "city", "birth", "birthdate", "dob", "phone", "telephone",
    "mobile", "email", "mail", "iban", "passport", "nationality",
}  # fmt: skip
# Words that mark a health detail: such fields belong on addressed events only.
HEALTH_WORDS = {"category", "diagnosis", "health", "care", "medical", "signal", "signals"}
# Structure fields that are fine on a public event although they hold a health word.
HEALTH_WORD_ALLOWED = {"care_signal_ids"}  # opaque ids, no category

SCHEMAS = {t: generate.event_schema(cls) for t, cls in event_types().items()}


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (owner, property name, property schema) in an event schema, nested ones too."""
    yield from ((schema["title"], n, p) for n, p in schema.get("properties", {}).items())
    for owner, definition in schema.get("$defs", {}).items():
        yield from ((owner, n, p) for n, p in definition.get("properties", {}).items())


def _string_nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "string":
            yield node
        for value in node.values():
            yield from _string_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _string_nodes(value)


def _values(node: Any) -> Iterator[Any]:
    """Every enum or const value a schema admits."""
    if isinstance(node, dict):
        yield from node.get("enum", ())
        if "const" in node:
            yield node["const"]
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)


def _is_participant_event(schema: dict[str, Any]) -> bool:
    return "participant_ref" in schema.get("properties", {})


def _public(schemas=SCHEMAS):
    return {t: s for t, s in schemas.items() if not s["x-zroute-addressed-by"]}


@pytest.mark.parametrize("event_type", sorted(SCHEMAS))
def test_no_field_is_named_like_personal_data(event_type):
    for owner, name, _ in _properties(SCHEMAS[event_type]):
        parts = set(name.lower().split("_"))
        assert not parts & FORBIDDEN_NAME_PARTS, f"{event_type}: {owner}.{name} names personal data"


@pytest.mark.parametrize("event_type", sorted(SCHEMAS))
def test_every_string_is_a_code_an_identifier_or_a_date(event_type):
    # A string without a pattern, a list of values or a format is free text: it could
    # carry a name, a BSN or a caseworker's note about someone's health.
    for node in _string_nodes(SCHEMAS[event_type]):
        constrained = {"pattern", "enum", "const", "format"} & node.keys()
        assert constrained, f"{event_type}: a free-text string field: {node.get('title')}"


def test_identifier_patterns_cannot_hold_a_bsn_or_an_email_address():
    patterns = {n["pattern"] for s in SCHEMAS.values() for n in _string_nodes(s) if "pattern" in n}
    for pattern in patterns:
        assert not re.fullmatch(pattern, "123456782"), f"{pattern} admits a BSN"
        assert not re.fullmatch(pattern, "jan@example.nl"), f"{pattern} admits an e-mail address"


@pytest.mark.parametrize("event_type", sorted(_public()))
def test_public_events_carry_no_health_details(event_type):
    schema = SCHEMAS[event_type]
    for owner, name, _ in _properties(schema):
        if name in HEALTH_WORD_ALLOWED:
            continue
        words = set(name.lower().split("_"))
        assert not words & HEALTH_WORDS, f"{event_type}: {owner}.{name} is a health detail"
    assert "CareCategory" not in schema.get("$defs", {}), event_type
    if _is_participant_event(schema):
        forbidden = {str(c) for c in CareCategory} | {str(d) for d in HEALTH_DOMAINS}
        leaked = forbidden & {str(v) for v in _values(schema)}
        assert not leaked, f"{event_type} admits health codes {sorted(leaked)}"


def test_the_care_category_travels_only_on_addressed_events():
    carrying = {t for t, s in SCHEMAS.items() if "CareCategory" in json.dumps(s)}
    assert carrying, "some event must carry the care category"
    for event_type in carrying:
        assert SCHEMAS[event_type]["x-zroute-addressed-by"] == "partner_id", event_type


def test_the_public_intake_outcome_refuses_health_domains():
    data = sample_data(IntakeCompleted)
    data["needs"] = [{"domain": "health_psychological", "severity": "severe"}]
    with pytest.raises(ValidationError) as caught:
        IntakeCompleted.model_validate(data)
    assert caught.value.errors()[0]["loc"][:2] == ("needs", 0)


def test_participant_events_name_the_participant_by_reference_only():
    for event_type, schema in SCHEMAS.items():
        if _is_participant_event(schema):
            ref = schema["properties"]["participant_ref"]
            patterns = {n.get("pattern") for n in _string_nodes(ref)}
            assert patterns == {PARTICIPANT_REF_PATTERN}, event_type


@pytest.mark.parametrize("sample", all_samples(), ids=lambda s: s.spec.name)
def test_samples_hold_no_nine_digit_numbers(sample: Event):
    text = sample.model_dump_json()
    assert not re.search(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])", text)
