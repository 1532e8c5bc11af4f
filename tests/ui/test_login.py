"""The login: the OpenID Connect code flow with PKCE against a real provider, signed
HttpOnly SameSite cookies, CSRF on every form, logout, the same roles as the API, and no
way into a session but the provider's callback."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
from itsdangerous import URLSafeTimedSerializer

from tests.helpers import token
from tests.intake.builders import auth, registration
from tests.ui.conftest import login

KIT_OPEN_ROUTES = {
    "/ui/login",
    "/ui/auth/callback",
    "/ui/signed-out",
    "/ui/static/{name}",
    "/ui/{path:path}",  # the 404 page
}


async def test_a_caseworker_logs_in_through_the_provider_and_sees_the_start_page(
    browser_client,
):
    response = await login(browser_client, "caseworker")
    assert response.status_code == 303 and response.headers["location"] == "/ui/"
    start = await browser_client.get("/ui/")
    assert start.status_code == 200
    assert "Klantmanager" in start.text and "Caseload" in start.text
    assert start.headers["content-security-policy"].startswith("default-src 'self'")


async def test_the_session_cookie_is_signed_httponly_samesite_and_secure_by_default(
    start_intake,
):
    _, base = await start_intake()  # the production default: Secure cookies
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        response = await client.get("/ui/login")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("zroute_intake_login=")
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/ui"):
        assert flag in cookie, cookie


async def test_every_page_but_login_callback_signed_out_and_static_needs_a_session(intake_ui):
    runtime, base = intake_ui
    routes = [
        route
        for router in runtime.definition.routers
        for route in router.routes
        if route.path.startswith("/ui")
    ]
    guarded = [r for r in routes if r.path not in KIT_OPEN_ROUTES]
    assert {r.path for r in routes} - {r.path for r in guarded} == KIT_OPEN_ROUTES
    assert len(guarded) >= 5
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        openapi = (await client.get("/openapi.json", headers=auth())).json()
        assert not [p for p in openapi["paths"] if p.startswith("/ui")], "pages stay out of the API"
        for route in guarded:
            path = re.sub(r"\{[^}]+\}", "zr-" + "0" * 32, route.path)
            for method in route.methods:
                response = await client.request(method, path)
                assert response.status_code == 303, (method, path)
                assert response.headers["location"].startswith("/ui/login?next=")


async def test_a_bearer_token_or_a_forged_cookie_does_not_open_a_page(intake_ui):
    _, base = intake_ui
    forged = URLSafeTimedSerializer("x" * 40, salt="zroute-ui-session-intake").dumps(
        {"sub": "mallory", "roles": ["caseworker"], "csrf": "c", "in": 9e9, "seen": 9e9}
    )
    attempts = [
        {"headers": {"Authorization": f"Bearer {token(['caseworker'])}"}},
        {"cookies": {"zroute_intake_session": forged}},
        {"params": {"as": "caseworker", "test_login": "1"}},
    ]
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for attempt in attempts:
            response = await client.get("/ui/caseload", **attempt)
            assert response.status_code == 303, attempt
            assert response.headers["location"].startswith("/ui/login")


async def test_a_callback_without_the_login_state_is_refused(browser_client):
    response = await browser_client.get("/ui/auth/callback", params={"code": "x", "state": "y"})
    assert response.status_code == 400
    assert "zroute_intake_session" not in response.headers.get("set-cookie", "")


async def test_a_form_without_the_csrf_token_is_refused(browser_client, intake_ui):
    _, base = intake_ui
    async with httpx.AsyncClient(base_url=base, headers=auth(), timeout=10) as api:
        ref = (await api.post("/participants", json=registration())).json()["participant_ref"]
    await login(browser_client, "caseworker")
    path = f"/ui/participants/{ref}/personal-data"
    refused = await browser_client.post(path, data={"purpose": "pip_drafting"})
    assert refused.status_code == 403
    wrong = await browser_client.post(path, data={"purpose": "pip_drafting", "csrf_token": "x"})
    assert wrong.status_code == 403
    dossier = await browser_client.get(f"/ui/participants/{ref}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', dossier.text).group(1)
    shown = await browser_client.post(path, data={"purpose": "pip_drafting", "csrf_token": csrf})
    assert shown.status_code == 200 and "Haddad" in shown.text
    async with httpx.AsyncClient(base_url=base, headers=auth(), timeout=10) as api:
        log = (await api.get(f"/participants/{ref}/access-log")).json()
    assert [entry["purpose"] for entry in log] == ["pip_drafting"]


async def test_a_role_the_page_does_not_name_gets_403(browser_client):
    await login(browser_client, "care_partner")
    # Not "/ui/": intake has a start page for partner staff since the contact card (issue 18).
    for path in ("/ui/participants/new", "/ui/caseload"):
        response = await browser_client.get(path)
        assert response.status_code == 403, path
        assert "U hebt geen toegang tot deze pagina" in response.text


async def test_a_coordinator_reads_the_caseload_but_not_personal_data(browser_client, intake_ui):
    _, base = intake_ui
    async with httpx.AsyncClient(base_url=base, headers=auth(), timeout=10) as api:
        ref = (await api.post("/participants", json=registration())).json()["participant_ref"]
    await login(browser_client, "coordinator")
    assert (await browser_client.get("/ui/caseload")).status_code == 200
    dossier = await browser_client.get(f"/ui/participants/{ref}")
    assert dossier.status_code == 200 and "Persoonsgegevens zijn alleen voor klantmanagers" in (
        dossier.text
    )
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', dossier.text).group(1)
    response = await browser_client.post(
        f"/ui/participants/{ref}/personal-data",
        data={"purpose": "pip_drafting", "csrf_token": csrf},
    )
    assert response.status_code == 403


async def test_an_account_without_a_mapped_role_is_not_logged_in(browser_client):
    response = await login(browser_client, "nobody")
    assert response.status_code == 400
    assert "uw account heeft geen rol op dit platform" in response.text
    assert (await browser_client.get("/ui/")).status_code == 303


async def test_logout_ends_the_session_and_needs_the_csrf_token(browser_client):
    await login(browser_client, "caseworker")
    start = await browser_client.get("/ui/")
    assert (await browser_client.post("/ui/logout")).status_code == 403
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', start.text).group(1)
    out = await browser_client.post("/ui/logout", data={"csrf_token": csrf})
    # Then the provider ends its session too, and sends the browser to the signed-out page.
    ends = urlsplit(out.headers["location"])
    assert out.status_code == 303 and ends.path == "/oauth2/end_session"
    back = parse_qs(ends.query)["post_logout_redirect_uri"][0]
    assert back == str(browser_client.base_url).rstrip("/") + "/ui/signed-out"
    assert (await browser_client.get("/ui/")).status_code == 303


async def test_without_provider_settings_nobody_logs_in(start_intake):
    _, base = await start_intake(ui_oidc_issuer=None, ui_cookie_secure=False)
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        assert (await client.get("/ui/login")).status_code == 503
        assert (await client.get("/ui/")).status_code == 303


async def test_an_unknown_address_under_ui_answers_the_404_page(intake_ui):
    _, base = intake_ui
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        response = await client.get("/ui/no/such/page")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
