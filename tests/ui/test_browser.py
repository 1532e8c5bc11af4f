"""A caseworker's journey in a real browser (Debian's Chromium) against the real intake
service and the real login: axe-core finds no WCAG 2.1 A/AA violation on any page it
visits, the journey also works with the keyboard alone, and a partner's staff member
gets 403 on the caseload."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import expect

from tests.intake.builders import auth, registration, schedule
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir, tab_to
from tests.ui.conftest import DEMO_USERS

PARTICIPANTS = 30  # more than one page of 25


@pytest.fixture
async def caseload(start_intake):
    """Intake with the production cookie settings (Secure: Chromium keeps them on
    127.0.0.1) and a caseload of 30; returns the base URL and one participant."""
    _, base = await start_intake()
    bodies = [registration() for _ in range(PARTICIPANTS)]
    async with httpx.AsyncClient(base_url=base, headers=auth(), timeout=10) as api:
        refs = [
            (await api.post("/participants", json=body)).json()["participant_ref"]
            for body in bodies
        ]
        planned = await api.put(f"/participants/{refs[0]}/intake", json=schedule())
        assert planned.status_code == 200, planned.text
    return base, refs[0], bodies[0]


async def sign_in_at_provider(page, user: str) -> None:
    await page.get_by_role("button", name=DEMO_USERS[user].sub).click()


async def test_a_caseworker_finds_a_participant_and_reads_the_dossier(browser, caseload, tmp_path):
    base, ref, body = caseload
    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    visited: dict[str, list] = {}

    async def audit(name: str) -> None:
        visited[name] = await axe_violations(page)
        await keep_screenshot(page, shots / f"intake-{name}.png", full_page=True)

    await page.goto(f"{base}/ui/caseload")
    assert "/oauth2/authorize" in page.url  # the provider's own page, not ours
    await sign_in_at_provider(page, "caseworker")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    await expect(page.get_by_role("status")).to_contain_text("30 deelnemers gevonden")
    await expect(page.locator("table tbody tr")).to_have_count(25)
    await audit("caseload")

    await page.get_by_role("link", name="Volgende pagina").click()
    await expect(page.locator("table tbody tr")).to_have_count(5)
    await expect(page.get_by_text("Pagina 2 van 2")).to_be_visible()
    await audit("caseload-page-2")

    await page.get_by_label("BSN of kenmerk").fill("12345")
    await page.get_by_role("button", name="Zoeken").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Er is een probleem")
    await expect(summary.get_by_role("link")).to_have_attribute("href", "#q")
    await expect(page.locator("#q-error")).to_contain_text("Vul een BSN van 9 cijfers in")
    await audit("caseload-error")

    await page.get_by_label("BSN of kenmerk").fill(body["bsn"])
    async with page.expect_response(
        lambda r: "/ui/caseload" in r.url and r.request.headers.get("hx-request") == "true"
    ) as partial:
        await page.get_by_role("button", name="Zoeken").click()  # htmx swaps the results in
    assert "<html" not in await (await partial.value).text()
    await expect(page.get_by_role("status")).to_contain_text("1 deelnemer gevonden")
    assert "q=" in page.url  # the search is in the address, so back and reload keep it
    await page.get_by_role("link", name=ref).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)
    # The interpreter's language by its name on a Dutch page, never its code (ar).
    await expect(page.get_by_text("Arabisch, ter plaatse, bevestigd")).to_be_visible()
    # Issue 17 item 6: where each appointment's interpreter stands (booked directly here).
    await expect(page.get_by_role("heading", name="Tolken")).to_be_visible()
    await expect(page.locator("dd", has_text="Arabisch: bevestigd")).to_be_visible()
    await expect(
        page.get_by_text("Niemand heeft de persoonsgegevens nog ingezien.")
    ).to_be_visible()
    await audit("dossier")

    await page.get_by_role("button", name="Persoonsgegevens tonen").click()
    await expect(page.get_by_role("alert")).to_contain_text("Kies waarom u de persoonsgegevens")
    await audit("dossier-error")
    await page.get_by_label("Waarom hebt u de persoonsgegevens nodig?").select_option(
        "pip_drafting"
    )
    await page.get_by_role("button", name="Persoonsgegevens tonen").click()
    await expect(page.get_by_text(body["family_name"])).to_be_visible()
    await expect(page.get_by_role("status").first).to_contain_text("inzagelogboek")
    readings = page.get_by_role("table", name="Inzages van de persoonsgegevens, nieuwste eerst")
    await expect(readings.locator("tbody tr")).to_have_count(1)
    await expect(readings).to_contain_text("Het PIP opstellen")
    await audit("dossier-personal-data")

    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=2).first).to_have_text("Route")
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await audit("dossier-english")

    await page.get_by_role("button", name="Sign out").click()
    await page.get_by_role("button", name="End session").click()  # at the provider
    await expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")
    await audit("signed-out")
    await page.goto(f"{base}/ui/caseload")
    assert "/oauth2/authorize" in page.url
    await context.close()

    assert {name: v for name, v in visited.items() if v} == {}
    assert len(visited) == 8


async def test_the_journey_works_with_the_keyboard_alone(browser, caseload, tmp_path):
    base, ref, body = caseload
    context = await browser.new_context(bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{base}/ui/")
    await tab_to(page, f"button[value='{DEMO_USERS['caseworker'].sub}']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Intake")

    await page.keyboard.press("Tab")  # the first stop is the skip link
    assert await page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    await tab_to(page, "a[href='/ui/caseload']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")

    await tab_to(page, "#q")
    await page.keyboard.type(body["bsn"])
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("1 deelnemer gevonden")
    await tab_to(page, f"a[href='/ui/participants/{ref}']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)

    await tab_to(page, "#purpose")
    await page.keyboard.press("ArrowDown")  # the first purpose
    await tab_to(page, "button[type='submit'].utrecht-button--primary-action")
    await page.keyboard.press("Enter")
    await expect(page.get_by_text(body["family_name"])).to_be_visible()
    assert await axe_violations(page) == []
    await keep_screenshot(page, screenshot_dir(tmp_path) / "intake-keyboard.png")
    await context.close()


async def test_a_partner_staff_member_gets_403_on_the_caseload(browser, caseload, tmp_path):
    base, _, _ = caseload
    context = await browser.new_context(bypass_csp=True)
    page = await context.new_page()
    # Not the start page: intake has one for partner staff since the contact card (issue 18).
    await page.goto(f"{base}/ui/caseload")
    await sign_in_at_provider(page, "care_partner")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "U hebt geen toegang tot deze pagina"
    )
    response = await page.goto(f"{base}/ui/caseload")
    assert response is not None and response.status == 403
    assert await axe_violations(page) == []
    await keep_screenshot(page, screenshot_dir(tmp_path) / "intake-403.png")
    await context.close()


async def test_the_caseload_and_sign_out_work_without_javascript(browser, caseload):
    base, ref, body = caseload
    context = await browser.new_context(java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{base}/ui/caseload")
    await page.get_by_role("button", name=DEMO_USERS["caseworker"].sub).click()
    await page.get_by_label("BSN of kenmerk").fill(body["bsn"])
    async with page.expect_navigation():
        await page.get_by_role("button", name="Zoeken").click()
    await expect(page.get_by_role("status")).to_contain_text("1 deelnemer gevonden")
    await expect(page.get_by_role("link", name=ref)).to_be_visible()
    # Signing out continues at the provider: the page's form-action policy admits it.
    await page.get_by_role("button", name="Uitloggen").click()
    await page.get_by_role("button", name="End session").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    await context.close()
