"""The caseworker's pause, resumption and meetings on the dossier (issue 19, section 4), on
the real intake service, database and login: a participant on the route with a PIP of two
progress meetings, the first invited with an Arabic interpreter and held. In Chromium the
caseworker opens the dossier, reads the meetings (date, interpreter, decision), meets the
pause form's errors in place (no ground, a date that is none), pauses the route for
illness, reads the current pause, resumes it a week later and reads the history; the
API's pauses say the same with the acting user. Then a withdrawal (its last day refused
in place first) and its undoing, back on the route. Every page shows codes only through their
labels, and axe-core finds no WCAG 2.1 A/AA violation. (Who else may post the forms:
tests/ui/test_page_access.py, generated from the pages.)"""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from babel.dates import format_date
from playwright.async_api import expect
from zroute_runtime.clock import local_day
from zroute_ui.testing import DEMO_USERS

from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register
from tests.intake.integration.test_pip import day, established
from tests.ui.browser import (
    axe_violations,
    keep_screenshot,
    overlapping_labels,
    raw_codes,
    screenshot_dir,
)

ATTENDEES = [{"role": "participant"}, {"role": "caseworker"}]


def shown_day(on: date) -> str:
    """A day as the Dutch page writes it ("13 feb 2027")."""
    return format_date(on, "medium", locale="nl")


