"""The care coordinator's referral board in a real browser: the referrals counted by
status and urgency, filtered, and the time to acceptance drawn as an inline SVG chart
whose figures are also its text alternative; axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS

from tests.support.integration.test_referrals import referred
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.support_world import support_with_screens


async def test_a_coordinator_reads_the_referral_board_by_status_urgency_and_lead_time(
    services, amqp_connection, issuer, browser, tmp_path
):
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        accepted_ref, requested = await referred(scenario, "care-a")
        waiting_ref, _ = await referred(scenario, "care-a")
        await scenario.runtime.advance_clock(timedelta(hours=5))
        rid = requested["data"]["referral_id"]
        answer = await scenario.partner("care-a").post(f"/referrals/{rid}/accept")
        assert answer.status_code == 200, answer.text
        shots = screenshot_dir(tmp_path)

        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/referral-board")
        await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Verwijzingenbord")
        counts = page.get_by_role("table", name="Aantal verwijzingen naar status en urgentie")
        await expect(counts.get_by_role("row").filter(has_text="geaccepteerd")).to_contain_text("1")
        chart = page.locator("#lead-time-chart")
        await expect(chart).to_have_attribute("role", "img")
        await expect(page.locator("#lead-time-desc")).to_have_text("dringend: 5,0 uur")
        await expect(page.locator("#lead-time-chart g.lead-time-row")).to_have_count(1)
        assert await axe_violations(page) == []
        await keep_screenshot(page, shots / "support-referral-board.png", full_page=True)

        await page.get_by_label("Status").select_option("requested")
        await page.get_by_role("button", name="Filteren").click()
        listed = page.get_by_role("table", name="Verwijzingen, de dringendste eerst")
        await expect(listed.get_by_role("row").filter(has_text=waiting_ref)).to_have_count(1)
        await expect(listed.get_by_role("row").filter(has_text=accepted_ref)).to_have_count(0)
        assert await axe_violations(page) == []
        await context.close()
    finally:
        await scenario.close()
