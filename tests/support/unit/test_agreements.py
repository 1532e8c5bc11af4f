"""Task-division agreements: every task one capable owner, one lead, no overlapping periods."""

from __future__ import annotations

from dataclasses import replace as with_
from datetime import date
from uuid import uuid4

from zroute_contract.events.codes import Channel, PartnerCapability, RouteTask
from zroute_support.domain.agreements import (
    Agreement,
    AgreementTerms,
    in_force,
    overlapping,
    problems,
)
from zroute_support.domain.partners import TASK_CAPABILITY, ContactPoint, Partner

CAP = PartnerCapability


def partner(pid: str, *caps: PartnerCapability, municipality: str = "GM0363") -> Partner:
    return Partner(
        pid,
        pid.title(),
        (municipality,),
        caps,
        contact_points=(ContactPoint(Channel.EMAIL, "x@y"),),
    )


ALL_ROUND = partner("all-round", *CAP)
SPECIALISTS = {
    "school": partner("school", CAP.LANGUAGE_TEACHING, CAP.KNM),
    "work": partner("work", CAP.PARTICIPATION_WORKPLACES, CAP.JOB_COACHING),
    "care": partner("care", CAP.PHYSICAL_CARE, CAP.MENTAL_HEALTH_CARE, CAP.DEBT_FINANCE),
    "kids": partner("kids", CAP.CHILDCARE, CAP.TRANSPORT, CAP.INTERPRETING),
}


def terms(assign: dict[RouteTask, str], lead: str = "all-round", **kw) -> AgreementTerms:
    return AgreementTerms(
        programme_id="amsterdam-z",
        municipality="GM0363",
        valid_from=kw.get("valid_from", date(2027, 1, 1)),
        valid_until=kw.get("valid_until"),
        lead_partner_id=lead,
        assignments=tuple(assign.items()) + kw.get("extra", ()),
    )


def specialist_for(task: RouteTask) -> str:
    capability = TASK_CAPABILITY[task]
    return next((p for p, v in SPECIALISTS.items() if capability in v.capabilities), "school")


def test_one_partner_for_everything_is_a_valid_agreement():
    assert problems(terms(dict.fromkeys(RouteTask, "all-round")), {"all-round": ALL_ROUND}) == []


def test_many_specialists_are_a_valid_agreement():
    assign = {task: specialist_for(task) for task in RouteTask}
    assert problems(terms(assign, lead="school"), SPECIALISTS) == []


def test_every_problem_is_listed_at_once():
    assign = {task: specialist_for(task) for task in RouteTask}
    del assign[RouteTask.FOLLOW_UP]
    assign[RouteTask.CHILDCARE] = "school"  # no childcare capability
    assign[RouteTask.TRANSPORT] = "nobody"
    found = problems(terms(assign, lead="ghost", extra=((RouteTask.KNM, "school"),)), SPECIALISTS)
    assert "lead partner: unknown partner ghost" in found
    assert "task follow_up has no responsible partner" in found
    assert "task knm has 2 responsible partners; it needs exactly one" in found
    assert "task childcare: partner school lacks the capability childcare" in found
    assert "task transport: unknown partner nobody" in found


def test_a_partner_must_serve_the_municipality_and_take_work():
    elsewhere = partner("elsewhere", *CAP, municipality="GM0599")
    stopped = partner("stopped", *CAP)
    stopped.active = False
    found = problems(
        terms(dict.fromkeys(RouteTask, "elsewhere"), lead="stopped"),
        {"elsewhere": elsewhere, "stopped": stopped},
    )
    assert "lead partner: partner stopped takes no new work" in found
    assert "task intake: partner elsewhere does not serve GM0363" in found


def test_a_period_ending_before_it_starts_is_a_problem():
    t = terms(dict.fromkeys(RouteTask, "all-round"), valid_until=date(2026, 12, 1))
    assert "valid_until is before valid_from" in problems(t, {"all-round": ALL_ROUND})


def version(n: int, start: date, until: date | None) -> Agreement:
    t = terms(dict.fromkeys(RouteTask, "all-round"), valid_from=start, valid_until=until)
    return Agreement(uuid4(), n, t)


def test_overlapping_periods_are_found_and_adjacent_ones_are_not():
    recorded = [version(1, date(2027, 1, 1), date(2027, 6, 30))]
    adjacent = terms(dict.fromkeys(RouteTask, "all-round"), valid_from=date(2027, 7, 1))
    overlap = terms(dict.fromkeys(RouteTask, "all-round"), valid_from=date(2027, 6, 30))
    assert overlapping(adjacent, recorded) == []
    assert overlapping(overlap, recorded) == [1]
    open_ended = [version(1, date(2027, 1, 1), None)]
    assert overlapping(adjacent, open_ended) == [1]


def test_who_is_responsible_on_a_day_follows_the_version_in_force():
    first = version(1, date(2027, 1, 1), date(2027, 6, 30))
    second = Agreement(
        uuid4(),
        2,
        terms(
            {task: specialist_for(task) for task in RouteTask},
            lead="school",
            valid_from=date(2027, 7, 1),
        ),
    )
    assert in_force([first, second], date(2026, 12, 31)) is None
    assert in_force([first, second], date(2027, 6, 30)) is first
    on_july = in_force([first, second], date(2027, 7, 1))
    assert on_july is second
    assert on_july.responsible_for(RouteTask.CARE_REFERRAL_PHYSICAL) == "care"


def test_a_task_marked_not_offered_with_a_reason_may_stay_unassigned():
    """Issue 17: before, all 14 tasks had to be assigned before any agreement."""

    assign = {t: "all-round" for t in RouteTask if t is not RouteTask.CHILDCARE}
    partners = {"all-round": ALL_ROUND}
    missing = problems(terms(assign), partners)
    assert missing == ["task childcare has no responsible partner"]
    marked = with_(terms(assign), not_offered=((RouteTask.CHILDCARE, "not_contracted"),))
    assert problems(marked, partners) == []
    agreement = Agreement(uuid4(), 1, marked)
    agreement.recorded()
    [event] = agreement.events
    assert [(n.task, n.reason) for n in event.not_offered] == [
        (RouteTask.CHILDCARE, "not_contracted")
    ]
    assert agreement.responsible_for(RouteTask.CHILDCARE) is None


def test_the_core_tasks_are_always_offered_and_a_task_is_never_both():

    everything = dict.fromkeys(RouteTask, "all-round")
    both = with_(terms(everything), not_offered=((RouteTask.TRANSPORT, "other"),))
    assert problems(both, {"all-round": ALL_ROUND}) == [
        "task transport is both assigned and not offered"
    ]
    no_knm = {t: p for t, p in everything.items() if t is not RouteTask.KNM}
    core = with_(terms(no_knm), not_offered=((RouteTask.KNM, "other"),))
    assert problems(core, {"all-round": ALL_ROUND}) == [
        "task knm is always offered; it needs a responsible partner"
    ]
