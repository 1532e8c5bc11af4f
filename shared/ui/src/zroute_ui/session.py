"""Sessions in signed cookies: who is logged in, their CSRF token, flash messages.

The cookie holds no personal data: the staff member's pseudonymous subject, roles,
partner and municipality, a random CSRF token and two times, and the provider's access
token that the screens forward to the other services' APIs (issue 19), encrypted
(AES-GCM, a key derived from the session secret) so that a copied cookie does not show
it, and only up to :data:`MAX_ACCESS_TOKEN_BYTES` so that the cookie stays under the
browsers' 4 KB (a larger token is not kept: the cross-service panels then say "log in
again", the service's own pages still work). It is signed (itsdangerous,
HMAC-SHA256) with ``ZROUTE_UI_SESSION_SECRET``, HttpOnly, SameSite=Lax, ``Secure`` unless
``ZROUTE_UI_COOKIE_SECURE=false``, and scoped to ``/ui``. A session ends at logout, after
``ui_session_max_age_s`` since login, or after ``ui_session_idle_s`` without a request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from zroute_runtime.auth import Principal, Role

from zroute_ui.settings import UiSettings

COOKIE_PATH = "/ui"
LOGIN_STATE_MAX_AGE_S = 600
# A JWT access token of a usual provider is 1-2 KB; base64 of its ciphertext grows by a
# third, and the rest of the cookie takes some 300 bytes of the browsers' 4096.
MAX_ACCESS_TOKEN_BYTES = 2400


@dataclass(frozen=True)
class Session:
    principal: Principal
    csrf: str
    logged_in_at: float
    seen_at: float
    flashes: tuple[tuple[str, str], ...] = field(default=())
    # The provider's access token for the other services' APIs, and when it expires.
    access_token: str | None = None
    access_expires_at: float | None = None

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
            "exp": self.access_expires_at,
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
            access_expires_at=data.get("exp"),
        )

    def csrf_ok(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token, self.csrf)

    def with_flash(self, kind: str, message: str) -> Session:
        return replace(self, flashes=(*self.flashes, (kind, message)))


def new_session(
    principal: Principal, access_token: str | None = None, expires_at: float | None = None
) -> Session:
    now = time.time()
    if access_token is not None and len(access_token.encode()) > MAX_ACCESS_TOKEN_BYTES:
        access_token = None  # too large for the cookie: the other services stay unread
    return Session(
        principal,
        secrets.token_urlsafe(32),
        now,
        now,
        access_token=access_token,
        access_expires_at=expires_at if access_token else None,
    )


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
        self._tokens = AESGCM(hashlib.sha256(f"zroute-ui-access-token:{key}".encode()).digest())

    def load(self, raw: str | None) -> Session | None:
        """The session in the cookie, or None when absent, forged, expired or idle too long."""
        if not raw:
            return None
        try:
            data = self._sessions.loads(raw, max_age=self.settings.ui_session_max_age_s)
            session = replace(Session.from_data(data), access_token=self._open(data.get("at")))
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
        data = session.to_data()
        data["at"] = self._seal(session.access_token)
        value = self._sessions.dumps(data)
        self._set(response, self.cookie, value, int(max(remaining, 1)))

    def _seal(self, token: str | None) -> str | None:
        if token is None:
            return None
        nonce = secrets.token_bytes(12)
        sealed = nonce + self._tokens.encrypt(nonce, token.encode(), self.cookie.encode())
        return base64.urlsafe_b64encode(sealed).decode()

    def _open(self, sealed: Any) -> str | None:
        if not isinstance(sealed, str):
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed.encode())
            return self._tokens.decrypt(raw[:12], raw[12:], self.cookie.encode()).decode()
        except (InvalidTag, ValueError):
            return None  # another key (a restart without a configured secret): no token

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
