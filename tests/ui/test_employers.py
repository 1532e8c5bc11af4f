"""The employer registry's screen (issue 17) in a real browser: the coordinator reads the
registered employers, is told in place what is missing from the form, registers one, and
the API finds it (a placement may then name it). axe-core finds no WCAG 2.1 A/AA
violation on the page, with or without errors."""

from __future__ import annotations

from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS

from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.support_world import support_with_screens


async def test_the_coordinator_registers_an_employer_on_the_screen(
    services, amqp_connection, issuer, browser, tmp_path
):
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.register_employers("bakery-de-ster")
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/employers")
        await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Werkgevers")
        await expect(page.get_by_role("row").filter(has_text="bakery-de-ster")).to_contain_text(
            "contact@bakery-de-ster.example"
        )
        assert await axe_violations(page) == []

        await page.get_by_role("button", name="Werkgever registreren").click()  # nothing filled in
        await expect(page.get_by_role("alert")).to_contain_text("Vul de naam van de werkgever in.")
        await expect(page.get_by_label("Id van de werkgever")).to_have_attribute(
            "aria-invalid", "true"
        )
        assert await axe_violations(page) == []

        await page.get_by_label("Id van de werkgever").fill("kringloop-west")
        await page.get_by_label("Naam").fill("Kringloop West")
        await page.get_by_label("Gemeente").fill("GM0363")
        await page.get_by_label("E-mailadres voor plaatsingen").fill("werk@kringloop.example")
        await page.get_by_role("button", name="Werkgever registreren").click()
        await expect(page.get_by_role("status")).to_have_text("De werkgever is geregistreerd.")
        await expect(page.get_by_role("row").filter(has_text="kringloop-west")).to_contain_text(
            "Kringloop West"
        )
        assert await axe_violations(page) == []
        await keep_screenshot(page, screenshot_dir(tmp_path) / "support-employers.png")
        found = await scenario.client().get("/employers/kringloop-west")
        assert found.status_code == 200 and found.json()["registered_by"]
        await context.close()
    finally:
        await scenario.close()
