"""The caseworker's and the coordinator's intake screens in Chromium (issue 19, section 4),
on the real intake service, database and login:

- the intake's outcome by life domain on the dossier and the broad intake's record, in
  Dutch and English, care signals for caseworkers only;
- the coordinator's dossier: what the access matrix lets a coordinator read, and what
  not (personal data, pauses, the forms);
- the caseload searched by reference and by status;
- a date typed day-month-year in a browser set to American English on a Dutch page.

Every page is audited by axe-core (WCAG 2.1 A/AA, and no raw codes)."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from babel.dates import format_date
from playwright.async_api import expect
from zroute_runtime.clock import local_day, local_timezone
from zroute_ui.testing import DEMO_USERS

from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir

VIEWPORT = {"width": 1280, "height": 900}


async def signed_in(browser, url: str, user: str, **options):
    context = await browser.new_context(bypass_csp=True, viewport=VIEWPORT, **options)
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_role("button", name=DEMO_USERS[user].sub).click()
    return context, page


def domain_row(page, name: str):
    return page.locator("#life-domains tbody tr").filter(
        has=page.get_by_role("rowheader", name=name)
    )


async def test_the_intake_outcome_is_shown_by_life_domain(start_intake, browser, tmp_path):
    """Before: the dossier and the broad intake's record showed no need of the outcome."""
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await complete(api, runtime, ref)  # builders.outcome(): needs, childcare, care signal
    shots = screenshot_dir(tmp_path)
    context, page = await signed_in(browser, f"{base}/ui/participants/{ref}", "caseworker")
    await expect(
        page.get_by_role("heading", level=2, name="Uitkomst van de intake per leefgebied")
    ).to_be_visible()
    rows = page.locator("#life-domains tbody tr")
    await expect(rows).to_have_count(9)  # every life domain of the broad intake
    language = domain_row(page, "Taal en geletterdheid")
    for shown in (
        "intensieve ondersteuning",
        "Taalniveau: A0",
        "niet gealfabetiseerd",
        "Leerbaarheid: laag",
    ):
        await expect(language).to_contain_text(shown)
    await expect(domain_row(page, "Financiën")).to_contain_text("matige ondersteuning")
    await expect(domain_row(page, "Huisvesting")).to_contain_text("niet vastgelegd")
    family = domain_row(page, "Gezin en kinderopvang")
    await expect(family).to_contain_text("Kinderopvang te regelen, kinderen van 2 en 5 jaar")
    await expect(domain_row(page, "Vervoer en mobiliteit")).to_contain_text("ov-kaart")
    await expect(domain_row(page, "Werk en dagbesteding")).to_contain_text("maandag ochtend")
    mental = domain_row(page, "Psychische gezondheid")
    await expect(mental).to_contain_text("matige ondersteuning")
    await expect(mental).to_contain_text("Zorgsignaal: geestelijke gezondheidszorg, regulier")
    await expect(page.locator("#outcome-goals")).to_have_text(
        "zelfredzaamheid in het Nederlands, maatschappelijke participatie"
    )
    assert await axe_violations(page) == []
    await keep_screenshot(page.locator("#life-domains"), shots / "intake-life-domains.png")

    # The broad intake's record shows the same; in English every label is English.
    await page.goto(f"{base}/ui/participants/{ref}/broad-intake?lang=en")
    await expect(
        page.get_by_role("heading", level=2, name="Intake outcome by life domain")
    ).to_be_visible()
    await expect(domain_row(page, "Language and literacy")).to_contain_text(
        "never learned to read and write"
    )
    await expect(domain_row(page, "Family and childcare")).to_contain_text("children aged 2 and 5")
    await expect(domain_row(page, "Mental health")).to_contain_text(
        "Care signal: mental health care"
    )
    assert await axe_violations(page) == []
    await context.close()

    # A coordinator reads the domains without the care signals (health details).
    context, page = await signed_in(browser, f"{base}/ui/participants/{ref}", "coordinator")
    mental = domain_row(page, "Psychische gezondheid")
    await expect(mental).to_contain_text("zorgsignalen zijn alleen voor klantmanagers zichtbaar")
    await expect(page.locator("#life-domains")).not_to_contain_text("Zorgsignaal")
    await expect(domain_row(page, "Financiën")).to_contain_text("matige ondersteuning")
    assert await axe_violations(page) == []
    await context.close()


