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
from zroute_ui.testing import DEMO_USERS

from tests.helpers import token
from tests.intake import builders
from tests.planning.events import PROGRAMME
from tests.planning.integration.conftest import intake_completed
from tests.ui.browser import axe_violations, screenshot_dir
from tests.ui.conftest import login
from tests.ui.test_cross_service import MUNICIPALITY, _start, _urls

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
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
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
    await page.screenshot(path=str(shots / "planning-roll-call-names.png"), full_page=True)
    await context.close()
