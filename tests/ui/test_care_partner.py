"""A care partner's staff member accepts, begins and completes a referral in a real
browser, on the support service's screens; every action is a form with the CSRF token,
the events the API would emit are emitted, and axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

from playwright.async_api import expect

from tests.support.integration.test_referrals import referred
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import CARE_A
from tests.ui.support_world import support_with_screens


async def test_a_care_partner_accepts_begins_and_completes_a_referral(
    services, amqp_connection, issuer, browser, tmp_path
):
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        ref, _ = await referred(scenario, "care-a")
        shots = screenshot_dir(tmp_path)
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/referrals")
        await page.get_by_role("button", name=CARE_A.sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Verwijzingen")
        row = page.get_by_role("row").filter(has_text=ref)
        await expect(row).to_contain_text("aangevraagd")
        assert await axe_violations(page) == []
        await keep_screenshot(page, shots / "support-referrals.png", full_page=True)

        await row.get_by_role("button", name="Accepteren").click()
        await expect(page.get_by_role("status")).to_have_text("De verwijzing is geaccepteerd.")
        await expect(row).to_contain_text("geaccepteerd")
        await row.get_by_role("button", name="Beginnen").click()
        await expect(row).to_contain_text("bezig")
        await row.get_by_label("Uitkomst").select_option("goal_reached")
        await row.get_by_role("button", name="Afronden").click()
        await expect(page.get_by_role("status")).to_have_text("De verwijzing is afgerond.")
        await expect(row).to_contain_text("afgerond")
        assert await axe_violations(page) == []
        await context.close()

        for name in ("referral-accepted", "referral-completed"):
            [event] = await scenario.emitted(name, participant_ref=ref)
            assert event["data"]["partner_id"] == "care-a"
    finally:
        await scenario.close()
