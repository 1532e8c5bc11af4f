"""A page in one service reads the others with the logged-in user's own token (issue 19,
issue 15.3 and 15.6): the caseworker's "across the services" page in intake shows the
hours planning holds and the audit trail of every service, read from their APIs with the
access token the real OIDC provider gave at login. Planning's own access check decides:
a user whose role planning does not grant sees "no access" there; a service that is down
shows as not available (never a 500); a token the provider no longer knows sends the
user to the login again."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from playwright.async_api import expect
from zroute_intake.bootstrap import definition as intake_definition
from zroute_intake.settings import Settings as IntakeSettings
from zroute_planning.bootstrap import definition as planning_definition
from zroute_planning.settings import Settings as PlanningSettings
from zroute_ui import remote
from zroute_ui.testing import DEMO_USERS, ui_settings

from tests.helpers import capture, token
from tests.intake import builders
from tests.planning.events import PROGRAMME
from tests.planning.integration.conftest import TEST_RULES, Planning, intake_completed
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import free_port, login

MUNICIPALITY = "GM0363"


def _urls() -> dict[str, str]:
    return {
        s: f"http://127.0.0.1:{free_port()}"
        for s in ("intake", "planning", "support", "notifications")
    }


def _forwarding(issuer: str) -> dict:
    """The APIs accept the provider's opaque access tokens at its userinfo endpoint,
    asked on every call here so that a revoked token is seen at once."""
    return {"auth_oidc_userinfo_url": f"{issuer}/userinfo", "auth_userinfo_cache_s": 0}


async def _start(services, amqp_connection, issuer, urls, **planning_overrides):
    intake_port = int(urls["intake"].rsplit(":", 1)[1])
    settings = services.settings(
        IntakeSettings,
        http_port=intake_port,
        ui_cookie_secure=False,
        **(ui_settings(issuer, "intake", urls) | _forwarding(issuer)),
    )
    await services.start(intake_definition(settings), settings)
    planning_port = int(urls["planning"].rsplit(":", 1)[1])
    settings = services.settings(
        PlanningSettings,
        http_port=planning_port,
        planning_rules=TEST_RULES,
        solver_workers=1,
        teaching_partner_id=DEMO_USERS["teacher"].partner_id,
        ui_cookie_secure=False,
        **(ui_settings(issuer, "planning", urls) | _forwarding(issuer) | planning_overrides),
    )
    runtime = await services.start(planning_definition(settings), settings)
    seen = await capture(amqp_connection, runtime.topology.exchange, "planning.#")
    return Planning(runtime, seen, None, amqp_connection)


async def _participant_with_hours(urls, planning) -> str:
    """Registered in intake and active in planning, with 2 language hours recorded; each
    command by a named caseworker (the audit trail's actors)."""
    registrar = token(["caseworker"], subject="cw-registrar", municipality=MUNICIPALITY)
    async with httpx.AsyncClient(base_url=urls["intake"], timeout=10) as api:
        answer = await api.post(
            "/participants",
            json=builders.registration(),
            headers={"Authorization": f"Bearer {registrar}"},
        )
    assert answer.status_code == 201, answer.text
    ref = answer.json()["participant_ref"]
    await planning.activate(intake_completed(ref))
    await planning.runtime.advance_clock(timedelta(days=21))
    recorder = token(["caseworker"], subject="cw-attendance", municipality=MUNICIPALITY)
    day = planning.runtime.clock.now().date() - timedelta(days=5)
    async with httpx.AsyncClient(base_url=urls["planning"], timeout=10) as api:
        answer = await api.post(
            f"/participants/{ref}/attendance",
            json={
                "session_id": "00000000-0000-4000-8000-000000000001",
                "session_on": str(day),
                "kind": "language",
                "teaching_form": "classroom",
                "status": "present",
                "minutes": 120,
            },
            headers={"Authorization": f"Bearer {recorder}"},
        )
    assert answer.status_code == 201, answer.text
    return ref


async def test_intake_reads_planning_with_the_users_token_and_shows_who_did_what(
    services, amqp_connection, issuer, monkeypatch
):
    urls = _urls()
    planning = await _start(services, amqp_connection, issuer, urls)
    ref = await _participant_with_hours(urls, planning)

    async with httpx.AsyncClient(base_url=urls["intake"], timeout=10) as client:
        await login(client, "caseworker")
        page = await client.get(f"/ui/participants/{ref}/across")
        assert page.status_code == 200, page.text
        text = page.text
        # Planning's hours (W 35(3)), read from planning's API with the caseworker's token.
        assert 'id="attendance"' in text and "100%" in text
        # The trail: intake's and planning's own records of who did what.
        assert "participant-registered" in text and "cw-registrar" in text
        assert "attendance-recorded" in text and "cw-attendance" in text
        # Support and notifications are not running: "not available", not a 500.
        assert 'data-service="support" data-outcome="unavailable"' in text
        assert 'data-service="notifications" data-outcome="unavailable"' in text
        dossier = await client.get(f"/ui/participants/{ref}")
        assert f'href="/ui/participants/{ref}/across"' in dossier.text

        # The provider no longer knows the token (revoked; an expired one is the same
        # there): the page sends the user to the login again, for a fresh token.
        monkeypatch.setattr(remote, "FRESH_LOGIN_S", 0.0)
        async with httpx.AsyncClient(timeout=10) as provider:
            sub = DEMO_USERS["caseworker"].sub
            revoked = await provider.post(f"{issuer}/users/{sub}/revoke-tokens")
            assert revoked.status_code == 204
        again = await client.get(f"/ui/participants/{ref}/across")
        assert again.status_code == 303
        assert again.headers["location"].startswith("/ui/login?next=")


async def test_planning_refuses_a_role_it_does_not_grant_and_the_page_says_so(
    services, amqp_connection, issuer
):
    # Planning maps only the coordinators' group: the caseworker's own token has no role
    # there, so planning answers 403 and the page says "no access" for planning only.
    urls = _urls()
    planning = await _start(
        services, amqp_connection, issuer, urls, auth_role_map={"zroute-regie": "coordinator"}
    )
    ref = await _participant_with_hours(urls, planning)
    async with httpx.AsyncClient(base_url=urls["intake"], timeout=10) as client:
        await login(client, "caseworker")
        page = await client.get(f"/ui/participants/{ref}/across")
    assert page.status_code == 200, page.text
    assert 'data-service="planning" data-outcome="forbidden"' in page.text
    assert 'id="attendance"' not in page.text and "cw-attendance" not in page.text
    assert "participant-registered" in page.text  # intake still answers the same token


async def test_each_service_answers_the_audit_trail_within_its_scope(
    services, amqp_connection, issuer
):
    urls = _urls()
    planning = await _start(services, amqp_connection, issuer, urls)
    ref = await _participant_with_hours(urls, planning)
    path = f"/participants/{ref}/audit"
    async with httpx.AsyncClient(base_url=urls["planning"], timeout=10) as api:

        async def as_(roles, **kw):
            return await api.get(path, headers={"Authorization": f"Bearer {token(roles, **kw)}"})

        own = await as_(["coordinator"], municipality=MUNICIPALITY)
        assert own.status_code == 200, own.text
        [entry] = [e for e in own.json() if e["action"] == "attendance-recorded"]
        assert entry["actor"] == "cw-attendance" and entry["actor_roles"] == ["caseworker"]
        assert entry["service"] == "planning"
        assert (await as_(["caseworker"], municipality="GM0599")).status_code == 403
        assert (await as_(["partner_staff"], partner_id="taalschool")).status_code == 403
        assert (await as_(["operator"])).status_code == 403


async def test_the_teachers_roll_call_shows_names_where_the_contact_card_allows(
    services, amqp_connection, issuer
):
    # Two participants whose intake the teacher's school attends (intake's attendee
    # relation), one with a consent for the school; two intake never heard of.
    urls = _urls()
    planning = await _start(services, amqp_connection, issuer, urls)
    caseworker = {"Authorization": f"Bearer {token(['caseworker'], municipality=MUNICIPALITY)}"}
    school = DEMO_USERS["teacher"].partner_id
    refs = []
    async with httpx.AsyncClient(base_url=urls["intake"], timeout=10, headers=caseworker) as api:
        for given_names, consent in (("Amina", True), ("Bilal", False)):
            answer = await api.post(
                "/participants", json=builders.registration(given_names=given_names)
            )
            assert answer.status_code == 201, answer.text
            ref = answer.json()["participant_ref"]
            scheduled = await api.put(f"/participants/{ref}/intake", json=builders.schedule())
            assert scheduled.status_code == 200, scheduled.text
            if consent:
                given = await api.post(
                    f"/participants/{ref}/consents", json=builders.consent(partner_id=school)
                )
                assert given.status_code == 201, given.text
            refs.append(ref)
    strangers = [intake_completed().participant_ref for _ in range(2)]
    for ref in (*refs, *strangers):
        await planning.activate(intake_completed(ref))
    async with httpx.AsyncClient(base_url=urls["planning"], timeout=10) as planner:
        await login(planner, "coordinator")
        groups = await planner.get("/ui/groups")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', groups.text).group(1)
        data = {"csrf_token": csrf, "formation-programme": PROGRAMME}
        assert (await planner.post("/ui/group-formations", data=data)).status_code == 303
    [formed] = await planning.expect("group-formed")
    group_id = formed["data"]["group_id"]
    await planning.runtime.advance_clock(timedelta(days=21))

    async with httpx.AsyncClient(base_url=urls["planning"], timeout=10) as teacher:
        await login(teacher, "teacher")
        sessions = await teacher.get(f"/ui/groups/{group_id}/sessions")
        link = re.search(rf'href="(/ui/groups/{group_id}/sessions/\d+/[0-9-]+)"', sessions.text)
        roll_call = await teacher.get(link.group(1))
        assert roll_call.status_code == 200, roll_call.text
        text = roll_call.text
        # The teacher records the roll-call on the page: planning's trail names them.
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
        form = {"csrf_token": csrf}
        for i in range(4):
            minutes = re.search(rf'id="minutes-{i}" name="minutes-{i}"[^>]* value="(\d+)"', text)
            form |= {f"status-{i}": "present", f"minutes-{i}": minutes.group(1), f"reason-{i}": ""}
        sent = await teacher.post(link.group(1), data=form)
        assert sent.status_code == 303, sent.text
    coordinator = token(["coordinator"], subject="cw-reader", municipality=MUNICIPALITY)
    async with httpx.AsyncClient(base_url=urls["planning"], timeout=10) as api:
        trail = await api.get(
            f"/participants/{refs[0]}/audit", headers={"Authorization": f"Bearer {coordinator}"}
        )
    # Newest first: the teacher's roll-call, then the coordinator's group formation (both
    # done on pages, so the page's user is the actor).
    assert [(e["action"], e["actor"]) for e in trail.json()] == [
        ("attendance-recorded", DEMO_USERS["teacher"].sub),
        ("schedule-published", DEMO_USERS["coordinator"].sub),
        ("participant-assigned-to-group", DEMO_USERS["coordinator"].sub),
    ], trail.text
    with_card, without_consent = refs
    # The group's page (its members, issue 18 item 2) names them as the roll-call does.
    members = sessions.text
    assert re.search(rf"Amina [^<]*<span class=\"zr-ref\">{with_card}</span>", members)
    assert "Bilal" not in members
    assert re.search(
        rf"{without_consent}</span> <span class=\"zr-card-reason\">\(geen toestemming\)", members
    )
    for ref in strangers:
        assert re.search(
            rf"{ref}</span> <span class=\"zr-card-reason\">\(onbekend bij intake\)", members
        )
    assert re.search(rf"Amina [^<]*<span class=\"zr-ref\">{with_card}</span>", text)
    assert "Bilal" not in text
    assert re.search(
        rf"{without_consent}</span></a> <span class=\"zr-card-reason\">\(geen toestemming\)", text
    )
    for ref in strangers:
        assert re.search(
            rf"{ref}</span></a> <span class=\"zr-card-reason\">\(onbekend bij intake\)", text
        )


async def test_the_across_page_in_a_browser_has_no_axe_violations_in_dutch_or_english(
    services, amqp_connection, issuer, browser, tmp_path
):
    urls = _urls()
    planning = await _start(services, amqp_connection, issuer, urls)
    ref = await _participant_with_hours(urls, planning)
    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{urls['intake']}/ui/participants/{ref}")
    await page.get_by_role("button", name=DEMO_USERS["caseworker"].sub).click()
    await page.get_by_role("link", name="Over de diensten heen").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Over de diensten heen")
    await expect(page.get_by_role("table", name="Gevolgde uren per soort")).to_be_visible()
    found = {"nl": await axe_violations(page)}
    await keep_screenshot(page, shots / "intake-across.png", full_page=True)
    await page.goto(f"{urls['intake']}/ui/participants/{ref}/across?lang=en")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Across the services")
    await expect(page.get_by_text("Support: Not available").first).to_be_visible()
    found["en"] = await axe_violations(page)
    await context.close()
    assert found == {"nl": [], "en": []}
