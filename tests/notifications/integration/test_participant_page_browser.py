"""The personal page in a real browser (Debian's Chromium with Playwright): no WCAG 2.1
A/AA violation that axe-core finds, laid out right to left in Arabic; its screenshot is
docs/screenshots/participant-page-ar.png (ZROUTE_TEST_SCREENSHOTS=docs/screenshots)."""

from __future__ import annotations

from playwright.async_api import async_playwright

from tests.notifications import world
from tests.notifications.participants import opened_link, participant, put_contact, schedule
from tests.ui.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    axe_violations,
    check_tools,
    keep_screenshot,
    screenshot_dir,
)


async def test_the_arabic_personal_page_passes_axe_and_reads_right_to_left(
    services, smtp, amqp_connection, tmp_path
):
    check_tools()
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await put_contact(runtime)
    ref = await participant(feed, runtime, "ar")
    await feed.publish(schedule(ref))
    await feed.all_handled(runtime)
    _, token = await opened_link(runtime, ref)

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = await chromium.new_page(viewport={"width": 800, "height": 900})
        response = await page.goto(f"http://127.0.0.1:{runtime.http_port}/p/{token}")
        assert response is not None and response.status == 200
        direction = await page.evaluate("getComputedStyle(document.querySelector('h1')).direction")
        assert direction == "rtl"
        assert await page.evaluate("document.querySelectorAll('ul.week li').length") == 6
        violations = await axe_violations(page)
        await keep_screenshot(
            page, screenshot_dir(tmp_path) / "participant-page-ar.png", full_page=True
        )
        await chromium.close()
    assert violations == []
