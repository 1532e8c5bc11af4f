"""The role screenshots of planning and support with intake running beside them (issue 19:
one screen per role, looked at): the partners' pages name the participants where intake's
contact card allows it (a relation and a consent), as they would in production, instead of
"(intake not available)". ``./run screenshots`` copies these pages to
``docs/screenshots/role-*.png``."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from playwright.async_api import expect
from zroute_intake.bootstrap import definition as intake_definition
from zroute_intake.settings import Settings as IntakeSettings
from zroute_support.bootstrap import definition as support_definition
from zroute_support.settings import Settings as SupportSettings
from zroute_ui.testing import DEMO_USERS, ui_settings

from tests.helpers import capture, token, wait_for
from tests.intake import builders
from tests.planning.events import PROGRAMME
from tests.planning.integration.conftest import intake_completed
from tests.support.integration.test_placements import CONFIRM, requested
from tests.support.integration.test_referrals import signal, signals
from tests.support.scenario import PROGRAMME as SUPPORT_PROGRAMME
from tests.support.scenario import Scenario
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import CARE_A, COACHES, login
from tests.ui.test_cross_service import MUNICIPALITY, _forwarding, _start, _urls

NAMES = (("Amina", "Haddad"), ("Bilal", "Yousef"), ("Carmen", "Dijkstra"), ("Daniel", "Tesfaye"))


async def test_the_teachers_roll_call_names_each_participant_with_intake_beside_it(
    services, amqp_connection, issuer, browser, tmp_path
):
    urls = _urls()
    planning = await _start(services, amqp_connection, issuer, urls)
    caseworker = {"Authorization": f"Bearer {token(['caseworker'], municipality=MUNICIPALITY)}"}
    school = DEMO_USERS["teacher"].partner_id
    names = {}
    async with httpx.AsyncClient(base_url=urls["intake"], timeout=10, headers=caseworker) as api:
        for given, family in NAMES:
            body = builders.registration(given_names=given, family_name=family)
            answer = await api.post("/participants", json=body)
            assert answer.status_code == 201, answer.text
            ref = answer.json()["participant_ref"]
            # The school attends the intake (the relation) and the participant consents.
            scheduled = await api.put(f"/participants/{ref}/intake", json=builders.schedule())
            assert scheduled.status_code == 200, scheduled.text
            given_consent = await api.post(
                f"/participants/{ref}/consents", json=builders.consent(partner_id=school)
            )
            assert given_consent.status_code == 201, given_consent.text
            names[ref] = given
    for ref in names:
        await planning.activate(intake_completed(ref))
    async with httpx.AsyncClient(base_url=urls["planning"], timeout=10) as planner:
        await login(planner, "coordinator")
        groups = await planner.get("/ui/groups")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', groups.text).group(1)
        data = {"csrf_token": csrf, "formation-programme": PROGRAMME}
        assert (await planner.post("/ui/group-formations", data=data)).status_code == 303
    await planning.expect("group-formed")
    await planning.runtime.advance_clock(timedelta(days=21))

    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    page = await context.new_page()
    await page.goto(f"{urls['planning']}/ui/groups")
    await page.get_by_role("button", name=DEMO_USERS["teacher"].sub).click()
    await page.get_by_role("link", name="Presentie", exact=False).first.click()
    sessions = page.get_by_role("table", name="De lessen van de groep in de laatste twee weken")
    await sessions.locator("tbody tr").first.get_by_role("link").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Presentie")
    lines = page.get_by_role("table", name="Wie er was: één regel per deelnemer")
    await expect(lines.locator("tbody tr")).to_have_count(4)
    for ref, given in names.items():
        await expect(lines.locator("tbody tr").filter(has_text=ref)).to_contain_text(given)
    text = await lines.inner_text()
    assert "niet beschikbaar" not in text and "onbekend" not in text, text
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "planning-roll-call-names.png", full_page=True)
    await context.close()


async def test_the_care_partners_referrals_name_the_participant_with_intake_beside_it(
    services, amqp_connection, issuer, browser, tmp_path
):
    """Registered in intake with a consent for the care partner; the referral reaches
    support; once the care partner accepts it (the relation intake keeps), its page names
    the participant."""
    urls, scenario = await _intake_and_support(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        ref = await _registered(urls, "Amina", "Haddad", consent_for=CARE_A.partner_id)
        # Support hears of the participant and the care signal as it would from intake.
        await scenario.participant(ref=ref)
        consent_id = await scenario.consent(ref)
        await scenario.feed(signals(ref, signal(consent_id)))
        [requested] = await scenario.emitted("referral-requested", participant_ref=ref)
        assert requested["data"]["partner_id"] == CARE_A.partner_id

        shots = screenshot_dir(tmp_path)
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="nl-NL"
        )
        page = await context.new_page()
        await page.goto(f"{urls['support']}/ui/referrals")
        await page.get_by_role("button", name=CARE_A.sub).click()
        row = page.get_by_role("row").filter(has_text=ref)
        await row.get_by_role("button", name="Accepteren").click()
        await expect(page.get_by_role("status")).to_have_text("De verwijzing is geaccepteerd.")

        async def named() -> bool:  # intake takes the relation from referral-accepted
            await page.reload()
            return "Amina" in await page.get_by_role("row").filter(has_text=ref).inner_text()

        await wait_for(named, interval=0.5, what="the accepted referral names the participant")
        text = await page.get_by_role("row").filter(has_text=ref).inner_text()
        assert "niet beschikbaar" not in text and "onbekend" not in text, text
        assert await axe_violations(page) == []
        await keep_screenshot(page, shots / "support-referrals-names.png", full_page=True)
        await context.close()
    finally:
        await scenario.close()


async def test_the_job_coachs_placements_name_the_participant_with_intake_beside_it(
    services, amqp_connection, issuer, browser, tmp_path
):
    """Registered in intake with a consent for the job coach's partner; the placement is
    confirmed with the job coach (the relation intake keeps): the placements page names
    the participant to the job coach."""
    urls, scenario = await _intake_and_support(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        ref = await _registered(urls, "Bilal", "Yousef", consent_for=COACHES.partner_id)
        await scenario.participant(ref=ref)
        request = requested(ref)
        await scenario.feed(request)
        rid = request.placement_request_id
        confirmed = await scenario.partner("work-a").post(
            f"/placements/{rid}/confirm", json=CONFIRM
        )
        assert confirmed.status_code == 200, confirmed.text

        shots = screenshot_dir(tmp_path)
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="nl-NL"
        )
        page = await context.new_page()
        await page.goto(f"{urls['support']}/ui/placements")
        await page.get_by_role("button", name=COACHES.sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Plaatsingen")

        async def named() -> bool:  # intake takes the relation from job-coach-assigned
            await page.reload()
            return "Bilal" in await page.get_by_role("row").filter(has_text=ref).inner_text()

        await wait_for(named, interval=0.5, what="the placement names the participant")
        row = page.get_by_role("row").filter(has_text=ref)
        text = await row.inner_text()
        assert "niet beschikbaar" not in text and "onbekend" not in text, text
        await row.get_by_label("Met").select_option("employer")
        await row.get_by_label("Op").fill("2027-03-08")
        await row.get_by_role("button", name="Vastleggen").click()
        await expect(page.get_by_role("status")).to_have_text("Het gesprek is vastgelegd.")
        assert await axe_violations(page) == []
        await keep_screenshot(page, shots / "support-placements-names.png", full_page=True)
        await context.close()
    finally:
        await scenario.close()


async def _intake_and_support(services, amqp_connection, issuer) -> tuple[dict, Scenario]:
    """Intake and support with their screens, each reading the other with the user's
    token; returns the addresses and support's scenario helper."""
    urls = _urls()
    for name, settings_class, definition in (
        ("intake", IntakeSettings, intake_definition),
        ("support", SupportSettings, support_definition),
    ):
        settings = services.settings(
            settings_class,
            http_port=int(urls[name].rsplit(":", 1)[1]),
            ui_cookie_secure=False,
            **(ui_settings(issuer, name, urls) | _forwarding(issuer) | _programme(name)),
        )
        runtime = await services.start(definition(settings), settings)
    seen = await capture(amqp_connection, runtime.topology.exchange)
    return urls, Scenario(runtime, seen, amqp_connection)


def _programme(service: str) -> dict:
    """Intake runs support's scenario programme: a participant's registration reaches
    support from intake and from the scenario alike, and a registration never overwrites
    a known participant's programme (a late one must not undo a move), so both must say
    the same."""
    return (
        {"intake_care_coordinators": {SUPPORT_PROGRAMME: "care-coordinator"}}
        if service == "intake"
        else {}
    )


async def _registered(urls: dict, given: str, family: str, *, consent_for: str) -> str:
    """A participant registered in intake, consenting to share with ``consent_for``."""
    caseworker = {"Authorization": f"Bearer {token(['caseworker'], municipality=MUNICIPALITY)}"}
    async with httpx.AsyncClient(base_url=urls["intake"], timeout=10, headers=caseworker) as api:
        body = builders.registration(
            given_names=given, family_name=family, programme_id=SUPPORT_PROGRAMME
        )
        answer = await api.post("/participants", json=body)
        assert answer.status_code == 201, answer.text
        ref = answer.json()["participant_ref"]
        consent = builders.consent(partner_id=consent_for)
        given_consent = await api.post(f"/participants/{ref}/consents", json=consent)
        assert given_consent.status_code == 201, given_consent.text
    return ref
