"""Placements escalate when not confirmed in time; attendance fills the hours ledger and
low attendance makes a review due; the route completes only after an agreed follow-up and
the municipality's final meeting."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from zroute_contract.conformance.samples import SampleBuilder
from zroute_contract.events.support import PartnerRegistered, PlacementConfirmed
from zroute_runtime.auth import Role

from tests.helpers import token
from tests.planning.events import final_meeting_held
from tests.planning.integration.conftest import SUPPORT, TODAY, intake_completed


async def test_an_unconfirmed_placement_escalates_and_a_confirmed_one_does_not(planning):
    late, on_time = intake_completed(), intake_completed()
    await planning.activate(late)
    await planning.activate(on_time)
    [request] = await planning.expect("placement-requested", on_time.participant_ref)
    await planning.feed(
        PlacementConfirmed(
            participant_ref=on_time.participant_ref,
            programme_id=on_time.programme_id,
            placement_id=uuid4(),
            placement_request_id=UUID(request["data"]["placement_request_id"]),
            partner_id="werkplaats-noord",
            employer_id="bakery-west",
            location_id="bakery-west-1",
            activity="workplace_learning",
            starts_on=request["data"]["needed_by"],
            hours_per_week=request["data"]["hours_per_week"],
        ),
        source=SUPPORT,
    )
    [late_request] = await planning.expect("placement-requested", late.participant_ref)
    needed_by = late_request["data"]["needed_by"]
    assert needed_by >= str(TODAY + timedelta(days=42))  # the configured lead time
    await planning.runtime.advance_clock(timedelta(days=200))
    escalations = await planning.expect("placement-escalated", late.participant_ref, 3)
    assert [e["data"]["level"] for e in escalations] == [1, 2, 3]
    assert escalations[0]["data"]["needed_by"] == needed_by
    assert planning.events("placement-escalated", on_time.participant_ref) == []


async def test_a_placement_needed_too_soon_is_refused(planning):
    intake = intake_completed()
    await planning.activate(intake)
    response = await planning.http.post(
        f"/participants/{intake.participant_ref}/placements",
        json={
            "activity": "volunteering",
            "needed_by": str(TODAY + timedelta(days=5)),
            "hours_per_week": 4,
        },
    )
    assert response.status_code == 422
    assert "notice" in response.json()["error"]


def _session(day, status, kind="language", minutes=120):
    return {
        "session_id": str(uuid4()),
        "session_on": str(day),
        "kind": kind,
        "teaching_form": "classroom",
        "status": status,
        "minutes": minutes,
    }


async def test_attendance_fills_the_ledger_and_low_attendance_makes_a_review_due(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    await planning.runtime.advance_clock(timedelta(days=21))
    day = TODAY + timedelta(days=15)
    statuses = ["present", "absent_without_reason", "absent_with_reason", "absent_without_reason"]
    for i, status in enumerate(statuses):
        body = _session(day + timedelta(days=i), status)
        if status == "absent_with_reason":  # an excused absence names its reason
            body["absence_reason"] = "illness"
        response = await planning.http.post(f"/participants/{ref}/attendance", json=body)
        assert response.status_code == 201, response.text
    again = await planning.http.post(f"/participants/{ref}/attendance", json=body)
    assert again.status_code == 201
    changed = await planning.http.post(
        f"/participants/{ref}/attendance", json=body | {"status": "present"}
    )
    assert changed.status_code == 409
    recorded = await planning.expect("attendance-recorded", ref, 4)
    assert [e["data"]["hours"] for e in recorded] == [2.0, 0.0, 0.0, 0.0]
    hours = (await planning.http.get(f"/participants/{ref}/hours")).json()
    # Two of four sessions missed: the excused absence is not (the default rule,
    # excused_absence_counts_as_missed false; issue 16).
    assert hours["hours"]["language"] == 2.0 and hours["attendance_percentage"] == 50

    [due] = await planning.expect("progress-review-due", ref)
    assert due["data"]["trigger"] == "low_attendance"
    assert due["data"]["attendance_percentage"] == 50
    outcome = await planning.http.post(
        f"/participants/{ref}/reviews/{due['data']['review_id']}/outcome",
        json={"held_on": str(TODAY + timedelta(days=21)), "outcome": "plan_adjusted"},
    )
    assert outcome.status_code == 200, outcome.text
    [held] = await planning.expect("progress-review-recorded", ref)
    assert held["data"]["outcome"] == "plan_adjusted"
    assert held["data"]["hours_to_date"]["language"] == 2.0

    await planning.runtime.advance_clock(timedelta(days=91))
    reviews = await planning.expect("progress-review-due", ref, 2)
    assert reviews[1]["data"]["trigger"] == "scheduled"
    # Issue 15: who recorded the attendance and the review, and when (the audit trail);
    # a review that fell due by a timer is no user's action.
    trail = await audit(planning, ref)
    assert trail.count(("attendance-recorded", "staff-test", ["coordinator"])) == 4
    assert ("progress-review-recorded", "staff-test", ["coordinator"]) in trail
    # the low-attendance review the attendance caused is; the scheduled one is not
    assert [a for a, _, _ in trail].count("progress-review-due") == 1


async def test_the_route_completes_only_after_a_follow_up_and_the_final_meeting(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    refused = await planning.http.post(f"/participants/{ref}/completion")
    assert refused.status_code == 409
    assert "follow-up" in refused.json()["error"]
    assert planning.events("route-completed", ref) == []

    for _ in range(3):  # two and a half years on, the follow-up falls due
        await planning.runtime.advance_clock(timedelta(days=330))
    [due] = await planning.expect("follow-up-due", ref)
    assert due["data"]["agree_by"] <= due["data"]["planned_end"]

    empty = await planning.http.put(
        f"/participants/{ref}/follow-up",
        json={
            "follow_up_type": "volunteering",
            "partner_id": "vrijwilligers-centrale",
            "starts_on": "2030-01-01",
            "agreements": [],
        },
    )
    assert empty.status_code == 422
    follow_up = {
        "follow_up_type": "volunteering",
        "partner_id": "vrijwilligers-centrale",
        "starts_on": "2030-01-01",
        "agreements": [
            {"task": "warm_handover", "partner_id": "language-school", "due_on": "2029-12-01"}
        ],
    }
    # The follow-up partner must be one the partner registry names (issue 16 item 7).
    unknown = await planning.http.put(f"/participants/{ref}/follow-up", json=follow_up)
    assert unknown.status_code == 422 and "not registered" in unknown.json()["error"]
    await planning.feed(
        SampleBuilder().event(PartnerRegistered, partner_id="vrijwilligers-centrale"),
        source=SUPPORT,
    )
    agreed = await planning.http.put(
        f"/participants/{ref}/follow-up",
        json={
            "follow_up_type": "volunteering",
            "partner_id": "vrijwilligers-centrale",
            "starts_on": "2030-01-01",
            "agreements": [
                {"task": "warm_handover", "partner_id": "language-school", "due_on": "2029-12-01"}
            ],
        },
    )
    assert agreed.status_code == 200, agreed.text
    await planning.expect("follow-up-agreed", ref)
    # The municipality's final meeting comes first (B 3.14(2)(c)).
    no_meeting = await planning.http.post(f"/participants/{ref}/completion")
    assert no_meeting.status_code == 409
    assert "final meeting" in no_meeting.json()["error"]
    assert planning.events("route-completed", ref) == []
    await planning.feed(final_meeting_held(ref, TODAY + timedelta(days=990)))
    # Issue 16 item 7: 0 hours do not complete a route, unless the municipality's
    # recorded decision waives the targets, with a reason.
    short = await planning.http.post(f"/participants/{ref}/completion")
    assert short.status_code == 409, short.text
    assert (
        "targets" in short.json()["error"]
        and "course hours (NT2 and KNM) 0 of 800" in short.json()["error"]
    )
    # The ledger names the same shortfalls against the PIP's norm (B 3.14, issue 15).
    ledger = (await planning.http.get(f"/participants/{ref}/hours")).json()
    assert ledger["norm"]["course_hours"] == 800 and ledger["norm"]["participation_hours"] == 800
    assert ledger["short_of"] == [
        "course hours (NT2 and KNM) 0 of 800 hours",
        "knm 0 of 100 hours",
        "participation hours (PVT and MAP within) 0 of 800 hours",
        "map 0 of 100 hours",
    ]
    assert planning.events("route-completed", ref) == []
    path = f"/participants/{ref}/targets-waiver"
    # The municipality decides: a coordinator (or a partner) may not record it.
    decision = {"decided_on": "2029-09-01", "reason": "medical grounds, no more hours possible"}
    assert (await planning.http.post(path, json=decision)).status_code == 403
    caseworker = {"Authorization": f"Bearer {token([Role.CASEWORKER], subject='cw-1')}"}
    no_reason = await planning.http.post(
        path, json={"decided_on": "2029-09-01", "reason": " "}, headers=caseworker
    )
    assert no_reason.status_code == 422
    waiver = await planning.http.post(
        path,
        headers=caseworker,
        json={
            "decided_on": "2029-09-01",
            "decision_ref": "GM0363-2029-118",
            "reason": "medical grounds: the participant cannot attend more hours",
        },
    )
    assert waiver.status_code == 201, waiver.text
    done = await planning.http.post(f"/participants/{ref}/completion")
    assert done.status_code == 200, done.text
    [completed] = await planning.expect("route-completed", ref)
    assert completed["data"]["follow_up_id"] == agreed.json()["follow_up_id"]
    assert completed["data"]["targets_met"] is False
    assert completed["data"]["targets_waiver_id"] == waiver.json()["waiver_id"]
    assert done.json()["targets_waiver_id"] == waiver.json()["waiver_id"]
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert plan["status"] == "completed"
    # Issue 15: the follow-up and the completion record who made them.
    trail = await audit(planning, ref)
    assert ("follow-up-agreed", "staff-test", ["coordinator"]) in trail
    assert ("route-completed", "staff-test", ["coordinator"]) in trail


async def audit(planning, ref: str) -> list[tuple[str, str, list[str]]]:
    """The participant's audit trail in planning: action, acting user, roles."""
    rows = await planning.runtime.pool.fetch(
        "SELECT action, actor, actor_roles FROM zr_audit_trail WHERE participant_ref = $1"
        " ORDER BY id",
        ref,
    )
    return [(r["action"], r["actor"], list(r["actor_roles"])) for r in rows]


