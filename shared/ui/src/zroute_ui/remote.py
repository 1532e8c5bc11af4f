"""Reading another service's API with the logged-in user's own authorisation (issue 19).

A page in one service (the caseworker's dossier in intake) shows what the others hold
(plan and hours in planning, referrals in support). It asks their APIs with the access
token the provider gave the user at login, kept in the session: each API checks that
token as it checks any caller (``auth_oidc_userinfo_url`` or the JWKS, the same claim
mapping as the login), so a page never shows more than its user may read there.

Every answer is an :class:`Answer` the template can show: the data, or why it is missing
("no access", "not found", "not available"). A service that is down or fails is "not
available" on the page, never a 500. An expired or refused token sends the user to the
login (:class:`~zroute_ui.kit.LoginRequired`), which brings a fresh one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import httpx
from zroute_runtime.logging import get_logger
from zroute_runtime.tls import client_tls

from zroute_ui.i18n import N_

if TYPE_CHECKING:
    from zroute_ui.kit import Page

_log = get_logger("zroute_ui.remote")
TIMEOUT_S = 5.0
# A token refused this soon after the login is not stale: sending the user to the login
# again would loop, so the page says the service does not accept it.
FRESH_LOGIN_S = 60.0


class Outcome(StrEnum):
    OK = "ok"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"
    NO_TOKEN = "no_token"
    REFUSED = "refused"


REASONS = {
    Outcome.FORBIDDEN: N_("You have no access to this in that service."),
    Outcome.NOT_FOUND: N_("That service holds nothing on this participant."),
    Outcome.UNAVAILABLE: N_("Not available: that service cannot be reached right now."),
    Outcome.NO_TOKEN: N_("Not available: log in again to read the other services."),
    Outcome.REFUSED: N_("Not available: that service does not accept your login."),
}


@dataclass(frozen=True)
class Answer:
    """One service's answer to a page: ``data`` when ``ok``, else the reason to show."""

    service: str
    outcome: Outcome
    data: Any = None
    # The refusal's reason as the service put it (a 403's ``error``), for a page that
    # says why (the contact card's "no_consent").
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def reason(self) -> str:
        """The message id of why the data is missing (translated by the template)."""
        return REASONS.get(self.outcome, "")


class TokenRefused(Exception):
    """The other service refused the user's token (expired, revoked): log in again."""


async def read(
    page: Page, service: str, path: str, params: Mapping[str, str] | None = None
) -> Answer:
    """GET ``path`` of ``service``'s API as the page's user."""
    session = page.session
    token = session.access_token
    if token is None:
        return Answer(service, Outcome.NO_TOKEN)
    if session.access_expires_at is not None and session.access_expires_at <= time.time():
        raise TokenRefused()
    base = page.kit.settings.ui_service_urls.get(service)
    if base is None:
        return Answer(service, Outcome.UNAVAILABLE)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    correlation = page.request.headers.get("x-correlation-id")
    if correlation:
        headers["X-Correlation-ID"] = correlation
    try:
        async with httpx.AsyncClient(
            verify=client_tls(), base_url=base.rstrip("/"), timeout=TIMEOUT_S
        ) as http:
            response = await http.get(path, params=params, headers=headers)
    except httpx.HTTPError as exc:
        _log.warning("ui_remote_unavailable", service=service, error=type(exc).__name__)
        return Answer(service, Outcome.UNAVAILABLE)
    fresh = time.time() - session.logged_in_at < FRESH_LOGIN_S
    return _answer(service, response, fresh=fresh)


def _answer(service: str, response: httpx.Response, *, fresh: bool) -> Answer:
    code = response.status_code
    if code == httpx.codes.UNAUTHORIZED:
        if fresh:
            _log.warning("ui_remote_token_refused", service=service)
            return Answer(service, Outcome.REFUSED)
        raise TokenRefused()
    if code == httpx.codes.FORBIDDEN:
        return Answer(service, Outcome.FORBIDDEN, detail=_refusal(response))
    if code == httpx.codes.NOT_FOUND:
        return Answer(service, Outcome.NOT_FOUND)
    if code >= httpx.codes.BAD_REQUEST:
        _log.warning("ui_remote_failed", service=service, status=code)
        return Answer(service, Outcome.UNAVAILABLE)
    try:
        return Answer(service, Outcome.OK, response.json())
    except ValueError:
        return Answer(service, Outcome.UNAVAILABLE)


def _refusal(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    reason = body.get("error") or body.get("detail") if isinstance(body, dict) else None
    return reason if isinstance(reason, str) else None


async def read_all(
    page: Page, requests: Mapping[str, tuple[str, str, Mapping[str, str] | None]]
) -> dict[str, Answer]:
    """Several reads at once: ``{name: (service, path, params)}`` → ``{name: Answer}``."""
    names = list(requests)
    answers = await asyncio.gather(*(read(page, *requests[name]) for name in names))
    return dict(zip(names, answers, strict=True))
