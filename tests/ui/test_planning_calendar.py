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
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import login
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
        await keep_screenshot(page, shots / f"calendar-{name}.png", full_page=True)

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


async def test_the_week_calendar_is_searched_and_paged_in_the_database(
    services, amqp_connection, issuer
):
    """30 dated sessions in a week: 25 a page, a second page with the rest; a search by
    part of a teacher, a room or a participant reference finds theirs; a search that is
    no such part is refused beside its field."""
    planning, base = await start_planning(services, amqp_connection, issuer, ui_cookie_secure=False)
    refs = await fill(planning, 2)
    monday = date(2027, 3, 1)
    for i in range(30):
        await planning.runtime.pool.execute(
            "INSERT INTO planning_calendar_sessions (session_id, programme_id, participant_ref,"
            " session_on, weekday, day_part, starts_at, minutes, teaching_form, kind, staff,"
            " room_id, status) VALUES (gen_random_uuid(), $1, $2, $3, 'monday', 'morning',"
            " '09:00', 120, 'classroom', 'language', $4, $5, 'planned')",
            PROGRAMME,
            refs[0] if i == 7 else f"zr-{i:032x}",
            monday + timedelta(days=i % 5),
            "teacher-anna" if i < 4 else "teacher-bert",
            "room-7" if i % 10 == 0 else "room-1",
        )
    week = {"programme": PROGRAMME, "week": str(monday)}
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        await login(client, "coordinator")
        first = await client.get("/ui/calendar", params=week)
        assert first.status_code == 200, first.text
        assert "30 lessen deze week" in first.text
        assert first.text.count('href="/ui/calendar/sessions/') == 25
        assert "Pagina 1 van 2" in first.text
        second = await client.get("/ui/calendar", params=week | {"page": 2})
        assert second.text.count('href="/ui/calendar/sessions/') == 5

        by_teacher = await client.get("/ui/calendar", params=week | {"q": "anna"})
        assert "4 lessen deze week" in by_teacher.text
        by_room = await client.get("/ui/calendar", params=week | {"q": "room-7"})
        assert "3 lessen deze week" in by_room.text
        by_ref = await client.get("/ui/calendar", params=week | {"q": refs[0][3:15]})
        assert "1 les deze week" in by_ref.text
        bad = await client.get("/ui/calendar", params=week | {"q": "50%"})
        assert bad.status_code == 422 and 'href="#q"' in bad.text
