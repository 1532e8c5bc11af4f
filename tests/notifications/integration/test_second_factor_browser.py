"""The personal page's second factor in a real browser (Debian's Chromium with
Playwright): the form passes axe-core (WCAG 2.1 A/AA), a wrong date says so, the right
one opens the week, in the browser's own cookie jar (issue 18, item 4)."""

from __future__ import annotations

from playwright.async_api import async_playwright

from tests.notifications.integration.test_second_factor import (
    BORN,
    letter_link,
    page_behind_second_factor,
)
from tests.ui.browser import CHROMIUM, CHROMIUM_ARGS, axe_violations, check_tools


async def test_the_date_of_birth_form_passes_axe_and_opens_the_week_in_a_browser(
    services, smtp, amqp_connection
):
    check_tools()
    _, nt, ref = await page_behind_second_factor(services, smtp)
    _, token = await letter_link(nt, amqp_connection, ref)
    url = f"http://127.0.0.1:{nt.http_port}/p/{token}"

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = await chromium.new_page(viewport={"width": 800, "height": 900})
        response = await page.goto(url)
        assert response is not None and response.status == 200
        assert await page.evaluate("document.querySelectorAll('ul.week li').length") == 0
        asked = await axe_violations(page)

        await page.get_by_label("Geboortedatum").fill("1990-01-01")
        await page.get_by_role("button").click()
        await page.wait_for_selector("[role=alert]")
        wrong = await axe_violations(page)
        assert "Deze datum klopt niet" in await page.inner_text("[role=alert]")

        await page.get_by_label("Geboortedatum").fill(BORN)
        await page.get_by_role("button").click()
        await page.wait_for_selector("ul.week li")
        assert await page.evaluate("document.querySelectorAll('ul.week li').length") == 6
        await chromium.close()
    assert asked == [] and wrong == []