def _roll_call(day, marks, session_minutes=150):
    return {
        "session_id": str(uuid4()),
        "session_on": str(day),
        "kind": "language",
        "teaching_form": "classroom",
        "session_minutes": session_minutes,
        "marks": marks,
    }


async def test_a_roll_call_records_a_whole_session_and_an_excused_absence_is_not_missed(
    planning,
):
    intakes = [intake_completed() for _ in range(3)]
    for intake in intakes:
        await planning.activate(intake)
    present, excused, absent = (i.participant_ref for i in intakes)
    await planning.runtime.advance_clock(timedelta(days=21))
    body = _roll_call(
        TODAY + timedelta(days=15),
        [
            {"participant_ref": present, "status": "present", "minutes": 150},
            {"participant_ref": excused, "status": "absent_with_reason", "reason": "illness"},
            {"participant_ref": absent, "status": "absent_without_reason"},
        ],
    )
    response = await planning.http.post("/roll-calls", json=body)
    assert response.status_code == 201, response.text
    assert [line["hours"] for line in response.json()["lines"]] == [2.5, 0.0, 0.0]
    for ref, hours in ((present, 2.5), (excused, 0.0), (absent, 0.0)):
        [recorded] = await planning.expect("attendance-recorded", ref)
        assert recorded["data"]["session_id"] == body["session_id"]
        assert recorded["data"]["hours"] == hours
    shares = {}
    for ref in (present, excused, absent):
        hours = (await planning.http.get(f"/participants/{ref}/hours")).json()
        shares[ref] = hours["attendance_percentage"]
    assert shares == {present: 100, excused: 100, absent: 0}

    again = await planning.http.post("/roll-calls", json=body)
    assert again.status_code == 201, again.text  # the same lines again change nothing
    changed = body | {"marks": [body["marks"][0] | {"minutes": 120}]}
    assert (await planning.http.post("/roll-calls", json=changed)).status_code == 409
    await planning.barrier()
    assert len(planning.events("attendance-recorded", present)) == 1


