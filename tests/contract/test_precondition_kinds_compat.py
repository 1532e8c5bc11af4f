"""Issue 17 item 8: configurable precondition kinds stay additive within v1.

A consumer on the released contract keeps reading childcare and transport as before
(the new ``code`` fields are optional and ignored); a configured kind travels as
``kind: other`` with its ``code``, which an older consumer rejects outright (dead-letters)
rather than misreads as childcare or transport."""

from __future__ import annotations

import json
from datetime import date
from uuid import uuid4

import pytest
from jsonschema import Draft202012Validator
from zroute_contract import generate
from zroute_contract.compat import breaking_changes
from zroute_contract.events.codes import PreconditionKind, Weekday, precondition_kind
from zroute_contract.events.support import PreconditionArranged, PreconditionLapsed
from zroute_contract.types import new_participant_ref

ARRANGED = "nl.zroute.support.precondition-arranged.v1"
LAPSED = "nl.zroute.support.precondition-lapsed.v1"
TOUCHED = (
    ARRANGED,
    LAPSED,
    "nl.zroute.intake.intake-completed.v1",
    "nl.zroute.intake.intake-corrected.v1",
    "nl.zroute.planning.plan-activated.v1",
    "nl.zroute.planning.plan-paused.v1",
)


def _schema(directory, event_type: str) -> dict:
    return json.loads((directory / f"{event_type}.json").read_text(encoding="utf-8"))


def _released(event_type: str) -> Draft202012Validator:
    return Draft202012Validator(_schema(generate.RELEASED_DIR, event_type))


def _arranged(kind: PreconditionKind, code: str | None) -> PreconditionArranged:
    return PreconditionArranged(
        participant_ref=new_participant_ref(),
        programme_id="zroute-utrecht",
        precondition_id=uuid4(),
        kind=kind,
        code=code,
        partner_id="devices-west",
        arranged_from=date(2027, 1, 4),
        days_covered=(Weekday.MONDAY,),
    )


def _body(event) -> dict:
    return event.model_dump(mode="json", exclude_none=True)


@pytest.mark.parametrize("event_type", TOUCHED)
def test_the_touched_schemas_changed_additively_only(event_type):
    released = _schema(generate.RELEASED_DIR, event_type)
    current = _schema(generate.SCHEMA_DIR, event_type)
    assert breaking_changes(released, current) == []
    assert current != released, f"{event_type} should carry the new optional code field"


@pytest.mark.parametrize("kind", [PreconditionKind.CHILDCARE, PreconditionKind.TRANSPORT])
@pytest.mark.parametrize("with_code", [False, True])
def test_an_older_consumer_reads_childcare_and_transport_as_before(kind, with_code):
    event = _arranged(kind, kind.value if with_code else None)
    errors = list(_released(ARRANGED).iter_errors(_body(event)))
    assert errors == [], [e.message for e in errors]


def test_an_older_consumer_rejects_a_configured_kind_instead_of_misreading_it():
    event = _arranged(PreconditionKind.OTHER, "digital_device")
    body = _body(event)
    assert body["kind"] == "other" and body["code"] == "digital_device"
    errors = list(_released(ARRANGED).iter_errors(body))
    assert [e.path[0] for e in errors] == ["kind"]


def test_a_newer_consumer_reads_the_code_and_the_current_schema_admits_it():
    event = _arranged(PreconditionKind.OTHER, "medical_aid")
    current = Draft202012Validator(_schema(generate.SCHEMA_DIR, ARRANGED))
    assert list(current.iter_errors(_body(event))) == []
    again = PreconditionArranged.model_validate(_body(event))
    assert again.precondition_code == "medical_aid"


def test_a_lapse_carries_its_code_the_same_way():
    body = {
        **_body(_arranged(PreconditionKind.OTHER, "digital_device")),
        "lapsed_on": "2027-02-01",
        "reason": "ended",
    }
    for field in ("arranged_from", "days_covered"):
        body.pop(field)
    lapse = PreconditionLapsed.model_validate(body)
    assert lapse.precondition_code == "digital_device"


def test_codes_map_to_the_kind_older_consumers_know():
    assert precondition_kind("childcare") is PreconditionKind.CHILDCARE
    assert precondition_kind("transport") is PreconditionKind.TRANSPORT
    assert precondition_kind("digital_device") is PreconditionKind.OTHER
