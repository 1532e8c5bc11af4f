"""A job coach in a real browser on the support service's screens: their partner's
placements, a check-in refused in place without its day, then recorded through the API's
own ``check_in`` (the event is emitted); the coordinator reads the waiting list and the
preconditions. axe-core finds no WCAG 2.1 A/AA violation on any of these pages."""

from __future__ import annotations

from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS

from tests.support.integration.test_placements import CONFIRM, requested
from tests.support.integration.test_preconditions import intake
from tests.support.scenario import PROGRAMME
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import COACHES
from tests.ui.support_world import support_with_screens


async def test_a_job_coach_records_a_check_in_and_the_coordinator_reads_the_waiting_work(
    services, amqp_connection, issuer, browser, tmp_path
):
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        ref = await scenario.participant()
        request = requested(ref)
        await scenario.feed(request)
        rid = request.placement_request_id
        confirmed = await scenario.partner("work-a").post(
            f"/placements/{rid}/confirm", json=CONFIRM
        )
        assert confirmed.status_code == 200, confirmed.text
        shots = screenshot_dir(tmp_path)

        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/placements")
        await page.get_by_role("button", name=COACHES.sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Plaatsingen")
        row = page.get_by_role("row").filter(has_text=ref)
        await expect(row).to_contain_text("coach-7")
        # The employer by its registered name, not its id.
        await expect(row).to_contain_text("Bakery De Ster")
        await expect(row).not_to_contain_text("bakery-de-ster")
        # The first day written out in Dutch, not as the API spells it (2027-03-01).
        await expect(row).to_contain_text("1 mrt 2027")
        assert await axe_violations(page) == []

        await row.get_by_role("button", name="Vastleggen").click()  # no day given
        error = "Vul de dag van het gesprek in als datum: dag-maand-jaar"
        await expect(page.get_by_role("alert")).to_contain_text(error)
        await expect(row).to_contain_text(error)
        await expect(row.get_by_label("Op")).to_have_attribute("aria-invalid", "true")
        assert await axe_violations(page) == []

        await row.get_by_label("Met").select_option("employer")
        await row.get_by_label("Op").fill("2027-03-08")
        await row.get_by_label("Uitkomst").select_option("concerns")
        await row.get_by_role("button", name="Vastleggen").click()
        await expect(page.get_by_role("status")).to_have_text("Het gesprek is vastgelegd.")
        assert await axe_violations(page) == []
        await keep_screenshot(page, shots / "support-placements.png", full_page=True)
        [event] = await scenario.emitted("job-coach-check-in-recorded", participant_ref=ref)
        assert event["data"]["party"] == "employer" and event["data"]["outcome"] == "concerns"
        await context.close()

        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/waiting-list")
        await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Wachtlijst")
        assert await axe_violations(page) == []
        await page.goto(f"{base}/ui/preconditions")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Randvoorwaarden")
        assert await axe_violations(page) == []
        await page.goto(f"{base}/ui/placements")
        await expect(page.get_by_role("row").filter(has_text=ref)).to_contain_text("bevestigd")
        await context.close()
    finally:
        await scenario.close()


async def test_the_waiting_list_and_preconditions_say_why_in_the_pages_language(
    services, amqp_connection, issuer, browser
):
    """Why work waits comes from the domain as a code with its parameters and is worded
    by the catalogue: the Dutch page has no English sentence, the English page has it."""
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.register_partners()  # and no agreement: nobody is responsible yet
        ref = await scenario.participant()
        await scenario.feed(intake(ref, childcare=False, transport=True))
        waiting = (await scenario.client().get("/waiting-list")).json()
        [entry] = [w for w in waiting if w["participant_ref"] == ref]
        assert entry["reason_code"] == "no_agreement"  # the API: the code beside the sentence
        assert entry["reason"].startswith("no agreement in force for ")

        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/waiting-list")
        await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Wachtlijst")
        row = page.get_by_role("row").filter(has_text=ref)
        await expect(row).to_contain_text(f"Er geldt geen afspraak voor {PROGRAMME} op ")
        await expect(row).to_contain_text("2027")
        text = await page.locator("main").inner_text()
        for english in ("no agreement", "in force", "at capacity", "serves", "responsible"):
            assert english not in text, f"English on the Dutch waiting list: {english!r}"
        assert await axe_violations(page) == []

        await page.goto(f"{base}/ui/preconditions")
        row = page.get_by_role("row").filter(has_text=ref)
        await expect(row).to_contain_text("Er geldt geen afspraak voor")
        assert "no agreement" not in await page.locator("main").inner_text()
        assert await axe_violations(page) == []

        await page.goto(f"{base}/ui/waiting-list?lang=en")
        row = page.get_by_role("row").filter(has_text=ref)
        await expect(row).to_contain_text(f"No agreement is in force for {PROGRAMME} on ")
        await context.close()
    finally:
        await scenario.close()


def test_each_waiting_reason_code_is_worded_in_dutch_and_english_and_an_older_sentence_kept():
    from zroute_support.domain.routing import WaitCode, WaitingReason
    from zroute_support.ui.work import waiting_reason_text

    full = WaitingReason.of(WaitCode.AT_CAPACITY, capability="transport")
    assert waiting_reason_text(full, "nl") == "Elke partner voor vervoer zit vol."
    assert waiting_reason_text(full, "en") == "Every partner for transport is at capacity."
    none = WaitingReason.of(WaitCode.NO_AGREEMENT, programme="prog-a", day="2027-01-04")
    assert (
        waiting_reason_text(none, "nl") == "Er geldt geen afspraak voor prog-a op 4 januari 2027."
    )
    serves = WaitingReason.of(
        WaitCode.NO_PARTNER_SERVES, capability="childcare", municipality="GM0363"
    )
    assert "GM0363" in waiting_reason_text(serves, "nl")
    responsible = WaitingReason.of(WaitCode.NO_RESPONSIBLE_PARTNER, capability="childcare")
    assert waiting_reason_text(responsible, "nl").startswith("De afspraak noemt geen partner")
    older = WaitingReason.of(WaitCode.UNCODED, text="every partner with transport is at capacity")
    assert waiting_reason_text(older, "nl") == "every partner with transport is at capacity"
    bad_day = WaitingReason.of(WaitCode.NO_AGREEMENT, programme="prog-a", day="someday")
    assert waiting_reason_text(bad_day, "nl") == "no agreement in force for prog-a on someday"
