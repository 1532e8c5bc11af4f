"""A caseworker registers a participant in the browser: an empty form answers with the
error summary (a link per field, the focus on the summary) and each error beside its
field; a complete one opens the new dossier with a confirmation. axe-core finds no
WCAG 2.1 A/AA violation on any of those pages."""

from __future__ import annotations

from playwright.async_api import expect
from zroute_runtime.privacy import random_valid_bsn
from zroute_ui.testing import DEMO_USERS

from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir


async def test_a_caseworker_registers_a_participant(browser, start_intake, tmp_path):
    _, base = await start_intake()
    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/caseload")
    await page.get_by_role("button", name=DEMO_USERS["caseworker"].sub).click()
    await page.get_by_role("main").get_by_role("link", name="Deelnemer aanmelden").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Deelnemer aanmelden")
    assert await axe_violations(page) == []

    await page.get_by_role("button", name="Aanmelden").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    hrefs = [await link.get_attribute("href") for link in await links.all()]
    assert hrefs[:3] == ["#programme_id", "#bsn", "#given_names"]
    assert "#phone" not in hrefs and "#email" not in hrefs  # optional
    await expect(page.locator("#bsn")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#bsn-error")).to_contain_text("elfproef")
    assert "bsn-error" in (await page.locator("#bsn").get_attribute("aria-describedby"))
    await keep_screenshot(page, shots / "intake-register-errors.png", full_page=True)
    assert await axe_violations(page) == []

    await links.filter(has_text="BSN").click()  # the summary's link moves to the field
    await expect(page.locator("#bsn")).to_be_focused()
    await page.get_by_label("Programma").select_option("programme-demo")
    await page.get_by_label("BSN").fill(random_valid_bsn())
    await page.get_by_label("Voornamen").fill("Amina")
    await page.get_by_label("Achternaam").fill("Haddad")
    await page.get_by_label("Geboortedatum").fill("1984-03-12")
    await page.get_by_label("Straat").fill("Kerkstraat")
    await page.get_by_label("Huisnummer").fill("12A")
    await page.get_by_label("Postcode").fill("1017 GB")
    await page.get_by_label("Woonplaats").fill("Amsterdam")
    # Each language by its name in the page's language (CLDR), never its code.
    await expect(page.get_by_label("Voorkeurstaal").locator("option[value=prs]")).to_have_text(
        "Dari"
    )
    await page.get_by_label("Voorkeurstaal").select_option(label="Arabisch")
    await page.get_by_label("Tolk nodig").select_option("yes")
    # An e-mail address is optional (issue 18), but when given it must be one.
    await page.get_by_label("E-mailadres").fill("amina-at-example")
    await page.get_by_role("button", name="Aanmelden").click()
    await expect(page.locator("#email-error")).to_contain_text("e-mailadres")
    await page.get_by_label("E-mailadres").fill("amina@example.nl")
    await page.get_by_role("button", name="Aanmelden").click()

    await expect(page.get_by_role("heading", level=1)).to_contain_text("Dossier zr-")
    await expect(page.get_by_role("status").first).to_contain_text("De deelnemer is aangemeld.")
    await expect(page.get_by_text("Arabisch", exact=True)).to_be_visible()
    await expect(page.get_by_text("ar", exact=True)).to_have_count(0)
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-registered.png", full_page=True)
    await page.reload()  # the confirmation is shown once
    await expect(page.get_by_text("De deelnemer is aangemeld.")).to_have_count(0)
    await page.goto(page.url + "?lang=en")
    await expect(page.get_by_text("Arabic", exact=True)).to_be_visible()
    await context.close()
