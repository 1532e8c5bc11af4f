"""Sessions in signed cookies: who is logged in, their CSRF token, flash messages.

The cookie holds no personal data: the staff member's pseudonymous subject, roles,
partner and municipality, a random CSRF token and two times. It is signed (itsdangerous,
HMAC-SHA256) with ``ZROUTE_UI_SESSION_SECRET``, HttpOnly, SameSite=Lax, ``Secure`` unless
``ZROUTE_UI_COOKIE_SECURE=false``, and scoped to ``/ui``. A session ends at logout, after
``ui_session_max_age_s`` since login, or after ``ui_session_idle_s`` without a request.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from zroute_runtime.auth import Principal, Role

from zroute_ui.settings import UiSettings

COOKIE_PATH = "/ui"
LOGIN_STATE_MAX_AGE_S = 600


@dataclass(frozen=True)
class Session:
    principal: Principal
    csrf: str
    logged_in_at: float
    seen_at: float
    flashes: tuple[tuple[str, str], ...] = field(default=())

    def to_data(self) -> dict[str, Any]:
        p = self.principal
        return {
            "sub": p.subject,
            "roles": sorted(p.roles),
            "partner_id": p.partner_id,
            "municipality": p.municipality,
            "csrf": self.csrf,
            "in": self.logged_in_at,
            "seen": self.seen_at,
            "flash": [list(f) for f in self.flashes],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Session:
        principal = Principal(
            subject=data["sub"],
            roles=frozenset(Role(r) for r in data["roles"]),
            partner_id=data.get("partner_id"),
            municipality=data.get("municipality"),
        )
        return cls(
            principal=principal,
            csrf=data["csrf"],
            logged_in_at=float(data["in"]),
            seen_at=float(data["seen"]),
            flashes=tuple((k, m) for k, m in data.get("flash", [])),
        )

    def csrf_ok(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token, self.csrf)

    def with_flash(self, kind: str, message: str) -> Session:
        return replace(self, flashes=(*self.flashes, (kind, message)))


def new_session(principal: Principal) -> Session:
    now = time.time()
    return Session(principal, secrets.token_urlsafe(32), now, now)


class SessionStore:
    """Reads and writes one service's session and login-state cookies."""

    def __init__(self, service: str, settings: UiSettings) -> None:
        self.settings = settings
        self.cookie = f"zroute_{service}_session"
        self.login_cookie = f"zroute_{service}_login"
        secret = settings.ui_session_secret
        key = secret.get_secret_value() if secret else secrets.token_urlsafe(32)
        self._sessions = URLSafeTimedSerializer(key, salt=f"zroute-ui-session-{service}")
        self._logins = URLSafeTimedSerializer(key, salt=f"zroute-ui-login-{service}")

    def load(self, raw: str | None) -> Session | None:
        """The session in the cookie, or None when absent, forged, expired or idle too long."""
        if not raw:
            return None
        try:
            data = self._sessions.loads(raw, max_age=self.settings.ui_session_max_age_s)
            session = Session.from_data(data)
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
        now = time.time()
        if now - session.logged_in_at > self.settings.ui_session_max_age_s:
            return None
        if now - session.seen_at > self.settings.ui_session_idle_s:
            return None
        return session

    def save(self, response: Response, session: Session, *, touch: bool = True) -> None:
        if touch:
            session = replace(session, seen_at=time.time())
        # The cookie is signed again on every request; its lifetime counts from the login.
        remaining = self.settings.ui_session_max_age_s - (time.time() - session.logged_in_at)
        value = self._sessions.dumps(session.to_data())
        self._set(response, self.cookie, value, int(max(remaining, 1)))

    def clear(self, response: Response) -> None:
        for name in (self.cookie, self.login_cookie):
            response.delete_cookie(
                name,
                path=COOKIE_PATH,
                secure=self.settings.ui_cookie_secure,
                httponly=True,
                samesite="lax",
            )

    def save_login_state(self, response: Response, state: dict[str, str]) -> None:
        self._set(response, self.login_cookie, self._logins.dumps(state), LOGIN_STATE_MAX_AGE_S)

    def load_login_state(self, raw: str | None) -> dict[str, str] | None:
        if not raw:
            return None
        try:
            state: dict[str, str] = self._logins.loads(raw, max_age=LOGIN_STATE_MAX_AGE_S)
            return state
        except BadSignature:
            return None

    def _set(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=COOKIE_PATH,
            secure=self.settings.ui_cookie_secure,
            httponly=True,
            samesite="lax",
        )
