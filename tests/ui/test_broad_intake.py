"""The broad intake's written record (issue 15 point 4, B 5.2) on the caseworker's screen,
on the real intake service, database and login: in Chromium the caseworker opens it from
the dossier, meets the errors in place (a deadline before its call, no reason), then
records two calls (a no-show, then a call after a written warning), the learnability
test's result and advice, schooling and work history, prospects, self-reliance and the
choice to hold the talks alone; the page shows them back, the API's outcome carries them
with the acting user, and axe-core finds no WCAG 2.1 A/AA violation on any of the pages.
A coordinator reads the record but gets no form. (Who else may open it:
tests/ui/test_page_access.py, generated from the pages.)"""

from __future__ import annotations

import httpx
from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS

from tests.intake import builders
from tests.intake.integration.flow import complete, register
from tests.ui.browser import axe_violations, keep_screenshot, overlapping_labels, screenshot_dir


async def test_a_caseworker_records_the_summonses_test_and_history_of_the_broad_intake(
    start_intake, browser, tmp_path
):
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await complete(api, runtime, ref)
    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/participants/{ref}")
    await page.get_by_role("button", name=DEMO_USERS["caseworker"].sub).click()
    await page.get_by_role("link", name="De brede intake: oproepen").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Brede intake")
    await expect(page.get_by_text("Geen oproepen vastgelegd.")).to_be_visible()
    assert await axe_violations(page) == []

    # A deadline before its call, and no reason: both errors in place, nothing saved.
    await page.locator("#summons-1-summoned_on").fill("2027-01-05")
    await page.locator("#summons-1-respond_by").fill("2027-01-01")
    await page.locator("#summons-1-attended").select_option("no")
    await page.get_by_role("button", name="Verslag opslaan").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Vul de uiterste datum in, op of na de dag")
    await expect(summary).to_contain_text("Kies waarom het verslag verandert")
    await expect(page.locator("#summons-1-respond_by")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#reason")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#summons-1-respond_by")).to_have_value(
        "01-01-2027"
    )  # kept, day-month-year
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-broad-intake-errors.png", full_page=True)

    # A second call after a no-show must follow a written warning (W 14(2)).
    await page.locator("#summons-1-respond_by").fill("2027-01-12")
    await page.locator("#summons-2-summoned_on").fill("2027-01-14")
    await page.locator("#summons-2-respond_by").fill("2027-01-21")
    await page.locator("#summons-2-attended").select_option("yes")
    await page.locator("#reason").select_option("new_information")
    await page.get_by_role("button", name="Verslag opslaan").click()
    await expect(page.get_by_role("alert")).to_contain_text("schriftelijke waarschuwing")
    await expect(page.locator("#summons-2-after_warning")).to_have_attribute("aria-invalid", "true")

    await page.locator("#summons-2-after_warning").select_option("yes")
    await page.locator("#test-taken_on").fill("2027-01-20")
    await page.locator("#test-result").select_option("low")
    await page.locator("#test-advised_route").select_option("z_route")
    await page.locator("#schooling_years").fill("6")
    await page.locator("#schooling_level").select_option("primary")
    await page.locator("#work_experience_years").fill("3")
    await page.locator("#work_prospects").select_option("long_term")
    await page.locator("#self_reliance").select_option("moderate")
    await page.locator("#talks_alone").select_option("yes")
    await page.locator("#reason").select_option("new_information")
    await page.get_by_role("button", name="Verslag opslaan").click()
    await expect(page.get_by_role("status")).to_contain_text("is opgeslagen")
    calls = page.get_by_role("table", name="De oproepen voor de brede intake, de eerste eerst")
    await expect(calls.locator("tbody tr")).to_have_count(2)
    await expect(calls.locator("tbody tr").first).to_contain_text("12 jan 2027")
    record = page.locator("#broad-intake-record")
    for shown in ("20 jan 2027: laag", "Z-route", "basisonderwijs", "op lange termijn", "matig"):
        await expect(record).to_contain_text(shown)
    await expect(
        record.locator("div").filter(has_text="Voert de gesprekken alleen")
    ).to_contain_text("ja")
    assert await overlapping_labels(page) == []
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-broad-intake.png", full_page=True)
    await context.close()

    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        found = (await api.get(f"/participants/{ref}")).json()
    written = str(found)
    assert "'talks_alone': True" in written and "'schooling_years': 6" in written, found
    assert "'correction_reason': 'new_information'" in written, found

    context = await browser.new_context(bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{base}/ui/participants/{ref}/broad-intake")
    await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
    await expect(page.locator("#broad-intake-record")).to_contain_text("basisonderwijs")
    await expect(page.get_by_role("button", name="Verslag opslaan")).to_have_count(0)
    await context.close()


async def test_a_caseworker_records_a_configured_precondition_kind_on_the_broad_intake(
    start_intake, browser
):
    """Issue 17 item 8: with a digital device configured, the form asks whether it must be
    arranged before the start; saving corrects the outcome's ``other_preconditions`` (so
    ``intake-corrected`` carries it to support and planning) and the record shows it in
    words. Before: the screen had no such choice and the outcome no such field."""
    runtime, base = await start_intake(intake_precondition_kinds=["digital_device"])
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await complete(api, runtime, ref)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/participants/{ref}/broad-intake")
    await page.get_by_role("button", name=DEMO_USERS["caseworker"].sub).click()
    record = page.locator("#broad-intake-record")
    await expect(
        record.locator("div").filter(has_text="Ook te regelen vóór de start")
    ).to_contain_text("\u2013")
    choice = page.get_by_label("digitaal apparaat")
    await expect(choice).to_have_value("no")
    await choice.select_option("yes")
    await page.locator("#reason").select_option("new_information")
    await page.get_by_role("button", name="Verslag opslaan").click()
    await expect(page.get_by_role("status")).to_contain_text("is opgeslagen")
    await expect(
        record.locator("div").filter(has_text="Ook te regelen vóór de start")
    ).to_contain_text("digitaal apparaat")
    await expect(page.get_by_label("digitaal apparaat")).to_have_value("yes")
    assert await axe_violations(page) == []
    await context.close()

    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        found = (await api.get(f"/participants/{ref}")).json()
    assert found["intake"]["outcome"]["outcome"]["other_preconditions"] == ["digital_device"]
