"""Generated from the pages themselves: every page of intake's, planning's, support's and
notifications' screens answers 403 to each demo role it does not name, and lets in each
role it names (a named role may still meet the scope the API keeps: see SCOPED)."""

from __future__ import annotations

import re

import httpx
import pytest
from zroute_runtime.auth import Role
from zroute_support.bootstrap import definition as support_definition
from zroute_support.settings import Settings as SupportSettings
from zroute_ui.testing import ui_settings

from tests.notifications import world
from tests.notifications.conftest import smtp  # noqa: F401 (the fixture)
from tests.ui.conftest import free_port, login
from tests.ui.test_planning import start_planning

PATH_VALUES = {
    "{ref}": "zr-" + "0" * 32,
    "{referral_id}": "00000000-0000-0000-0000-000000000000",
    "{action}": "accept",
    "{programme_id}": "no-such-programme",
    "{notification_id}": "00000000-0000-0000-0000-000000000000",
    "{request_id}": "00000000-0000-0000-0000-000000000000",
    "{service}": "support",
    "{participant_ref}": "zr-" + "0" * 32,
    "{group_id}": "00000000-0000-0000-0000-000000000000",
    "{index}": "0",
    "{on}": "2026-01-05",
    "{session_id}": "00000000-0000-0000-0000-000000000000",
    "{pause_id}": "00000000-0000-0000-0000-000000000000",
}
# Pages that check a named role's scope against the data too (the API's rule): partner
# staff see only the overview of a programme whose agreement names their partner, and form
# groups only for a programme their partner teaches.
SCOPED = {
    ("GET", "/ui/programmes/{programme_id}/overview", Role.PARTNER_STAFF),
    ("POST", "/ui/group-formations", Role.PARTNER_STAFF),
}
USERS = {
    "caseworker": Role.CASEWORKER,
    "coordinator": Role.COORDINATOR,
    "care_partner": Role.PARTNER_STAFF,
    "operator": Role.OPERATOR,
}


def page_roles(route) -> frozenset[Role] | None:
    """The roles named by the route's page dependency; None for the kit's open routes."""
    for dependency in route.dependant.dependencies:
        roles = getattr(dependency.call, "roles", None)
        if roles is not None:
            return roles
    return None


@pytest.fixture(params=["intake", "planning", "support", "notifications"])
async def screens(request, services, issuer):
    if request.param == "intake":
        return await request.getfixturevalue("start_intake")(ui_cookie_secure=False)
    if request.param == "planning":
        amqp = request.getfixturevalue("amqp_connection")
        planning, base = await start_planning(services, amqp, issuer, ui_cookie_secure=False)
        return planning.runtime, base
    if request.param == "notifications":
        return await _notifications(services, issuer, request.getfixturevalue("smtp"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = services.settings(
        SupportSettings,
        http_port=port,
        ui_cookie_secure=False,
        **ui_settings(issuer, "support", {"support": base}),
    )
    return await services.start(support_definition(settings), settings, consume=False), base


async def _notifications(services, issuer, smtp_server):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    runtime = await world.start(
        services,
        smtp_server.port,
        http_port=port,
        ui_cookie_secure=False,
        **ui_settings(issuer, "notifications", {"notifications": base}),
    )
    return runtime, base


async def test_every_page_answers_403_to_each_role_it_does_not_name(screens):
    runtime, base = screens
    pages = [
        (method, route.path, page_roles(route))
        for router in runtime.definition.routers
        for route in router.routes
        if route.path.startswith("/ui") and route.path != "/ui/logout"
        for method in route.methods
    ]
    pages = [(m, p, roles) for m, p, roles in pages if roles is not None]
    assert len(pages) >= 3
    checked = 0
    for user, role in USERS.items():
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await login(client, user)
            start = await client.get("/ui/")  # any page of the session carries its token
            found = re.search(r'name="csrf_token" value="([^"]+)"', start.text)
            csrf = found.group(1) if found else ""
            for method, path, roles in pages:
                url = path
                for name, value in PATH_VALUES.items():
                    url = url.replace(name, value)
                data = {"csrf_token": csrf} if method == "POST" else None
                response = await client.request(method, url, data=data)
                named = not roles or role in roles
                if (method, path, role) in SCOPED:
                    assert response.status_code in (200, 403), (user, method, path)
                elif named:
                    assert response.status_code != 403, (user, method, path)
                else:
                    assert response.status_code == 403, (user, method, path)
                checked += 1
    assert checked == len(pages) * len(USERS)
