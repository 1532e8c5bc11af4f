"""Hours from every partner (issue 16 item 3): each kind of hours is recorded by the partner
the programme's task division names for it; another partner is refused with the reason."""

from __future__ import annotations

import uuid
from datetime import timedelta

from zroute_contract.events.codes import CurriculumModule, RouteTask
from zroute_contract.events.support import ModuleProvider
from zroute_runtime.auth import Role

from tests.helpers import token
from tests.planning.events import PROGRAMME, SUPPORT, TODAY, agreement_recorded
from tests.planning.integration.conftest import intake_completed

DIVISION = {
    RouteTask.LANGUAGE_TEACHING: "language-school",
    RouteTask.KNM: "knm-house",
    RouteTask.MAP: "work-partner",
    RouteTask.JOB_COACHING: "job-coaches",
}


async def division_recorded(planning) -> None:
    """Support's agreement with :data:`DIVISION` as its task division, as planning gets it."""
    await planning.feed(
        agreement_recorded(DIVISION, lead="language-school"),
        source=SUPPORT,
    )


def staff_of(partner_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token([Role.PARTNER_STAFF], partner_id=partner_id)}"}


def line(kind: str, day: int) -> dict:
    return {
        "session_id": str(uuid.uuid4()),
        "session_on": str(TODAY + timedelta(days=day)),
        "kind": kind,
        "teaching_form": "workplace_learning" if kind == "participation" else "classroom",
        "status": "present",
        "minutes": 120,
    }


async def test_each_kind_is_recorded_by_the_partner_the_task_division_names(planning):
    await division_recorded(planning)
    intake = intake_completed()
    await planning.activate(intake)
    await planning.runtime.advance_clock(timedelta(days=30))
    path = f"/participants/{intake.participant_ref}/attendance"
    http = planning.http
    allowed = [
        ("job-coaches", "participation", 15),
        ("knm-house", "knm", 16),
        ("work-partner", "map", 17),
        ("language-school", "language", 18),
    ]
    for partner, kind, day in allowed:
        response = await http.post(path, json=line(kind, day), headers=staff_of(partner))
        assert response.status_code == 201, (partner, kind, response.text)
    refused = await http.post(
        path, json=line("participation", 19), headers=staff_of("language-school")
    )
    assert refused.status_code == 403
    assert "job-coaches" in refused.json()["error"]  # the reason names who records them
    roll_call = {
        "session_id": str(uuid.uuid4()),
        "session_on": str(TODAY + timedelta(days=22)),
        "kind": "knm",
        "teaching_form": "knm",
        "session_minutes": 120,
        "marks": [{"participant_ref": intake.participant_ref, "status": "present", "minutes": 60}],
    }
    wrong = await http.post("/roll-calls", json=roll_call, headers=staff_of("job-coaches"))
    assert wrong.status_code == 403 and "knm-house" in wrong.json()["error"]
    right = await http.post("/roll-calls", json=roll_call, headers=staff_of("knm-house"))
    assert right.status_code == 201, right.text
    hours = (await http.get(f"/participants/{intake.participant_ref}/hours")).json()["hours"]
    assert hours == {"language": 2.0, "participation": 2.0, "knm": 3.0, "map": 2.0}
    kept = await planning.runtime.pool.fetch(
        "SELECT kind, recording_partner FROM planning_attendance WHERE participant_ref = $1",
        intake.participant_ref,
    )
    assert {(r["kind"], r["recording_partner"]) for r in kept} == {
        ("participation", "job-coaches"),
        ("knm", "knm-house"),
        ("map", "work-partner"),
        ("language", "language-school"),
    }


async def test_pvt_hours_are_recorded_by_the_named_provider_and_count_as_participation(planning):
    """The participatieverklaringstraject (PVT): the agreement names its provider
    (``module_providers``), that partner alone records its hours, which travel as
    participation hours with ``module: pvt`` (B 3.14(5)) and count there in the ledger, the
    projection and the hours export."""
    await planning.feed(
        agreement_recorded(
            DIVISION,
            lead="language-school",
            module_providers=(ModuleProvider(module=CurriculumModule.PVT, partner_id="pvt-desk"),),
        ),
        source=SUPPORT,
    )
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    await planning.runtime.advance_clock(timedelta(days=30))
    path = f"/participants/{ref}/attendance"
    http = planning.http
    pvt = line("participation", 15) | {"teaching_form": "classroom", "module": "pvt"}
    for partner in ("job-coaches", "language-school"):
        refused = await http.post(path, json=pvt, headers=staff_of(partner))
        assert refused.status_code == 403, (partner, refused.text)
        assert "pvt-desk" in refused.json()["error"]
    wrong_kind = line("language", 15) | {"module": "pvt"}
    refused = await http.post(path, json=wrong_kind, headers=staff_of("pvt-desk"))
    assert refused.status_code in (403, 422), refused.text
    recorded = await http.post(path, json=pvt, headers=staff_of("pvt-desk"))
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["module"] == "pvt"
    # The PVT provider records PVT hours, not the job coach's workplace hours.
    workplace = await http.post(path, json=line("participation", 16), headers=staff_of("pvt-desk"))
    assert workplace.status_code == 403
    hours = (await http.get(f"/participants/{ref}/hours")).json()["hours"]
    assert hours["participation"] == 2.0
    [event] = await planning.expect("attendance-recorded", ref)
    assert (event["data"]["kind"], event["data"]["module"]) == ("participation", "pvt")
    plan = (await http.get(f"/participants/{ref}/plan")).json()
    assert plan["projection"]["hours"]["participation"] >= 2.0
    export = (await http.get(f"/programmes/{PROGRAMME}/hours.csv")).text.splitlines()
    header, rows = export[0].split(","), [r.split(",") for r in export[1:]]
    mine = [dict(zip(header, r, strict=True)) for r in rows if r[0] == ref]
    assert [(r["kind"], r["recording_partner"], r["module"], r["hours"]) for r in mine] == [
        ("participation", "pvt-desk", "pvt", "2.00")
    ]
