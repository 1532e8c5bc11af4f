"""The dated calendar on screen (issue 16 point 5), in Debian's Chromium on the real
planning service and login: the week calendar shows a programme's dated sessions with
teacher and room, a session's page shows who substitutes, and a planner cancels a session
from it (the participants are told); axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.async_api import expect
from zroute_runtime.auth import Role
from zroute_ui.testing import DEMO_USERS

from tests.helpers import token
from tests.planning.events import PROGRAMME
from tests.ui.browser import axe_violations, screenshot_dir
from tests.ui.test_planning import TEACHING_PARTNER, fill, start_planning


async def test_a_planner_sees_the_dated_week_and_cancels_a_session_in_a_browser(
    services, amqp_connection, issuer, browser, tmp_path
):
    planning, base = await start_planning(services, amqp_connection, issuer)
    members = await fill(planning, 3)
    api = httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token([Role.COORDINATOR])}"}
    )
    assert (await api.post("/group-formations", json={})).status_code == 200
    [group] = (await api.get("/groups")).json()
    start = date.fromisoformat(group["starts_on"])
    slots = [{"weekday": s["weekday"], "day_part": s["day_part"]} for s in group["sessions"]]
    for staff_id in (group["teacher"], "sub-1"):
        body = {"partner_id": TEACHING_PARTNER, "qualifications": ["nt2"], "availability": slots}
        assert (
            await api.put(f"/programmes/{PROGRAMME}/staff/{staff_id}", json=body)
        ).status_code == 200
    room = {"location_id": "school-centre", "capacity": 8}
    assert (await api.put(f"/programmes/{PROGRAMME}/rooms/room-1", json=room)).status_code == 200
    # The third week: every member's plan has started by then (their sessions, their news).
    monday = start + timedelta(days=14) - timedelta(days=(start + timedelta(days=14)).weekday())
    days = {"from_on": str(start), "to_on": str(start + timedelta(days=27))}
    assert (await api.post(f"/programmes/{PROGRAMME}/calendar", json=days)).status_code == 200
    ill = {"from_on": str(monday), "to_on": str(monday + timedelta(days=6)), "reason": "illness"}
    assert (await api.post(f"/staff/{group['teacher']}/leave", json=ill)).status_code == 201
    await api.aclose()

    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    visited: dict[str, list] = {}

    async def audit(name: str) -> None:
        visited[name] = await axe_violations(page)
        await page.screenshot(path=str(shots / f"calendar-{name}.png"), full_page=True)

    await page.goto(f"{base}/ui/calendar?programme={PROGRAMME}&week={monday}")
    await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
    week = page.get_by_role("table", name="Lessen met datum, docent, lokaal en stand")
    await expect(week.locator("tbody tr")).to_have_count(len(group["sessions"]))
    await expect(week).to_contain_text("room-1")
    await audit("week")

    await week.get_by_role("link").first.click()
    facts = page.locator("#session-facts")
    await expect(facts).to_contain_text("sub-1")
    await expect(facts).to_contain_text(f"vervangt {group['teacher']}")
    await audit("session")

    await page.get_by_role("button", name="Les laten vervallen").click()
    await expect(page.get_by_role("alert")).to_contain_text("Kies de reden.")
    await audit("session-refused")
    await page.get_by_label("Waarom de les vervalt").select_option("staff_ill")
    await page.get_by_role("button", name="Les laten vervallen").click()
    await expect(page.get_by_role("status")).to_contain_text("De les vervalt")
    await expect(facts).to_contain_text("vervalt")
    await audit("session-cancelled")
    await context.close()

    told = await planning.expect("session-cancelled", count=3)
    assert {e["subject"] for e in told} == set(members)
    assert {name: v for name, v in visited.items() if v} == {}
