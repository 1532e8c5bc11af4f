"""Both strict validators assert formats: they pass every sample event and refuse what
a format-asserting integrator refuses (issue 13)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from zroute_contract.envelope import build_event
from zroute_contract.events.planning import GroupFormed
from zroute_contract.generate import RELEASED_DIR

from tests.contract.samples import all_samples, sample_event
from tests.strict_formats import ajv_report, python_failures

SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-planning"


def envelope(payload, number: int = 1) -> dict:
    event = build_event(
        payload,
        source=SOURCE,
        sequence=number,
        correlation_id="c0ffee",
        subject=getattr(payload, "participant_ref", None),
        time=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
    )
    return json.loads(event.to_json())


def test_every_sample_event_is_valid_in_both_validators(tmp_path: Path):
    events = [envelope(p, i + 1) for i, p in enumerate(all_samples())]
    assert python_failures(events) == []
    report = ajv_report(events, tmp_path)
    assert report["failures"] == []
    assert len(report["types"]) == len(events)


def test_both_validators_refuse_what_a_format_asserting_integrator_refuses(tmp_path: Path):
    group = envelope(sample_event(GroupFormed))
    assert group["data"]["sessions"][0]["starts_at"] == "09:00:00"
    no_offset = {**envelope(sample_event(GroupFormed)), "time": "2026-03-02T09:00:00"}
    bad_date = envelope(sample_event(GroupFormed))
    bad_date["data"]["starts_on"] = "2026-02-30"
    bad_uuid = envelope(sample_event(GroupFormed))
    bad_uuid["data"]["group_id"] = "not-a-uuid"

    # The released schema said "format": "time": a local time fails it (the defect).
    assert any("starts_at" in f for f in python_failures([group], RELEASED_DIR))
    released = ajv_report([group], tmp_path, RELEASED_DIR)
    assert any("starts_at" in e for f in released["failures"] for e in f["errors"])

    python = [python_failures([e]) for e in (no_offset, bad_date, bad_uuid)]
    assert all(python), python
    ajv = ajv_report([no_offset, bad_date, bad_uuid], tmp_path)
    assert [f["line"] for f in ajv["failures"]] == [1, 2, 3], ajv
