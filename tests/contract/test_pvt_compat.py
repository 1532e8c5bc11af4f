"""Issue 16: PVT hours (participatieverklaringstraject) without a new code value.

PVT hours are participation hours (B 3.14(5)), so they travel as ``kind: participation``
with the optional ``module: pvt``; the agreement names PVT's provider in the optional
``module_providers``. A consumer on the released contract validates both events as before
and counts PVT hours where the law counts them, instead of dead-lettering a new code."""

from __future__ import annotations

import json
from datetime import date
from uuid import uuid4

from jsonschema import Draft202012Validator
from zroute_contract import generate
from zroute_contract.events.codes import (
    AttendanceStatus,
    CurriculumModule,
    HoursKind,
    RouteTask,
    TeachingForm,
)
from zroute_contract.events.planning import AttendanceRecorded
from zroute_contract.events.support import AgreementRecorded, ModuleProvider, TaskAssignment
from zroute_contract.types import new_participant_ref


def _released(event_type: str) -> Draft202012Validator:
    path = generate.RELEASED_DIR / f"{event_type}.json"
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def test_an_older_consumer_reads_pvt_hours_as_participation_hours():
    event = AttendanceRecorded(
        participant_ref=new_participant_ref(),
        programme_id="zroute-utrecht",
        session_id=uuid4(),
        session_on=date(2027, 3, 1),
        kind=HoursKind.PARTICIPATION,
        teaching_form=TeachingForm.CLASSROOM,
        status=AttendanceStatus.PRESENT,
        hours=2.0,
        module=CurriculumModule.PVT,
    )
    body = event.model_dump(mode="json", exclude_none=True)
    assert body["kind"] == "participation" and body["module"] == "pvt"
    validator = _released("nl.zroute.planning.attendance-recorded.v1")
    assert [e.message for e in validator.iter_errors(body)] == []


def test_an_older_consumer_reads_an_agreement_that_names_the_pvt_provider():
    event = AgreementRecorded(
        agreement_id=uuid4(),
        programme_id="zroute-utrecht",
        municipality="GM0344",
        version=1,
        valid_from=date(2027, 1, 1),
        lead_partner_id="school",
        assignments=(TaskAssignment(task=RouteTask.LANGUAGE_TEACHING, partner_id="school"),),
        module_providers=(ModuleProvider(module=CurriculumModule.PVT, partner_id="pvt-desk"),),
    )
    body = event.model_dump(mode="json", exclude_none=True)
    validator = _released("nl.zroute.support.agreement-recorded.v1")
    assert [e.message for e in validator.iter_errors(body)] == []
