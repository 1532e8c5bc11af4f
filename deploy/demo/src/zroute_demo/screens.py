"""``./run demo --serve``: the services keep running after the cohort, with their screens
behind a real OpenID Connect login (``oidc-provider-mock`` on localhost, the tests'
provider), and a demo user for each role whose partner is one of the demo's own.

Local run only: plain HTTP on loopback, so the session cookies are not ``Secure``; the
session and client secrets are new each run."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from zroute_ui.testing import ROLE_MAP, DemoUser, oidc_provider

# Beside the four services, after ZROUTE_DEMO_PORT_BASE (see system.py).
PROVIDER_PORT = int(os.environ.get("ZROUTE_DEMO_PORT_BASE", "8001")) + 9


@dataclass(frozen=True)
class Start:
    """Where one role starts, and as whom to sign in."""

    role: str
    service: str
    path: str
    user: DemoUser


# The demo's own partners (zroute_demo.cohort), so each user sees the cohort's records.
STARTS = (
    Start("caseworker", "intake", "/ui/caseload", DemoUser("demo-klantmanager", ("zroute-klantmanager",))),
    Start("planner / teacher", "planning", "/ui/plans", DemoUser("demo-docent-de-brug", ("zroute-partner",), partner_id="language-school", municipality=None)),
    Start("care coordinator", "support", "/ui/referral-board", DemoUser("demo-regisseur", ("zroute-regie",))),
    Start("care partner", "support", "/ui/referrals", DemoUser("demo-ggz-buurtteam", ("zroute-partner",), partner_id="mental-care-a", municipality=None)),
    Start("job coach", "support", "/ui/placements", DemoUser("demo-jobcoach", ("zroute-partner",), partner_id="job-coaches", municipality=None)),
    Start("municipality coordinator", "notifications", "/ui/programmes", DemoUser("demo-regisseur", ("zroute-regie",))),
    Start("operator", "notifications", "/ui/dead-letters", DemoUser("demo-beheerder", ("zroute-beheer",), municipality=None)),
)  # fmt: skip


@contextmanager
def login_provider(port: int = PROVIDER_PORT) -> Iterator[str]:
    """The login provider with the demo's users (and the tests' own); yields its issuer."""
    users = {s.user.sub: s.user for s in STARTS}
    with oidc_provider(port=port, extra_users=list(users.values())) as issuer:
        yield issuer


def ui_env(issuer: str, service: str, urls: dict[str, str]) -> dict[str, str]:
    """The screens' settings of one service process, as ``ZROUTE_UI_*`` variables."""
    return {
        "ZROUTE_UI_OIDC_ISSUER": issuer,
        "ZROUTE_UI_OIDC_CLIENT_ID": f"zroute-{service}",
        "ZROUTE_UI_OIDC_CLIENT_SECRET": secrets.token_urlsafe(16),
        "ZROUTE_UI_CLAIM_ROLES": "groups",
        "ZROUTE_UI_ROLE_MAP": json.dumps(ROLE_MAP),
        "ZROUTE_UI_SESSION_SECRET": secrets.token_urlsafe(32),
        "ZROUTE_UI_SERVICE_URLS": json.dumps(urls),
        "ZROUTE_UI_COOKIE_SECURE": "false",  # plain HTTP on loopback: a local run only
        # The APIs accept the provider's (opaque) access tokens that the screens forward
        # to read each other with the user's own rights (docs/ui.md).
        "ZROUTE_AUTH_OIDC_USERINFO_URL": f"{issuer}/userinfo",
    }


def start_table(issuer: str, urls: dict[str, str]) -> Table:
    """Each role's start address and the demo user to choose at the login."""
    table = Table(title=f"Screens (login provider: {issuer})", title_justify="left")
    for column in ("role", "start address", "demo user"):
        table.add_column(column)
    for s in STARTS:
        table.add_row(s.role, urls[s.service] + s.path, s.user.sub)
    return table


async def serve_until_interrupted(console: Console, issuer: str, urls: dict[str, str]) -> None:
    """Print where to start, then wait for Ctrl-C (or SIGTERM)."""
    console.print(start_table(issuer, urls))
    console.print("the services and the login stay up: press Ctrl-C to stop them")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