async def test_a_caseworker_pauses_and_resumes_the_route_and_reads_the_meetings(
    start_intake, browser, tmp_path
):
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await complete(api, runtime, ref)
        await established(api, ref, progress_meetings=2)
        meetings = f"/participants/{ref}/progress-meetings"
        ok(await api.put(f"{meetings}/plan", json={"due_on": [str(day(40)), str(day(120))]}))
        invitation = {
            "starts_at": (builders.CLOCK_START + timedelta(days=40)).isoformat(),
            "location_id": "town-hall", "interpreter_needed": True,
            "interpreter_language": "ar", "partners": [],
        }  # fmt: skip
        ok(await api.post(f"{meetings}/1/invitation", json=invitation))
        await runtime.advance_clock(timedelta(days=33))  # the service's today: day(41)
        record = {
            "held_on": str(day(40)), "attendees": ATTENDEES, "notes": "Gaat goed.",
            "agreements": [], "decision": "unchanged",
        }  # fmt: skip
        ok(await api.post(f"{meetings}/1/record", json=record))
    today = local_day(runtime.clock.now())
    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/participants/{ref}")
    await page.get_by_role("button", name=DEMO_USERS["caseworker"].sub).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)

    # The meetings: the held one with its day, interpreter and decision; the next one due.
    listed = page.get_by_role("table", name="De gesprekken van de deelnemer, op volgorde")
    rows = listed.locator("tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.first).to_contain_text(shown_day(day(40)))
    await expect(rows.first).to_contain_text("Arabisch")
    await expect(rows.first).to_contain_text("PIP ongewijzigd")
    await expect(rows.last).to_contain_text(f"{shown_day(day(120))} (gepland)")
    await expect(rows.last).to_contain_text("nog niet gehouden")
    await expect(page.locator("#pause-current")).to_have_text("De route is niet gepauzeerd.")
    assert await raw_codes(page) == []
    assert await axe_violations(page) == []

    # No ground and a date that is none: both errors in place, nothing recorded.
    await page.locator("#paused_from").fill("morgen")
    await page.get_by_role("button", name="Route pauzeren").click()
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Kies waarom de route pauzeert")
    await expect(summary).to_contain_text("Vul de eerste dag van de pauze in als datum")
    await expect(page.locator("#ground")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#paused_from")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#paused_from")).to_have_value("morgen")  # kept
    assert await raw_codes(page) == []
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-dossier-pause-errors.png", full_page=True)

    # The ground from the list in words; the pause is the current one.
    options = await page.locator("#ground option").all_inner_texts()
    assert "ziekte" in options and "op verzoek van de deelnemer" in options
    await page.locator("#ground").select_option("illness")
    await page.locator("#paused_from").fill(str(today))
    await page.get_by_role("button", name="Route pauzeren").click()
    await expect(page.get_by_role("status")).to_contain_text("De route is gepauzeerd.")
    await expect(page.locator("#pause-current")).to_contain_text(
        f"De route is gepauzeerd sinds {shown_day(today)}: ziekte."
    )
    assert await raw_codes(page) == []
    assert await axe_violations(page) == []

    # A resumption on the pause's own first day is refused in place; a week later is kept.
    await page.locator("#resumed_on").fill(str(today))
    await page.get_by_role("button", name="Route hervatten").click()
    await expect(page.get_by_role("alert")).to_contain_text("na de eerste dag van de pauze")
    await expect(page.locator("#resumed_on")).to_have_attribute("aria-invalid", "true")
    assert await axe_violations(page) == []
    back = today + timedelta(days=7)
    await page.locator("#resumed_on").fill(str(back))
    await page.get_by_role("button", name="Route hervatten").click()
    await expect(page.get_by_role("status")).to_contain_text("De route wordt hervat.")
    await expect(page.locator("#pause-current")).to_have_text("De route is niet gepauzeerd.")
    history = page.get_by_role("table", name="Pauzes van de route, de oudste eerst")
    await expect(history.locator("tbody tr")).to_have_count(1)
    for shown in ("ziekte", shown_day(today), shown_day(back), DEMO_USERS["caseworker"].sub):
        await expect(history.locator("tbody tr").first).to_contain_text(shown)
    assert await raw_codes(page) == []
    assert await overlapping_labels(page) == []
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-dossier-pauses.png", full_page=True)

    # Withdrawal: a last day before the registration is refused beside its field; then the
    # participant is withdrawn, and the withdrawal recorded by mistake is undone.
    await page.locator("#reason").select_option("moved")
    await page.locator("#effective_on").fill(str(builders.TODAY - timedelta(days=365)))
    await page.get_by_role("button", name="Uitschrijven van de route").click()
    await expect(page.get_by_role("alert")).to_contain_text("op of na de aanmelding")
    await expect(page.locator("#effective_on")).to_have_attribute("aria-invalid", "true")
    await page.locator("#effective_on").fill(str(today))
    await page.get_by_role("button", name="Uitschrijven van de route").click()
    await expect(page.get_by_role("status")).to_contain_text("is uitgeschreven van de route")
    await expect(page.locator("#withdrawal-current")).to_contain_text("verhuisd")
    await expect(page.get_by_role("button", name="Route pauzeren")).to_have_count(0)
    assert await raw_codes(page) == []
    assert await axe_violations(page) == []
    await page.locator("#re_enrolment_reason").select_option("mistaken_withdrawal")
    await page.get_by_role("button", name="Uitschrijving ongedaan maken").click()
    await expect(page.get_by_role("status")).to_contain_text("De deelnemer is terug op de route.")
    await expect(page.locator("#withdrawal-current")).to_have_count(0)
    await expect(page.get_by_role("button", name="Route pauzeren")).to_be_visible()
    assert await axe_violations(page) == []

    # The same in English: every code through its label.
    await page.goto(f"{base}/ui/participants/{ref}?lang=en")
    history = page.get_by_role("table", name="Pauses of the route, oldest first")
    await expect(history.locator("tbody tr").first).to_contain_text("illness")
    meetings_en = page.get_by_role("table", name="The participant's meetings, in order")
    await expect(meetings_en.locator("tbody tr").first).to_contain_text("PIP unchanged")
    assert await raw_codes(page) == []
    await context.close()

    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        pauses = ok(await api.get(f"/participants/{ref}/pauses"))
        participant = ok(await api.get(f"/participants/{ref}"))
    assert participant["status"] == "intake_completed"
    assert pauses["current"] is None
    [pause] = pauses["pauses"]
    assert (pause["ground"], pause["paused_from"], pause["resumed_on"]) == (
        "illness",
        str(today),
        str(back),
    )
    assert pause["by"] == pause["resumed_by"] == DEMO_USERS["caseworker"].sub
