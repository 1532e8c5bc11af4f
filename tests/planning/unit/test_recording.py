"""Who records which hours: the task division names a partner per kind (issue 16 item 3)."""

from __future__ import annotations

from zroute_contract.events.codes import HoursKind
from zroute_planning.domain.recording import recording_partners, refusal

DIVISION = {
    "language_teaching": "language-school",
    "knm": "knm-house",
    "job_coaching": "job-coaches",
    "participation_placement": "work-partner",
}


def test_workplace_hours_come_from_the_job_coach_or_the_participation_partner():
    assert recording_partners(HoursKind.PARTICIPATION, DIVISION, "language-school") == {
        "job-coaches",
        "work-partner",
    }
    assert refusal("job-coaches", HoursKind.PARTICIPATION, DIVISION, "language-school") is None


def test_a_partner_not_named_for_a_kind_is_refused_with_who_is():
    why = refusal("language-school", HoursKind.KNM, DIVISION, "language-school")
    assert why is not None and "knm-house" in why and "knm" in why


def test_without_a_named_task_the_teaching_partner_records():
    assert recording_partners(HoursKind.MAP, DIVISION, "language-school") == {"language-school"}
    assert recording_partners(HoursKind.KNM, {}, "taalhuis") == {"taalhuis"}


def test_pvt_hours_come_from_the_named_provider_and_are_participation_hours():
    from decimal import Decimal

    from zroute_contract.events.codes import CurriculumModule
    from zroute_planning.domain.hours_norm import NormRules, route_norm
    from zroute_planning.domain.recording import module_key, module_problem

    division = DIVISION | {module_key(CurriculumModule.PVT): "pvt-desk"}
    pvt = CurriculumModule.PVT
    assert recording_partners(HoursKind.PARTICIPATION, division, "x", pvt) == {"pvt-desk"}
    why = refusal("job-coaches", HoursKind.PARTICIPATION, division, "x", pvt)
    assert why is not None and "pvt-desk" in why
    # Without a named provider, PVT hours are the participation partners' to record.
    assert recording_partners(HoursKind.PARTICIPATION, DIVISION, "x", pvt) == {
        "job-coaches",
        "work-partner",
    }
    assert module_problem(HoursKind.PARTICIPATION, pvt) is None
    assert module_problem(HoursKind.LANGUAGE, pvt) is not None
    progress = route_norm(NormRules()).progress({"participation": Decimal(2)})
    assert progress.participation.attended == Decimal(2)