async def test_a_roll_call_with_a_wrong_line_is_refused_whole_with_every_reason(planning):
    first, second = intake_completed(), intake_completed()
    for intake in (first, second):
        await planning.activate(intake)
    await planning.runtime.advance_clock(timedelta(days=21))
    a, b = first.participant_ref, second.participant_ref
    wrong = _roll_call(
        TODAY + timedelta(days=15),
        [
            {"participant_ref": a, "status": "present", "minutes": 200},
            {"participant_ref": b, "status": "absent_with_reason"},
        ],
    )
    response = await planning.http.post("/roll-calls", json=wrong)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "between 1 and 150" in error and "names its reason" in error
    # Each reason also as a code with its parameters, beside its English sentence.
    reasons = {
        (r["participant_ref"], r["reason_code"], tuple(r["reason_params"].items()))
        for r in response.json()["detail"]
    }
    assert reasons == {
        (a, "minutes_out_of_range", (("max", "150"),)),
        (b, "reason_missing", ()),
    }
    assert all(r["reason"] in error for r in response.json()["detail"])
    early = _roll_call(
        TODAY + timedelta(days=3), [{"participant_ref": a, "status": "present", "minutes": 90}]
    )
    response = await planning.http.post("/roll-calls", json=early)
    assert response.status_code == 422
    assert "before the plan's start" in response.json()["error"]
    await planning.barrier()
    assert planning.events("attendance-recorded", a) == []
    assert planning.events("attendance-recorded", b) == []