async def test_a_coordinator_reads_the_dossier_as_the_access_matrix_allows(
    start_intake, browser, tmp_path
):
    """The coordinator (GET /participants/{ref}, the PIP, the broad intake: their
    municipality) reads the route, the appointment and its interpreter, the outcome, the
    contact person and who read the personal data; not the personal data (caseworkers
    only), not the pauses (their grounds are health details), and no form of the
    caseworker's: the pages refuse them with 403 too."""
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await complete(api, runtime, ref)
    shots = screenshot_dir(tmp_path)
    context, page = await signed_in(browser, f"{base}/ui/caseload", "coordinator")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    await expect(page.get_by_role("link", name="Deelnemer aanmelden")).to_have_count(0)
    await page.get_by_label("Naam, BSN of kenmerk").fill(ref)
    await page.get_by_role("button", name="Zoeken").click()
    await expect(page.get_by_role("status")).to_contain_text("1 deelnemer gevonden")
    await page.get_by_role("link", name=ref).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)

    # What the coordinator reads.
    await expect(page.locator("main")).to_contain_text("Intake afgerond")
    await expect(page.get_by_role("heading", name="Intakegesprek")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("Arabisch")
    await expect(page.locator("#life-domains tbody tr")).to_have_count(9)
    await expect(
        page.get_by_role("heading", name="Vast aanspreekpunt en geschiedenis")
    ).to_be_visible()
    # What not: no personal data and no way to ask for it, no pauses, no forms.
    await expect(
        page.get_by_text("Persoonsgegevens zijn alleen voor klantmanagers.")
    ).to_be_visible()
    await expect(page.get_by_role("button", name="Persoonsgegevens tonen")).to_have_count(0)
    await expect(page.locator("#pause-current")).to_contain_text("alleen voor klantmanagers")
    await expect(page.locator("main form")).to_have_count(0)
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-dossier-coordinator.png", full_page=True)

    # The caseworker's forms refuse the coordinator like the API does.
    csrf = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    for path, form in (
        (f"/ui/participants/{ref}/personal-data", {"purpose": "intake_preparation"}),
        (f"/ui/participants/{ref}/pauses", {"ground": "illness", "paused_from": "12-01-2027"}),
        (f"/ui/participants/{ref}/withdrawal", {"reason": "moved", "effective_on": "12-01-2027"}),
        ("/ui/participants/new", {}),
    ):
        answer = await context.request.post(
            base + path, form={"csrf_token": csrf, **form}, max_redirects=0
        )
        assert answer.status == 403, (path, answer.status)
    assert (await context.request.get(f"{base}/ui/participants/new")).status == 403

    # The broad intake's record: read, without its form.
    await page.get_by_role("link", name="De brede intake").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Brede intake")
    await expect(page.get_by_role("button", name="Verslag opslaan")).to_have_count(0)
    assert await axe_violations(page) == []
    await context.close()


async def test_the_caseload_is_searched_by_reference_and_by_status(start_intake, browser, tmp_path):
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        registered, scheduled, completed = [
            (await register(api))["participant_ref"] for _ in range(3)
        ]
        ok(await api.put(f"/participants/{scheduled}/intake", json=builders.schedule()))
        await complete(api, runtime, completed)
    shots = screenshot_dir(tmp_path)
    context, page = await signed_in(browser, f"{base}/ui/caseload", "caseworker")
    status = page.get_by_role("status")
    await expect(status).to_contain_text("3 deelnemers gevonden")
    results = page.locator("#caseload table tbody tr")

    # By status: only the participant whose intake is planned.
    await page.get_by_label("Status").select_option(label="Intake gepland")
    await page.get_by_role("button", name="Zoeken").click()
    await expect(status).to_contain_text("1 deelnemer gevonden")
    await expect(results).to_have_count(1)
    await expect(results.first).to_contain_text(scheduled)
    await expect(results.first).to_contain_text("Intake gepland")
    assert "status=intake_scheduled" in page.url  # kept in the address
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-caseload-by-status.png", full_page=True)

    await page.get_by_label("Status").select_option(label="Intake afgerond")
    await page.get_by_role("button", name="Zoeken").click()
    await expect(results).to_have_count(1)
    await expect(results.first).to_contain_text(completed)

    # By reference: the one participant, whatever the status filter says when it agrees...
    await page.get_by_label("Status").select_option(label="Alle statussen")
    await page.get_by_label("Naam, BSN of kenmerk").fill(registered)
    await page.get_by_role("button", name="Zoeken").click()
    await expect(status).to_contain_text("1 deelnemer gevonden")
    await expect(results).to_have_count(1)
    await expect(results.first.get_by_role("link")).to_have_text(registered)
    await expect(results.first).to_contain_text("Aangemeld")
    assert await axe_violations(page) == []

    # ... and nobody when reference and status disagree, or the reference is unknown.
    await page.get_by_label("Status").select_option(label="Intake afgerond")
    await page.get_by_role("button", name="Zoeken").click()
    await expect(status).to_contain_text("0 deelnemers gevonden")
    await expect(results).to_have_count(0)
    await page.get_by_label("Status").select_option(label="Alle statussen")
    await page.get_by_label("Naam, BSN of kenmerk").fill("zr-" + "0" * 32)
    await page.get_by_role("button", name="Zoeken").click()
    await expect(status).to_contain_text("0 deelnemers gevonden")
    assert await axe_violations(page) == []

    # The reference's link opens the dossier.
    await page.get_by_label("Naam, BSN of kenmerk").fill(completed)
    await page.get_by_role("button", name="Zoeken").click()
    await page.get_by_role("link", name=completed).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(completed)
    await context.close()


async def test_a_date_is_typed_day_month_year_on_a_dutch_page_in_an_american_browser(
    start_intake, browser, tmp_path
):
    """Before: the fields asked the ISO form (2027-01-12) or were the browser's own date
    input, which in an en-US browser shows mm/dd/yyyy on a Dutch page. Now every date
    field is a text field with the pattern dd-mm-jjjj in its hint, read on the server."""
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await complete(api, runtime, ref)
    today = local_day(runtime.clock.now())
    typed = today.strftime("%d-%m-%Y")
    shots = screenshot_dir(tmp_path)
    context, page = await signed_in(
        browser, f"{base}/ui/participants/{ref}", "caseworker", locale="en-US"
    )
    assert await page.evaluate("navigator.language") == "en-US"
    await expect(page.locator("html")).to_have_attribute("lang", "nl")
    await expect(page.locator("input[type=date]")).to_have_count(0)
    field = page.get_by_label("Eerste dag van de pauze")
    await expect(field).to_have_attribute("type", "text")
    await expect(page.locator("#paused_from-hint")).to_have_text(
        "Dag-maand-jaar (dd-mm-jjjj), bijvoorbeeld 12-01-2027."
    )
    await expect(field).to_have_attribute("aria-describedby", "paused_from-hint")

    # Month first, as an American browser would write it: refused with the pattern.
    await page.locator("#ground").select_option("illness")
    await field.fill(today.strftime("%m/%d/%Y") if today.day > 12 else "01/31/2027")
    await page.get_by_role("button", name="Route pauzeren").click()
    await expect(page.get_by_role("alert")).to_contain_text(
        "Vul de eerste dag van de pauze in als datum: dag-maand-jaar, bijvoorbeeld 12-01-2027"
    )
    await expect(field).to_have_attribute("aria-invalid", "true")
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-date-field-error.png", full_page=True)

    # Day-month-year is recorded as that day.
    await page.get_by_label("Eerste dag van de pauze").fill(typed)
    await page.get_by_role("button", name="Route pauzeren").click()
    await expect(page.get_by_role("status")).to_contain_text("De route is gepauzeerd.")
    assert await axe_violations(page) == []

    # On the English page the pattern is the English one, and days are written in English
    # (before, the kit's filters wrote every day in Dutch: "4 jan 2027" on English pages).
    await page.goto(f"{base}/ui/participants/{ref}?lang=en")
    await expect(page.locator("#resumed_on-hint")).to_have_text(
        "Day-month-year (dd-mm-yyyy), like 12-01-2027."
    )
    history = page.get_by_role("table", name="Pauses of the route, oldest first")
    await expect(history).to_contain_text(format_date(today, "medium", locale="en"))
    await context.close()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        pauses = ok(await api.get(f"/participants/{ref}/pauses"))
    assert pauses["pauses"][0]["paused_from"] == str(today)


async def test_a_caseworker_plans_the_intake_with_an_interpreter(start_intake, browser, tmp_path):
    """Before: the intake appointment could only be planned through the API; the dossier
    showed it. Now the caseworker plans it from the dossier, with the interpreter in the
    participant's language, through the API's own model, command and handler."""
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]  # needs an Arabic interpreter
    day = local_day(runtime.clock.now()) + timedelta(days=7)
    shots = screenshot_dir(tmp_path)
    context, page = await signed_in(browser, f"{base}/ui/participants/{ref}", "caseworker")
    await expect(page.get_by_text("Nog geen intakegesprek.")).to_be_visible()
    await page.get_by_role("link", name="Intake plannen").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Intake plannen")
    await expect(page.get_by_role("group", name="Tolk Arabisch")).to_be_visible()
    assert await axe_violations(page) == []

    # No start time and a location that is no code: refused in place, the day kept.
    await page.get_by_label("Dag van de intake").fill(day.strftime("%d-%m-%Y"))
    await page.get_by_label("Locatie").fill("Stadhuis!")
    await page.get_by_role("button", name="Intake plannen").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Vul de begintijd in als uren en minuten")
    await expect(summary).to_contain_text("Vul de code van de locatie in")
    await expect(page.locator("#start")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Dag van de intake")).to_have_value(day.strftime("%d-%m-%Y"))
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-plan-errors.png", full_page=True)

    await page.get_by_label("Begintijd").fill("09:30")
    await page.get_by_label("Locatie").fill("town-hall")
    await page.get_by_label("Hoe de tolk deelneemt").select_option(label="telefonisch")
    await page.get_by_label("De boeking").select_option(label="bevestigd")
    await page.get_by_role("button", name="Intake plannen").click()
    await expect(page.get_by_role("status")).to_contain_text("De intake is gepland.")
    appointment = page.locator("dl").filter(has_text="Wanneer")
    await expect(appointment).to_contain_text(f"{format_date(day, 'medium', locale='nl')} 09:30")
    await expect(appointment).to_contain_text("Arabisch, telefonisch, bevestigd")
    await expect(page.get_by_role("link", name="Intake verplaatsen")).to_be_visible()
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-planned.png", full_page=True)
    await context.close()

    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        found = ok(await api.get(f"/participants/{ref}"))
    planned = found["intake"]["appointment"]
    starts = datetime.fromisoformat(planned["starts_at"]).astimezone(local_timezone())
    assert (starts.date(), starts.strftime("%H:%M")) == (day, "09:30")
    assert planned["interpreter"]["language"] == "ar"
    assert (planned["interpreter"]["mode"], planned["interpreter"]["status"]) == (
        "phone",
        "confirmed",
    )
    assert found["status"] == "intake_scheduled"
