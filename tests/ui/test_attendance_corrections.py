"""Attendance corrections and the hours export on planning's screens, on the real planning
service, broker, database and login: a teacher records a line, meets the refusals in place,
corrects the line (the page then shows the old and the new value, who and when, and the
event carries both); the planner downloads the programme's hours export from the plans
page, which the teacher may not. axe-core finds no WCAG 2.1 A/AA violation (nor a raw
code) on the pages visited."""

from __future__ import annotations

from datetime import timedelta

import httpx
from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS

from tests.planning.events import PROGRAMME
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import login
from tests.ui.test_planning import fill, start_planning


async def test_a_teacher_corrects_a_recorded_line_and_the_planner_exports_the_hours(
    services, amqp_connection, issuer, browser, tmp_path
):
    planning, base = await start_planning(services, amqp_connection, issuer, ui_cookie_secure=False)
    [ref] = await fill(planning, 1)
    await planning.runtime.advance_clock(timedelta(days=21))  # the plan has started
    shots = screenshot_dir(tmp_path)
    visited: dict[str, list] = {}
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()

    async def audit(name: str) -> None:
        visited[name] = await axe_violations(page)
        await keep_screenshot(page, shots / f"attendance-{name}.png", full_page=True)

    await page.goto(f"{base}/ui/plans/{ref}")
    await page.get_by_role("button", name=DEMO_USERS["teacher"].sub).click()
    await page.get_by_role("link", name="Presentie en correcties").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)
    await expect(page.get_by_text("Nog geen presentie vastgelegd.")).to_be_visible()
    await audit("empty")

    # A line to correct: without an agreement the teaching partner records every kind.
    await page.get_by_label("Minuten gewerkt").fill("900")
    await page.get_by_role("button", name="Werkplekuren vastleggen").click()
    await expect(page.locator("#wp-minutes-error")).to_contain_text("van 1 tot en met 480")
    await expect(page.get_by_role("alert")).to_contain_text("Er is een probleem")
    await audit("refused")
    await page.get_by_label("Minuten gewerkt").fill("120")
    await page.get_by_role("button", name="Werkplekuren vastleggen").click()
    await expect(page.get_by_role("status")).to_have_text("De werkplekuren zijn vastgelegd.")
    [recorded] = await planning.expect("attendance-recorded")
    assert recorded["data"]["hours"] == 2.0

    await page.get_by_text("Deze regel corrigeren").click()
    await page.get_by_label("Nieuwe presentie").select_option("absent_with_reason")
    await page.get_by_label("Reden van afwezigheid").select_option("illness")
    await page.get_by_role("button", name="Correctie vastleggen").click()  # no reason why
    await expect(page.get_by_role("alert")).to_contain_text("Kies waarom de regel")
    await expect(page.get_by_label("Waarom de regel wordt gecorrigeerd")).to_have_attribute(
        "aria-invalid", "true"
    )
    await expect(page.get_by_label("Nieuwe presentie")).to_have_value("absent_with_reason")
    await audit("correction-refused")
    assert planning.events("attendance-corrected") == []

    await page.get_by_label("Waarom de regel wordt gecorrigeerd").select_option("data_entry_error")
    await page.get_by_label("Toelichting (niet verplicht)").fill("ziek gemeld bij de coach")
    await page.get_by_role("button", name="Correctie vastleggen").click()
    await expect(page.get_by_role("status")).to_have_text("De regel is gecorrigeerd.")
    history = page.get_by_role("table", name="Correcties van deze regel, oudste eerst")
    row = history.locator("tbody tr")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("aanwezig, 2,00 uur")
    await expect(row).to_contain_text("afwezig met reden, 0,00 uur")
    await expect(row).to_contain_text(DEMO_USERS["teacher"].sub)
    await expect(row).to_contain_text("verkeerd ingevoerd")
    await audit("corrected")
    await context.close()

    [corrected] = await planning.expect("attendance-corrected")
    assert corrected["data"]["old_hours"] == 2.0 and corrected["data"]["new_hours"] == 0.0
    assert {name: v for name, v in visited.items() if v} == {}
    assert len(visited) == 4

    async with httpx.AsyncClient(base_url=base, timeout=10) as planner:
        await login(planner, "coordinator")
        plans = await planner.get("/ui/plans")
        link = f"/ui/programmes/{PROGRAMME}/hours.xlsx"
        assert link in plans.text and f"/ui/programmes/{PROGRAMME}/hours.csv" in plans.text
        xlsx = await planner.get(link)
        assert xlsx.status_code == 200, xlsx.text
        assert xlsx.content[:2] == b"PK"  # a zip: the spreadsheet
        csv = await planner.get(f"/ui/programmes/{PROGRAMME}/hours.csv")
        assert csv.status_code == 200 and ref not in csv.text  # the line is now absent
    async with httpx.AsyncClient(base_url=base, timeout=10) as teacher:
        await login(teacher, "teacher")
        assert "hours.xlsx" not in (await teacher.get("/ui/plans")).text
        refused = await teacher.get(f"/ui/programmes/{PROGRAMME}/hours.csv")
        assert refused.status_code == 403
