"""The caseworker's whole journey in Chromium (issue 19, "Done when"): register a
participant, plan the intake with an interpreter, record the intake's outcome, draft the
PIP and establish it, then amend it after a progress meeting; on the real intake service, database and login, every page audited
by axe-core (WCAG 2.1 A/AA, no raw codes, no English on a Dutch page). Then the new forms
(the outcome, the draft, the establishment) once more with the keyboard alone.

Before: there was no screen to record the outcome or to draft and establish the PIP; the
caseworker did those through the API."""

from __future__ import annotations

from datetime import timedelta

import httpx
from babel.dates import format_date
from playwright.async_api import expect
from zroute_runtime.clock import local_day
from zroute_runtime.privacy import random_valid_bsn
from zroute_ui.testing import DEMO_USERS

from tests.intake import builders
from tests.intake.integration.flow import ok, register, schedule
from tests.ui.browser import axe_violations, focus_visible, keep_screenshot, screenshot_dir, tab_to

VIEWPORT = {"width": 1280, "height": 900}


async def test_a_caseworker_registers_plans_records_the_intake_and_establishes_the_pip(
    start_intake, browser, tmp_path
):
    runtime, base = await start_intake()
    shots = screenshot_dir(tmp_path)
    visited: dict[str, list] = {}

    async def audit(name: str) -> None:
        visited[name] = await axe_violations(page)
        await keep_screenshot(page, shots / f"journey-{name}.png", full_page=True)

    context = await browser.new_context(bypass_csp=True, viewport=VIEWPORT)
    page = await context.new_page()
    await page.goto(f"{base}/ui/caseload")
    await page.get_by_role("button", name=DEMO_USERS["caseworker"].sub).click()
    await audit("caseload")

    # Register.
    await page.get_by_role("main").get_by_role("link", name="Deelnemer aanmelden").click()
    await audit("register")
    await page.get_by_label("Programma").select_option("programme-demo")
    await page.get_by_label("BSN").fill(random_valid_bsn())
    await page.get_by_label("Voornamen").fill("Amina")
    await page.get_by_label("Achternaam").fill("Haddad")
    await page.get_by_label("Geboortedatum").fill("12-03-1984")
    await page.get_by_label("Straat").fill("Kerkstraat")
    await page.get_by_label("Huisnummer").fill("12A")
    await page.get_by_label("Postcode").fill("1017 GB")
    await page.get_by_label("Woonplaats").fill("Amsterdam")
    await page.get_by_label("Voorkeurstaal").select_option(label="Arabisch")
    await page.get_by_label("Tolk nodig").select_option("yes")
    await page.get_by_role("button", name="Aanmelden").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Dossier zr-")
    ref = page.url.rsplit("/", 1)[-1]
    await expect(page.get_by_role("link", name="Uitkomst van de intake vastleggen")).to_have_count(
        0
    )  # nothing to record before the intake is planned
    await audit("dossier-registered")

    # Plan the intake with an Arabic interpreter, a week ahead.
    day = local_day(runtime.clock.now()) + timedelta(days=7)
    await page.get_by_role("link", name="Intake plannen").click()
    await page.get_by_label("Dag van de intake").fill(day.strftime("%d-%m-%Y"))
    await page.get_by_label("Begintijd").fill("09:30")
    await page.get_by_label("Locatie").fill("town-hall")
    await page.get_by_label("Hoe de tolk deelneemt").select_option("in_person")
    await page.get_by_label("De boeking").select_option("booked")
    await audit("plan-intake")
    await page.get_by_role("button", name="Intake plannen").click()
    await expect(page.get_by_role("status")).to_contain_text("De intake is gepland.")
    await audit("dossier-planned")

    # The broad intake's written record before the outcome: refused with its reason (was
    # "Someone changed this in the meantime", the title of a stale read).
    csrf = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = await context.request.post(
        f"{base}/ui/participants/{ref}/broad-intake",
        form={"csrf_token": csrf, "reason": "new_information"},
    )
    assert refused.status == 409
    shown = await refused.text()
    assert "Dit kan nog niet" in shown and "leg eerst de uitkomst vast" in shown, shown
    assert "Iemand heeft dit intussen gewijzigd" not in shown

    # Record the outcome before the intake was held: refused, in words, the values kept.
    await page.get_by_role("link", name="Uitkomst van de intake vastleggen").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Uitkomst van de intake vastleggen"
    )
    await audit("outcome")
    await fill_outcome(page)
    await page.get_by_role("button", name="Uitkomst vastleggen").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("De intake is nog niet gehouden")
    await expect(page.get_by_label("Taalniveau")).to_have_value("A0")
    await audit("outcome-not-held")

    # The week passes; the intake is held. The form's own rules first: no goal, no ages.
    await runtime.advance_clock(timedelta(days=8))
    await page.goto(f"{base}/ui/participants/{ref}/intake-outcome")
    await fill_outcome(page)
    await page.get_by_label("zelfredzaamheid in het Nederlands").uncheck()
    await page.get_by_label("maatschappelijke participatie").uncheck()
    await page.get_by_label("Leeftijden van de kinderen").fill("")
    await page.locator("#schooling_years").fill("veertig jaar")
    await page.get_by_role("button", name="Uitkomst vastleggen").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Kies ten minste één doel")
    await expect(summary).to_contain_text("Geef de leeftijden van de kinderen")
    await expect(page.locator("#child_ages")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#goals-error")).to_be_visible()
    await expect(page.locator("#schooling_years")).to_have_attribute("aria-invalid", "true")
    await audit("outcome-errors")
    await page.get_by_label("zelfredzaamheid in het Nederlands").check()
    await page.get_by_label("Leeftijden van de kinderen").fill("2, 5")
    await page.locator("#schooling_years").fill("6")
    await page.get_by_role("button", name="Uitkomst vastleggen").click()
    await expect(page.get_by_role("status")).to_contain_text("De uitkomst van de intake is")
    domains = page.locator("#life-domains")
    await expect(domains).to_contain_text("Kinderopvang te regelen, kinderen van 2 en 5 jaar")
    await expect(domains).to_contain_text("Zorgsignaal: geestelijke gezondheidszorg, dringend")
    await expect(domains).to_contain_text("maandag ochtend")
    await audit("dossier-completed")

    # Draft the PIP: the route comes from the intake; a number that is none is refused.
    await page.get_by_role("link", name="Het PIP opstellen").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Het PIP opstellen")
    await expect(page.get_by_label("Route", exact=True)).to_have_value("z_route")
    await expect(page.get_by_label("Reden voor de leerroute")).to_have_value("combined")
    await audit("pip-draft")
    await page.get_by_label("Uren per week op de route").fill("veel")
    await page.locator("#pvt_hours_per_week").fill("2")
    await page.locator("#map_hours_per_week").fill("2")
    await page.get_by_label("Voortgangsgesprekken").fill("4")
    await page.get_by_label("taalmaatje").check()
    await page.get_by_role("button", name="Concept opslaan").click()
    await expect(page.get_by_role("alert")).to_contain_text("Vul de uren per week in")
    await expect(page.get_by_label("Uren per week op de route")).to_have_value("veel")
    await expect(page.get_by_label("taalmaatje")).to_be_checked()
    await audit("pip-draft-errors")
    await page.get_by_label("Uren per week op de route").fill("12,5")
    await page.get_by_role("button", name="Concept opslaan").click()
    await expect(page.get_by_role("status")).to_contain_text("Het concept van het PIP is klaar")
    draft = page.locator("#pip-draft")
    await expect(draft).to_contain_text("12,5")
    await expect(draft).to_contain_text("taalmaatje")
    await audit("pip-with-draft")

    # Establish it: a day ahead is refused, today is taken.
    today = local_day(runtime.clock.now())
    await page.get_by_label("Datum van het besluit").fill(
        (today + timedelta(days=1)).strftime("%d-%m-%Y")
    )
    await page.get_by_role("button", name="PIP vaststellen").click()
    await expect(page.get_by_role("alert")).to_contain_text("niet na vandaag")
    await audit("pip-establish-errors")
    await page.get_by_label("Datum van het besluit").fill(today.strftime("%d-%m-%Y"))
    await page.get_by_role("button", name="PIP vaststellen").click()
    await expect(page.get_by_role("status")).to_contain_text("Het PIP is vastgesteld")
    current = page.locator("#pip-current")
    await expect(current).to_contain_text("Z-route")
    await expect(current).to_contain_text(format_date(today, "medium", locale="nl"))
    term_start = format_date(today + timedelta(days=1), "medium", locale="nl")
    await expect(page.locator("#pip-term")).to_contain_text(term_start)
    await expect(page.locator("#pip-draft")).to_have_count(0)
    await audit("pip-established")

    # Amend it after a progress meeting: a new draft from the PIP in force, then the new
    # version with its reason (refused in place without one).
    await page.get_by_role("link", name="Een nieuwe versie opstellen").click()
    await expect(page.get_by_label("Uren per week op de route")).to_have_value("12,5")
    await page.get_by_label("Voortgangsgesprekken").fill("6")
    await page.get_by_role("button", name="Concept opslaan").click()
    await expect(page.get_by_role("status")).to_contain_text("Het concept van het PIP is klaar")
    await page.get_by_role("button", name="Nieuwe versie vaststellen").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Kies waarom het PIP verandert")
    await expect(summary).to_contain_text("Vul de datum van het besluit in")
    await audit("pip-amend-errors")
    await page.get_by_label("Waarom verandert het PIP?").select_option("progress_meeting")
    await page.get_by_label("Datum van de nieuwe versie").fill(today.strftime("%d-%m-%Y"))
    await page.get_by_role("button", name="Nieuwe versie vaststellen").click()
    await expect(page.get_by_role("status")).to_contain_text("Het PIP is gewijzigd")
    versions = page.get_by_role("table", name="De versies van het PIP, de laatste eerst")
    await expect(versions.locator("tbody tr")).to_have_count(2)
    await expect(versions.locator("tbody tr").first).to_contain_text("voortgangsgesprek")
    await expect(page.locator("#pip-current")).to_contain_text("12,5")
    await audit("pip-amended")
    await context.close()

    assert {name: found for name, found in visited.items() if found} == {}
    assert len(visited) == 16

    # The API agrees: the outcome, the acting user, the established PIP.
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        found = ok(await api.get(f"/participants/{ref}"))
        pip = ok(await api.get(f"/participants/{ref}/pip"))
    assert found["status"] == "intake_completed"
    outcome = found["intake"]["outcome"]["outcome"]
    assert outcome["childcare"] == {"needed": True, "child_ages": [2, 5]}
    assert {"weekday": "monday", "day_part": "morning"} in outcome["availability"]
    assert outcome["goals"] == ["language_self_reliance"]
    assert outcome["care_signals"][0]["category"] == "mental_health_care"
    written = outcome["broad_intake"]
    assert written["learnability_test"]["result"] == "low", written
    assert (written["schooling_years"], written["schooling_level"]) == (6, "primary")
    assert pip["current"]["number"] == 2
    assert pip["current"]["content"]["progress_meetings"] == 6
    assert pip["versions"][0]["established_by"] == DEMO_USERS["caseworker"].sub
    assert pip["current"]["content"]["route_hours_per_week"] == 12.5
    assert pip["current"]["content"]["support"] == ["language_buddy"]
    assert pip["term"]["start"] == str(today + timedelta(days=1))


async def fill_outcome(page) -> None:
    """An outcome: A0, never learned to read and write, low learnability; support in two
    life domains, a mental-health care signal, childcare and transport, two mornings, two
    goals, the Z-route for combined grounds."""
    await page.get_by_label("Taalniveau").select_option("A0")
    await page.get_by_label("Geletterdheid", exact=True).select_option("not_alphabetised")
    await page.get_by_label("Leerbaarheid").select_option("low")
    await page.get_by_label("Taal en geletterdheid").select_option("severe")
    await page.get_by_label("Financiën").select_option("moderate")
    care = page.get_by_role("group", name="geestelijke gezondheidszorg")
    await care.get_by_label("Ondersteuningsbehoefte").select_option("moderate")
    await care.get_by_label("Urgentie").select_option("urgent")
    await page.get_by_label("Kinderopvang te regelen").select_option("yes")
    await page.get_by_label("Leeftijden van de kinderen").fill("2, 5")
    await page.get_by_label("Vervoer te regelen").select_option("yes")
    await page.get_by_label("ov-kaart").check()
    await page.get_by_label("maandag ochtend").check()
    await page.get_by_label("woensdag ochtend").check()
    await page.get_by_label("zelfredzaamheid in het Nederlands").check()
    await page.get_by_label("maatschappelijke participatie").check()
    await page.get_by_label("Route", exact=True).select_option("z_route")
    await page.get_by_label("Reden voor de leerroute").select_option("combined")
    # The written record (B 5.2): the learnability test and the schooling.
    await page.locator("#test-taken_on").fill("05-01-2027")
    await page.locator("#test-result").select_option("low")
    await page.locator("#test-advised_route").select_option("z_route")
    await page.locator("#schooling_years").fill("6")
    await page.locator("#schooling_level").select_option("primary")


async def test_the_outcome_and_the_pip_are_recorded_with_the_keyboard_alone(
    start_intake, browser, tmp_path
):
    """The three new forms with Tab, arrows, Space and Enter only, the focus visible at
    each field: the outcome, the PIP's draft and its establishment."""
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await schedule(api, ref, starts_at=(runtime.clock.now() + timedelta(days=7)).isoformat())
    await runtime.advance_clock(timedelta(days=8))
    context = await browser.new_context(bypass_csp=True, viewport=VIEWPORT)
    page = await context.new_page()
    await page.goto(f"{base}/ui/participants/{ref}")
    await tab_to(page, f"button[value='{DEMO_USERS['caseworker'].sub}']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)

    async def choose(selector: str, presses: int = 1) -> None:
        await tab_to(page, selector)
        assert await focus_visible(page), selector
        for _ in range(presses):
            await page.keyboard.press("ArrowDown")

    async def tick(selector: str) -> None:
        await tab_to(page, selector)
        assert await focus_visible(page), selector
        await page.keyboard.press("Space")

    async def type_in(selector: str, text: str) -> None:
        await tab_to(page, selector)
        assert await focus_visible(page), selector
        await page.keyboard.type(text)

    await tab_to(page, f"a[href='/ui/participants/{ref}/intake-outcome']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Uitkomst")
    await choose("#language_level")  # A0
    await choose("#literacy", 3)  # never learned to read and write
    await choose("#learnability_band", 2)  # low
    await choose("#need-language_literacy", 4)  # intensive
    await choose("#childcare", 2)  # no
    await choose("#transport", 2)  # no
    await tick("#availability")  # Monday morning
    await tick("#goals")  # self-reliance in Dutch
    await choose("#route")  # the Z-route
    await choose("#route_reason", 4)  # combined
    await tab_to(page, "button[type='submit'].utrecht-button--primary-action")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("De uitkomst van de intake is")

    await tab_to(page, f"a[href='/ui/participants/{ref}/pip/draft']")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Het PIP opstellen")
    await type_in("#route_hours_per_week", "10")
    await type_in("#pvt_hours_per_week", "2")
    await type_in("#map_hours_per_week", "2")
    await type_in("#progress_meetings", "4")
    await tick("#support")  # language buddy
    await tab_to(page, "button[type='submit'].utrecht-button--primary-action")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("Het concept van het PIP is klaar")

    await type_in("#dated", local_day(runtime.clock.now()).strftime("%d-%m-%Y"))
    await tab_to(page, "button[type='submit'].utrecht-button--primary-action")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("Het PIP is vastgesteld")
    await expect(page.locator("#pip-current")).to_contain_text("taalmaatje")
    assert await axe_violations(page) == []
    await keep_screenshot(page, screenshot_dir(tmp_path) / "journey-keyboard.png")
    await context.close()

    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        outcome = ok(await api.get(f"/participants/{ref}"))["intake"]["outcome"]["outcome"]
    assert (outcome["language_level"], outcome["literacy"]) == ("A0", "not_alphabetised")
    assert outcome["needs"] == [{"domain": "language_literacy", "severity": "severe"}]
    assert outcome["availability"] == [{"weekday": "monday", "day_part": "morning"}]
