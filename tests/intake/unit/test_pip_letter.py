"""The PIP decision letter's content, built from one version, the term and the personal
data (issue 15, item 1); the PDF itself is checked in tests/intake/integration."""

from __future__ import annotations

from datetime import date

import pytest
from zroute_contract.events.codes import AssignmentReason, Route, RouteReason
from zroute_intake.domain.errors import NotFound
from zroute_intake.domain.pip import AmendmentReason, ExamPart, Pip, PipContent
from zroute_intake.domain.term import term_from
from zroute_intake.domain.values import ContactAssignment
from zroute_intake.service_layer.pip_letter import LetterSender, decision_content

from tests.intake.unit import factories as f

SENDER = LetterSender("Gemeente Amsterdam", "Postbus 202, 1000 AE Amsterdam", "14 020")
CONTENT = PipContent(
    route=Route.Z_ROUTE,
    route_reason=RouteReason.COMBINED,
    support=("language_buddy",),
    pvt_hours_per_week=2,
    map_hours_per_week=0,
    route_hours_per_week=12,
    progress_meetings=4,
    exam_wish=(ExamPart.KNM,),
)


def _amended() -> Pip:
    pip = Pip("zr-x")
    pip.prepare(CONTENT)
    pip.establish(date(2027, 1, 12), "caseworker-anna")
    pip.prepare(CONTENT.__class__(**{**CONTENT.__dict__, "progress_meetings": 6}))
    pip.amend(
        date(2027, 3, 1), "caseworker-bram", AmendmentReason.PROGRESS_MEETING,
        term_start=date(2027, 1, 13),
    )  # fmt: skip
    return pip


def test_the_content_states_the_version_the_term_from_the_first_and_the_sender():
    pip = _amended()
    contact = ContactAssignment(f.contact(), date(2027, 1, 4), AssignmentReason.FIRST_ASSIGNMENT)
    built = decision_content(
        ref="zr-x",
        version=pip.version(2),
        term=term_from(date(2027, 1, 12)),
        personal=f.personal(),
        language="ar",
        contact=contact,
        sender=SENDER,
    )
    assert (built.version, built.dated, built.progress_meetings) == (2, date(2027, 3, 1), 6)
    assert built.amendment_reason == "progress_meeting" and built.route == "z_route"
    assert (built.term_starts, built.term_ends) == (date(2027, 1, 13), date(2030, 1, 12))
    assert built.objection_address == SENDER.objection_address
    assert built.exam_wish == ("knm",) and built.reference == "PIP zr-x v2"
    assert "caseworker-anna" in built.contact_name
    assert f.personal().family_name not in repr(built)  # never in a log line


def test_a_version_that_does_not_exist_is_not_found():
    with pytest.raises(NotFound):
        _amended().version(3)
    with pytest.raises(NotFound):
        _amended().version(0)
