"""Support with its screens, for the browser tests of care coordinators, care partners and
job coaches: the service on a free port, logging in at the test's OpenID Connect provider,
with a bus capture and the support test scenario on it."""

from __future__ import annotations

from typing import Any

from zroute_support.bootstrap import definition
from zroute_support.settings import Settings
from zroute_ui.testing import ui_settings

from tests.helpers import capture
from tests.support.scenario import Scenario
from tests.ui.conftest import free_port


async def support_with_screens(
    services: Any, amqp_connection: Any, issuer: Any, others: dict[str, str] | None = None
) -> tuple[Scenario, str]:
    """The scenario on the started service (``scenario.runtime``) and its base URL;
    ``others``: the other services' screens the pages link to (name -> base URL)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = services.settings(
        Settings,
        http_port=port,
        **ui_settings(issuer, "support", {"support": base} | (others or {})),
    )
    runtime = await services.start(definition(settings), settings)
    seen = await capture(amqp_connection, runtime.topology.exchange)
    return Scenario(runtime, seen, amqp_connection), base
