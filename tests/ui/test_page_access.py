"""Generated from the pages themselves: every page of intake's screens answers 403 to
each demo role it does not name, and lets in each role it names."""

from __future__ import annotations

import re

import httpx
from zroute_runtime.auth import Role

from tests.ui.conftest import login

DUMMY_REF = "zr-" + "0" * 32
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


async def test_every_page_answers_403_to_each_role_it_does_not_name(intake_ui):
    runtime, base = intake_ui
    pages = [
        (method, route.path, page_roles(route))
        for router in runtime.definition.routers
        for route in router.routes
        if route.path.startswith("/ui") and route.path != "/ui/logout"
        for method in route.methods
    ]
    pages = [(m, p, roles) for m, p, roles in pages if roles is not None]
    assert len(pages) >= 4
    checked = 0
    for user, role in USERS.items():
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await login(client, user)
            csrf = ""
            if role in {Role.CASEWORKER, Role.COORDINATOR, Role.OPERATOR}:
                start = await client.get("/ui/")
                csrf = re.search(r'name="csrf_token" value="([^"]+)"', start.text).group(1)
            for method, path, roles in pages:
                url = path.replace("{ref}", DUMMY_REF)
                data = {"csrf_token": csrf} if method == "POST" else None
                response = await client.request(method, url, data=data)
                named = not roles or role in roles
                if named:
                    assert response.status_code != 403, (user, method, path)
                else:
                    assert response.status_code == 403, (user, method, path)
                checked += 1
    assert checked == len(pages) * len(USERS)
