"""Issue 18 item 4 on support's screens in a real browser: the care partner plans the
intake of an accepted referral with an interpreter, the interpreter partner confirms, and
the referral's row on the referrals screen shows that the interpreter is confirmed (and
for when). axe-core finds no WCAG 2.1 A/AA violation and no raw code, in Dutch and English.
Before: the screen had no interpreter column and no referral intake existed."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import expect
from zroute_contract.events.codes import RouteTask

from tests.support.integration.test_referrals import referred
from tests.support.scenario import RESPONSIBLE
from tests.ui.browser import axe_violations
from tests.ui.conftest import CARE_A
from tests.ui.support_world import support_with_screens


async def test_the_referral_shows_its_confirmed_interpreter(
    services, amqp_connection, issuer, browser
):
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        ref, requested = await referred(scenario, "care-a")
        referral_id = requested["data"]["referral_id"]
        care = scenario.partner("care-a")
        assert (await care.post(f"/referrals/{referral_id}/accept")).status_code == 200
        starts = scenario.runtime.clock.now() + timedelta(days=5)
        planned = await care.put(
            f"/referrals/{referral_id}/intake-appointment", json={"starts_at": starts.isoformat()}
        )
        assert planned.status_code == 200, planned.text
        request_id = planned.json()["interpreter"]["request_id"]
        desk = scenario.partner(RESPONSIBLE[RouteTask.INTERPRETER])
        assert (await desk.post(f"/interpreter-requests/{request_id}/confirm")).status_code == 200

        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/referrals")
        await page.get_by_role("button", name=CARE_A.sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Verwijzingen")
        row = page.get_by_role("row").filter(has_text=ref)
        cell = row.locator("[data-interpreter]")
        await expect(cell).to_have_attribute("data-interpreter", "confirmed")
        await expect(cell).to_contain_text("tolk bevestigd")
        assert await axe_violations(page) == []

        await page.goto(f"{base}/ui/referrals?lang=en")
        await expect(row.locator("[data-interpreter]")).to_contain_text("interpreter confirmed")
        assert await axe_violations(page) == []
        await context.close()
    finally:
        await scenario.close()
