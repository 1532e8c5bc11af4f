"""The care coordinator in a real browser on the support service's screens: the partners
with their capacities, then the agreement editor (tasks by partners); a partner without
the capability for a task is refused by the API's own command and the problem is shown
beside that task, linked from the error summary. axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS

from tests.support.scenario import PROGRAMME
from tests.ui.browser import axe_violations, screenshot_dir
from tests.ui.support_world import support_with_screens


async def test_a_coordinator_edits_the_agreement_and_sees_a_validation_error_in_place(
    services, amqp_connection, issuer, browser, tmp_path
):
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        shots = screenshot_dir(tmp_path)
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/partners")
        await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Partners")
        await expect(page.get_by_role("row").filter(has_text="care-a")).to_contain_text(
            "geestelijke gezondheidszorg"
        )
        assert await axe_violations(page) == []
        await page.screenshot(path=str(shots / "support-partners.png"), full_page=True)

        await page.goto(f"{base}/ui/agreements")
        await page.get_by_role("link", name=PROGRAMME).click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text(PROGRAMME)
        await expect(
            page.get_by_label("school doet kennis van de Nederlandse maatschappij")
        ).to_be_checked()
        assert await axe_violations(page) == []

        await page.get_by_label("Eerste dag", exact=True).fill("2028-01-01")
        await page.get_by_label("care-b doet kennis van de Nederlandse maatschappij").check()
        await page.get_by_role("button", name="Deze versie vastleggen").click()

        summary = page.get_by_role("alert")
        await expect(summary).to_contain_text("Deze partner kan deze taak niet uitvoeren.")
        row = page.get_by_role("row").filter(has_text="kennis van de Nederlandse maatschappij")
        await expect(row).to_contain_text("Deze partner kan deze taak niet uitvoeren.")
        choice = page.get_by_label("care-b doet kennis van de Nederlandse maatschappij")
        await expect(choice).to_be_checked()  # the user's choice is kept
        await expect(page.locator("#task-knm")).to_have_attribute("aria-invalid", "true")
        await summary.get_by_role(
            "link",
            name="kennis van de Nederlandse maatschappij: Deze partner kan deze taak niet uitvoeren.",
        ).click()
        await expect(page).to_have_url(f"{base}/ui/agreements/{PROGRAMME}#task-knm")
        assert await axe_violations(page) == []
        await page.screenshot(path=str(shots / "support-agreement-errors.png"), full_page=True)
        await context.close()

        versions = (await scenario.client().get(f"/programmes/{PROGRAMME}/agreements")).json()
        assert len(versions) == 1  # nothing recorded
    finally:
        await scenario.close()
