"""The municipality coordinator in a real browser: the programmes, then one programme's
consultation overview inside the screens' layout, its charts drawn as inline SVG with a
text alternative, and no WCAG 2.1 A/AA violation on either page."""

from __future__ import annotations

from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS, ui_settings

from tests.notifications import world
from tests.notifications.conftest import smtp  # noqa: F401 (the fixture)
from tests.notifications.integration.test_overview import _build_programme
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import free_port


async def test_a_coordinator_reads_a_programmes_consultation_overview(
    services,
    smtp,  # noqa: F811
    amqp_connection,
    issuer,
    browser,
    tmp_path,
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    runtime = await world.start(
        services,
        smtp.port,
        http_port=port,
        **ui_settings(issuer, "notifications", {"notifications": base}),
    )
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    expected = await _build_programme(feed, runtime)
    shots = screenshot_dir(tmp_path)

    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/programmes")
    await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Programma's")
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "notifications-programmes.png", full_page=True)

    await page.get_by_role("link", name=world.PROGRAMME).click()
    await expect(page.locator("#participant-count")).to_have_text(str(expected["participants"]))
    chart = page.locator("#hours-chart")
    await expect(chart).to_have_attribute("role", "img")
    assert await chart.get_attribute("aria-label")
    await expect(page.locator("#hours-chart g.hours-row")).to_have_count(4)
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "notifications-overview.png", full_page=True)
    await context.close()
