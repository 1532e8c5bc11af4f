"""The screens against a real OpenID Connect provider on localhost, real services on the
real broker and database, and (for the browser tests) Debian's Chromium."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.async_api import async_playwright
from zroute_intake.bootstrap import definition
from zroute_intake.settings import Settings
from zroute_ui.testing import DEMO_USERS, DemoUser, oidc_provider, ui_settings

ROOT = Path(__file__).parents[2]
AXE = ROOT / "shared" / "ui" / "node_modules" / "axe-core" / "axe.min.js"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Staff of the support tests' care partner (tests/support/scenario.py), besides the demo users.
CARE_A = DemoUser("test-zorg-a", ("zroute-partner",), partner_id="care-a", municipality=None)
# A job coach of the support tests' job-coaching partner.
COACHES = DemoUser("test-jobcoach", ("zroute-partner",), partner_id="coaches", municipality=None)
# Staff of the support tests' interpreter partner (RESPONSIBLE[INTERPRETER] is "coordinator").
INTERPRETERS = DemoUser(
    "test-tolkendesk", ("zroute-partner",), partner_id="coordinator", municipality=None
)


@pytest.fixture(scope="session")
def issuer() -> Iterator[str]:
    with oidc_provider(extra_users=[CARE_A, COACHES, INTERPRETERS]) as url:
        yield url


@pytest.fixture
def start_intake(services, issuer):
    """Starts intake with its screens, logging in at the provider; returns (runtime, base)."""

    async def start(**overrides):
        return await _start_intake(services, issuer, **overrides)

    return start


@pytest.fixture
async def intake_ui(start_intake):
    """Intake over plain HTTP with cookies that are not Secure (httpx keeps Secure cookies
    for HTTPS); the browser tests run with the production default."""
    return await start_intake(ui_cookie_secure=False)


async def _start_intake(services, issuer, **overrides):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    urls = {"intake": base} | {
        s: f"http://127.0.0.1:{free_port()}" for s in ("planning", "support", "notifications")
    }
    settings = services.settings(
        Settings, http_port=port, **(ui_settings(issuer, "intake", urls) | overrides)
    )
    runtime = await services.start(definition(settings), settings)
    return runtime, base


async def login(client: httpx.AsyncClient, user: str, next_path: str = "/ui/") -> httpx.Response:
    """The whole code flow as a browser does it: the service's login, the provider's form
    (the demo user's button), the callback; returns the last answer of the service."""
    response = await client.get("/ui/login", params={"next": next_path})
    assert response.status_code == 303, response.text
    authorize = response.headers["location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    async with httpx.AsyncClient(timeout=10) as provider:
        form = await provider.get(authorize)
        assert form.status_code == 200
        answer = await provider.post(authorize, data={"sub": DEMO_USERS[user].sub})
    assert answer.status_code in (302, 303), answer.text
    callback = answer.headers["location"]
    assert callback.startswith(str(client.base_url).rstrip("/") + "/ui/auth/callback")
    return await client.get(callback)


@pytest.fixture
async def browser_client(intake_ui) -> AsyncIterator[httpx.AsyncClient]:
    """A cookie-keeping client of the intake screens (cookies not Secure: plain HTTP)."""
    _, base = intake_ui
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
async def _playwright():
    from tests.ui.browser import check_tools

    check_tools()
    async with async_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
async def _chromium(_playwright):
    """One Chromium for the run: a launch costs a second or more, and every test works in
    a browser context of its own (cookies, storage and pages apart)."""
    from tests.ui.browser import CHROMIUM, CHROMIUM_ARGS

    async def launch():
        return await _playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )

    holder = {"browser": await launch()}

    async def connected():
        if not holder["browser"].is_connected():
            holder["browser"] = await launch()  # a test crashed it: the next gets a new one
        return holder["browser"]

    yield connected
    await holder["browser"].close()


@pytest.fixture
async def browser(_chromium):
    """Debian's Chromium, headless (Playwright's own browser download is never used).
    Shared by the run's tests; the contexts a test opened are closed after it, so no
    test sees another's pages or cookies."""
    chromium = await _chromium()
    before = set(chromium.contexts)
    yield chromium
    for context in chromium.contexts:
        if context not in before:
            await context.close()
