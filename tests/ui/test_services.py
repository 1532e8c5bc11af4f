"""Every service mounts the screens: its start page behind the login, for the roles its
API serves, 403 for the others."""

from __future__ import annotations

import importlib

import httpx
import pytest
from zroute_ui.testing import ui_settings

from tests.ui.conftest import free_port, login

CASES = {
    # service: (a demo user admitted, a demo user refused)
    "planning": ("teacher", "operator"),
    "support": ("care_partner", None),
    "notifications": ("coordinator", None),
}


@pytest.mark.parametrize("service", sorted(CASES))
async def test_the_start_page_of_each_service_is_behind_the_login(services, issuer, service):
    bootstrap = importlib.import_module(f"zroute_{service}.bootstrap")
    settings_cls = importlib.import_module(f"zroute_{service}.settings").Settings
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = services.settings(
        settings_cls,
        http_port=port,
        ui_cookie_secure=False,
        **ui_settings(issuer, service, {service: base}),
    )
    await services.start(bootstrap.definition(settings), settings, consume=False)
    admitted, refused = CASES[service]
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        assert (await client.get("/ui/")).status_code == 303
        await login(client, admitted)
        start = await client.get("/ui/")
        assert start.status_code == 200
        assert 'aria-current="page"' in start.text
    if refused:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            await login(client, refused)
            assert (await client.get("/ui/")).status_code == 403
