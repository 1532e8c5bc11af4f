"""Roll-call per session for the teacher, on the real planning service, broker, database
and login: the planner forms the groups, a teacher signs in, opens a group's session, takes the
roll-call (a refused line shows its reasons in place), and the ledger records it once;
axe-core finds no WCAG 2.1 A/AA violation on the pages visited."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS

from tests.planning.events import PROGRAMME
from tests.ui.browser import axe_violations, focus_visible, keep_screenshot, screenshot_dir, tab_to
from tests.ui.conftest import login
from tests.ui.test_planning import fill, start_planning


async def formed(services, amqp_connection, issuer):
    """Planning with four plans in one group formed by the municipality's planner, three
    weeks on (the plans have started); returns the helper, the base URL and the refs."""
    planning, base = await start_planning(services, amqp_connection, issuer, ui_cookie_secure=False)
    refs = sorted(await fill(planning, 4))
    async with httpx.AsyncClient(base_url=base, timeout=10) as planner:
        await login(planner, "coordinator")  # the municipality's planner forms the groups
        groups = await planner.get("/ui/groups")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', groups.text).group(1)
        data = {"csrf_token": csrf, "formation-programme": PROGRAMME}
        assert (await planner.post("/ui/group-formations", data=data)).status_code == 303
    await planning.expect("group-formed")
    await planning.runtime.advance_clock(timedelta(days=21))  # the plans have started
    return planning, base, refs


async def test_a_teacher_opens_a_groups_session_and_takes_the_roll_call_in_a_browser(
    services, amqp_connection, issuer, browser, tmp_path
):
    planning, base, refs = await formed(services, amqp_connection, issuer)
    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    visited: dict[str, list] = {}

    async def audit(name: str) -> None:
        visited[name] = await axe_violations(page)
        await keep_screenshot(page, shots / f"planning-{name}.png", full_page=True)

    await page.goto(f"{base}/ui/groups")
    await page.get_by_role("button", name=DEMO_USERS["teacher"].sub).click()
    await page.get_by_role("link", name="Presentie", exact=False).first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Presentie")
    sessions = page.get_by_role("table", name="De lessen van de groep in de laatste twee weken")
    await expect(sessions.locator("tbody tr").first).to_be_visible()
    # The group's members: here without intake, so each is its reference with the reason.
    members = page.get_by_role("list", name="De deelnemers van de groep")
    await expect(members.get_by_role("listitem")).to_have_count(4)
    await expect(members.get_by_role("listitem").first).to_contain_text("(intake niet beschikbaar)")
    await audit("sessions")
    await sessions.locator("tbody tr").first.get_by_role("link").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Presentie")
    lines = page.get_by_role("table", name="Wie er was: één regel per deelnemer")
    await expect(lines.locator("tbody tr")).to_have_count(4)
    await audit("roll-call")

    await page.get_by_label(f"Minuten aanwezig {refs[0]}").fill("90")
    await page.get_by_label(f"Aanwezigheid {refs[1]}").select_option("absent_with_reason")
    await page.get_by_label(f"Aanwezigheid {refs[2]}").select_option("absent_without_reason")
    await page.get_by_label(f"Minuten aanwezig {refs[3]}").fill("900")
    await page.get_by_role("button", name="Presentie vastleggen").click()
    await expect(page.locator("#minutes-3-error")).to_contain_text("heel getal")
    await page.get_by_label(f"Minuten aanwezig {refs[3]}").fill("400")
    await page.get_by_role("button", name="Presentie vastleggen").click()
    await expect(page.locator("#minutes-3-error")).to_contain_text("van 1 tot en met")
    await expect(page.locator("#reason-1-error")).to_contain_text("Kies de reden")
    await expect(page.locator("#reason-1")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alert")).to_contain_text("Er is een probleem")
    await expect(page.get_by_label(f"Minuten aanwezig {refs[0]}")).to_have_value("90")
    await audit("roll-call-refused")
    assert planning.events("attendance-recorded") == []

    await page.get_by_label(f"Reden van afwezigheid {refs[1]}").select_option("illness")
    await page.get_by_label(f"Minuten aanwezig {refs[3]}").fill("60")
    await page.get_by_role("button", name="Presentie vastleggen").click()
    await expect(page.get_by_role("status")).to_have_text("De presentie is vastgelegd.")
    await context.close()

    recorded = {e["subject"]: e for e in await planning.expect("attendance-recorded", count=4)}
    assert {ref: recorded[ref]["data"]["hours"] for ref in refs} == {
        refs[0]: 1.5,
        refs[1]: 0.0,
        refs[2]: 0.0,
        refs[3]: 1.0,
    }
    assert {name: v for name, v in visited.items() if v} == {}
    assert len(visited) == 3


async def test_the_roll_call_journey_works_with_tab_and_enter_alone_with_the_focus_visible(
    services, amqp_connection, issuer, browser, tmp_path
):
    planning, base, refs = await formed(services, amqp_connection, issuer)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    stops: list[str] = []

    async def go(selector: str) -> None:
        await tab_to(page, selector)
        assert await focus_visible(page), selector
        stops.append(selector)
        await page.keyboard.press("Enter")

    await page.goto(f"{base}/ui/")
    await go(f"button[value='{DEMO_USERS['teacher'].sub}']")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Planning")
    await page.keyboard.press("Tab")  # the first stop is the skip link, shown when focused
    assert await page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert await focus_visible(page)
    await go("a.zr-nav__screen[href$='/ui/groups']")  # from the menu
    await expect(page.get_by_role("heading", level=1)).to_have_text("Groepen")
    await go("a[href$='/sessions']")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Presentie")
    await go("main a[href*='/sessions/']")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Presentie 20")
    await go("button[type='submit'].utrecht-button--primary-action")  # everyone present
    await expect(page.get_by_role("status")).to_have_text("De presentie is vastgelegd.")
    assert await axe_violations(page) == []
    await keep_screenshot(page, screenshot_dir(tmp_path) / "planning-keyboard.png")
    await context.close()

    recorded = await planning.expect("attendance-recorded", count=4)
    assert sorted(e["subject"] for e in recorded) == refs
    assert {e["data"]["hours"] for e in recorded} == {2.5}  # the whole session each
    assert len(stops) == 5
