"""A real OpenID Connect provider on localhost with one demo user per role, for the tests
and the demo (``oidc-provider-mock``, a development dependency, imported only here).

The provider speaks of groups (``zroute-klantmanager``...), as an organisation's identity
provider would; :data:`ROLE_MAP` is the configuration that maps them to the platform's
roles (``ZROUTE_UI_ROLE_MAP``, ``ZROUTE_UI_CLAIM_ROLES=groups``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

ROLE_MAP = {
    "zroute-klantmanager": "caseworker",
    "zroute-regie": "coordinator",
    "zroute-partner": "partner_staff",
    "zroute-beheer": "operator",
}
MUNICIPALITY = "GM0363"


@dataclass(frozen=True)
class DemoUser:
    sub: str
    groups: tuple[str, ...]
    partner_id: str | None = None
    municipality: str | None = MUNICIPALITY

    def claims(self) -> dict[str, Any]:
        claims: dict[str, Any] = {"groups": list(self.groups), "name": self.sub}
        if self.partner_id:
            claims["partner_id"] = self.partner_id
        if self.municipality:
            claims["municipality"] = self.municipality
        return claims


DEMO_USERS = {
    "caseworker": DemoUser("demo-klantmanager", ("zroute-klantmanager",)),
    "coordinator": DemoUser("demo-regisseur", ("zroute-regie",)),
    "teacher": DemoUser(
        "demo-docent", ("zroute-partner",), partner_id="taalschool", municipality=None
    ),
    "care_partner": DemoUser(
        "demo-zorgpartner", ("zroute-partner",), partner_id="zorgpartner", municipality=None
    ),
    "operator": DemoUser("demo-beheerder", ("zroute-beheer",), municipality=None),
    "nobody": DemoUser("demo-zonder-rol", ("other-app-user",), municipality=None),
}


@contextmanager
def oidc_provider(port: int = 0, extra_users: Iterable[DemoUser] = ()) -> Iterator[str]:
    """Runs the provider on a thread; yields its issuer URL (``http://localhost:<port>``)."""
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=u.sub, claims=u.claims()) for u in (*DEMO_USERS.values(), *extra_users)]
    with run_server_in_thread(port=port, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


def ui_settings(issuer: str, service: str, service_urls: dict[str, str]) -> dict[str, Any]:
    """The screens' settings for a local run against :func:`oidc_provider`."""
    return {
        "ui_oidc_issuer": issuer,
        "ui_oidc_client_id": f"zroute-{service}",
        "ui_oidc_client_secret": secrets.token_urlsafe(16),
        "ui_claim_roles": "groups",
        "ui_role_map": ROLE_MAP,
        "ui_session_secret": secrets.token_urlsafe(32),
        "ui_service_urls": service_urls,
    }
