"""Maatwerk modules that count (issue 16 item 4) over HTTP: the intake's goals put a
module on the plan; the caseworker or the school adds or removes one with a reason, with
hours and a provider, and records its completion; module-changed is published."""

from __future__ import annotations

from zroute_runtime.auth import Role

from tests.helpers import token
from tests.planning.integration.conftest import intake_completed

CASEWORKER = {"Authorization": f"Bearer {token([Role.CASEWORKER], subject='cw-1')}"}
WHY = "agreed at the progress meeting"


async def test_modules_are_added_removed_and_completed_with_a_reason(planning):
    intake = intake_completed()
    ref = intake.participant_ref
    await planning.activate(intake)
    path = f"/participants/{ref}/modules"
    listed = (await planning.http.get(path)).json()
    assert {m["module"]: m["customised"] for m in listed}["digital_skills"] is True
    body = {"module": "financial_self_reliance", "provider_id": "budget-coach", "hours": 20}
    # The coordinator neither adds nor removes (the caseworker and the school do).
    assert (await planning.http.post(path, json=body | {"reason": WHY})).status_code == 403
    no_reason = await planning.http.post(path, json=body, headers=CASEWORKER)
    assert no_reason.status_code == 422
    added = await planning.http.post(path, json=body | {"reason": WHY}, headers=CASEWORKER)
    assert added.status_code == 201, added.text
    row = {m["module"]: m for m in added.json()}["financial_self_reliance"]
    assert (row["provider_id"], row["hours"]) == ("budget-coach", 20.0)
    core = await planning.http.post(path, json={"module": "knm", "reason": WHY}, headers=CASEWORKER)
    assert core.status_code == 422 and "core module" in core.json()["error"]
    done = await planning.http.post(
        f"{path}/digital_skills/completion", json={"hours": 12}, headers=CASEWORKER
    )
    assert done.status_code == 200, done.text
    assert {m["module"]: m for m in done.json()}["digital_skills"]["completed_hours"] == 12.0
    removed = await planning.http.post(
        f"{path}/financial_self_reliance/removal", json={"reason": WHY}, headers=CASEWORKER
    )
    assert removed.status_code == 200, removed.text
    assert "financial_self_reliance" not in {m["module"] for m in removed.json()}
    changes = await planning.expect("module-changed", ref, 3)
    assert [e["data"]["change"] for e in changes] == ["added", "completed", "removed"]
    plan = (await planning.http.get(f"/participants/{ref}/plan")).json()
    assert "financial_self_reliance" not in plan["modules"]
