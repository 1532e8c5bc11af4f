"""The interpreter partner and the care coordinator on support's screens in a real browser
(issue 18 item 4, issue 19): the interpreter partner's staff read their interpreter
requests, confirm one, are told in place that a decline needs a reason, and decline the
other with one (the API's own commands: the events are emitted); the coordinator reads a
participant's lead partner, is refused without a reason, and sets one with a reason.
axe-core finds no WCAG 2.1 A/AA violation on the pages, in Dutch and in English."""

from __future__ import annotations

from playwright.async_api import expect
from zroute_support.bootstrap import definition
from zroute_support.settings import Settings
from zroute_ui.testing import DEMO_USERS, ui_settings

from tests.helpers import capture
from tests.support.integration.test_interpreters import _meeting
from tests.support.scenario import Scenario
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import INTERPRETERS, free_port


async def _support(services, amqp_connection, issuer):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = services.settings(
        Settings, http_port=port, **ui_settings(issuer, "support", {"support": base})
    )
    runtime = await services.start(definition(settings), settings)
    seen = await capture(amqp_connection, runtime.topology.exchange)
    return Scenario(runtime, seen, amqp_connection), base


async def test_the_interpreter_partner_confirms_and_declines_requests_on_the_screen(
    services, amqp_connection, issuer, browser, tmp_path
):
    scenario, base = await _support(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        refs = [await scenario.participant() for _ in range(2)]
        for ref in refs:
            await scenario.feed(_meeting(ref))
        ids = {}
        for ref in refs:
            [requested] = await scenario.emitted("interpreter-requested", participant_ref=ref)
            ids[ref] = requested["data"]["request_id"]
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/interpreter-requests")
        await page.get_by_role("button", name=INTERPRETERS.sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Tolkverzoeken")
        table = page.get_by_role("table", name="Gevraagde tolken voor intakes")
        await expect(table.locator("tbody tr")).to_have_count(2)
        first, second = (table.get_by_role("row").filter(has_text=ref) for ref in refs)
        await expect(first).to_contain_text("voortgangsgesprek 1")
        await expect(first).to_contain_text("aangevraagd")
        assert await axe_violations(page) == []

        await first.get_by_role("button", name=f"De tolk bevestigen voor {refs[0]}").click()
        await expect(page.get_by_role("status")).to_have_text("De tolk is bevestigd.")
        await expect(first).to_contain_text("bevestigd")
        [confirmed] = await scenario.emitted("interpreter-confirmed", request_id=ids[refs[0]])
        assert confirmed["data"]["confirmed_by"] == INTERPRETERS.sub

        decline = f"Het verzoek weigeren voor {refs[1]}"
        await second.get_by_role("button", name=decline).click()  # no reason chosen
        await expect(page.get_by_role("status")).to_contain_text("Kies waarom u het verzoek")
        assert scenario.seen.of_type("nl.zroute.support.interpreter-declined.v1") == []
        await second.get_by_label("Reden").select_option("too_short_notice")
        await second.get_by_role("button", name=decline).click()
        await expect(page.get_by_role("status")).to_have_text("Het verzoek is geweigerd.")
        await expect(second).to_contain_text("geweigerd (te kort dag)")
        await scenario.emitted("interpreter-declined", request_id=ids[refs[1]])
        assert await axe_violations(page) == []
        await keep_screenshot(page, screenshot_dir(tmp_path) / "support-interpreters.png")

        await page.goto(f"{base}/ui/interpreter-requests?lang=en")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Interpreter requests")
        assert await axe_violations(page) == []
        await context.close()
    finally:
        await scenario.close()


async def test_the_coordinator_reads_and_sets_a_participants_lead_partner_on_the_screen(
    services, amqp_connection, issuer, browser, tmp_path
):
    scenario, base = await _support(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        ref = await scenario.participant()
        await scenario.feed(_meeting(ref))
        await scenario.emitted("interpreter-requested", participant_ref=ref)
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        # From the interpreter requests (the coordinator reads them, cannot answer them)
        # to the participant's lead partner.
        await page.goto(f"{base}/ui/interpreter-requests")
        await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Tolkverzoeken")
        row = page.get_by_role("row").filter(has_text=ref)
        await expect(row.get_by_role("button")).to_have_count(0)
        assert await axe_violations(page) == []
        await row.get_by_role("link", name=ref).click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text("Hoofdpartner")
        facts = page.locator("#lead-partner")
        await expect(facts).to_contain_text("nee, die van het programma")
        assert await axe_violations(page) == []

        await page.get_by_label("Partner", exact=True).fill("work-a")
        await page.get_by_role("button", name="Hoofdpartner instellen").click()  # no reason
        await expect(page.get_by_role("alert")).to_contain_text("Kies waarom u de hoofdpartner")
        await expect(page.get_by_label("Reden")).to_have_attribute("aria-invalid", "true")
        await expect(page.get_by_label("Partner", exact=True)).to_have_value("work-a")
        assert await axe_violations(page) == []
        assert scenario.seen.of_type("nl.zroute.support.lead-partner-set.v1") == []

        await page.get_by_label("Reden").select_option("continuity_of_care")
        await page.get_by_role("button", name="Hoofdpartner instellen").click()
        await expect(page.get_by_role("status")).to_have_text("De hoofdpartner is ingesteld.")
        await expect(facts).to_contain_text("work-a")
        await expect(facts).to_contain_text("ja")
        await scenario.emitted("lead-partner-set", participant_ref=ref)
        assert await axe_violations(page) == []
        await keep_screenshot(page, screenshot_dir(tmp_path) / "support-lead-partner.png")

        await page.goto(f"{base}/ui/participants/{ref}/lead-partner?lang=en")
        await expect(page.get_by_role("heading", level=1)).to_contain_text("Lead partner")
        assert await axe_violations(page) == []
        await context.close()
    finally:
        await scenario.close()
