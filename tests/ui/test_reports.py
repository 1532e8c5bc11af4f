"""The management report as a page, on the real intake service, database and login: a
participant with an established PIP and one just registered; in Chromium the
coordinator opens the report from the menu: the phases as an inline SVG chart whose text
alternative carries the same figures as the table beside it, the deadlines, hours,
meetings and referrals as tables; the CSV downloads on the same login; axe-core finds no
WCAG 2.1 A/AA violation."""

from __future__ import annotations

import httpx
from playwright.async_api import expect
from zroute_runtime.clock import local_day
from zroute_ui.testing import DEMO_USERS

from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register
from tests.intake.integration.test_pip import content
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir


async def test_the_coordinator_reads_the_management_report_as_a_chart_and_tables(
    start_intake, browser, tmp_path
):
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await complete(api, runtime, ref)
        today = str(local_day(runtime.clock.now()))
        ok(await api.put(f"/participants/{ref}/pip/draft", json=content()))
        ok(await api.post(f"/participants/{ref}/pip/establishment", json={"dated": today}))
        await register(api)
    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/reports/management")
    await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Managementrapportage")

    chart = page.locator("#phase-chart")
    await expect(chart.locator('g[data-phase="on_route"]')).to_have_attribute("data-count", "1")
    await expect(chart.locator('g[data-phase="registered"]')).to_have_attribute("data-count", "1")
    await expect(page.locator("#phase-desc")).to_contain_text("op de route: 1")
    table = page.get_by_role("table", name="Deelnemers naar fase")
    await expect(table.locator("tbody tr").filter(has_text="op de route")).to_contain_text("1")
    meetings = page.get_by_role("table", name="Voortgangsgesprekken gehouden tegen gepland")
    await expect(meetings.locator("tbody tr").first).to_contain_text("4")
    hours = page.get_by_role("table", name="Uren van deelnemers met een PIP")
    await expect(hours.locator("tbody tr")).to_have_count(1)
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-report.png", full_page=True)

    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Downloaden als CSV").click()
    download = await download_info.value
    text = (await download.path()).read_text(encoding="utf-8")
    assert text.startswith("section,item,participant_ref,value")
    assert "phase,on_route,,1" in text
    await context.close()
