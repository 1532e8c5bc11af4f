"""The OpenID Connect authorization code flow with PKCE (S256), and the claim mapping.

``begin`` makes the authorization request (state, nonce and a code verifier kept in a
short-lived signed cookie); ``finish`` exchanges the code with that verifier, verifies the
ID token against the provider's published keys (issuer, audience, expiry, nonce) and maps
its claims to the runtime's :class:`~zroute_runtime.auth.Principal`, the same the API uses.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from zroute_runtime.auth import InvalidToken, Principal, principal_from_claims
from zroute_runtime.auth.claims import ClaimMapping
from zroute_runtime.logging import get_logger
from zroute_runtime.tls import client_tls

from zroute_ui.i18n import N_
from zroute_ui.settings import UiSettings

_log = get_logger("zroute_ui.oidc")
TIMEOUT_S = 10.0
ID_TOKEN_ALGORITHMS = ["RS256", "ES256", "PS256"]


class LoginFailed(Exception):
    """The login cannot complete; ``reason`` is safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None


def claim_mapping(settings: UiSettings) -> ClaimMapping:
    """The configured mapping of the provider's claims (the APIs use the same one)."""
    return ClaimMapping(
        roles_claim=settings.ui_claim_roles,
        partner_claim=settings.ui_claim_partner,
        municipality_claim=settings.ui_claim_municipality,
        role_map={k: v.value for k, v in settings.ui_role_map.items()},
    )


def map_claims(claims: Mapping[str, Any], settings: UiSettings) -> Principal:
    """The principal the provider's claims name, through the configured mapping.

    Provider role values go through ``ui_role_map``; with an empty map, values that are our
    role names count. Unknown values are ignored; with no role left the login is refused.
    """
    try:
        mapped_claims = claim_mapping(settings).apply(claims)
    except InvalidToken as exc:
        raise LoginFailed(N_("the provider's roles claim is not a list")) from exc
    if not mapped_claims["roles"]:
        raise LoginFailed(N_("your account has no role on this platform"))
    try:
        return principal_from_claims(mapped_claims)
    except InvalidToken as exc:
        raise LoginFailed(N_("your account's details do not fit this platform")) from exc


@dataclass(frozen=True)
class Login:
    """A completed login: who, the raw ID token (for logout), and the access token the
    screens forward to the other services' APIs, with when it expires (epoch seconds)."""

    principal: Principal
    id_token: str
    access_token: str | None
    expires_at: float | None


class OidcClient:
    def __init__(self, settings: UiSettings) -> None:
        self.settings = settings
        self._provider: Provider | None = None
        self._jwks: jwt.PyJWKClient | None = None

    def _client(self, redirect_uri: str) -> AsyncOAuth2Client:
        secret = self.settings.ui_oidc_client_secret
        return AsyncOAuth2Client(
            client_id=self.settings.ui_oidc_client_id,
            client_secret=secret.get_secret_value() if secret else None,
            scope=self.settings.ui_oidc_scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=TIMEOUT_S,
        )

    async def provider(self) -> Provider:
        if self._provider is None:
            issuer = (self.settings.ui_oidc_issuer or "").rstrip("/")
            url = f"{issuer}/.well-known/openid-configuration"
            try:
                async with httpx.AsyncClient(verify=client_tls(), timeout=TIMEOUT_S) as http:
                    response = await http.get(url)
                    response.raise_for_status()
                    doc = response.json()
            except Exception as exc:
                _log.warning("ui_oidc_discovery_failed", url=url, error=type(exc).__name__)
                raise LoginFailed(
                    N_("the login provider cannot be reached; try again later")
                ) from exc
            self._provider = Provider(
                issuer=doc["issuer"],
                authorization_endpoint=doc["authorization_endpoint"],
                token_endpoint=doc["token_endpoint"],
                jwks_uri=doc["jwks_uri"],
                end_session_endpoint=doc.get("end_session_endpoint"),
            )
            self._jwks = jwt.PyJWKClient(doc["jwks_uri"], timeout=int(TIMEOUT_S))
        return self._provider

    async def begin(self, redirect_uri: str) -> tuple[str, dict[str, str]]:
        """The provider's authorization URL, and the state to keep until the callback."""
        provider = await self.provider()
        verifier = generate_token(64)
        nonce = secrets.token_urlsafe(24)
        async with self._client(redirect_uri) as client:
            url, state = client.create_authorization_url(
                provider.authorization_endpoint, code_verifier=verifier, nonce=nonce
            )
        return url, {"state": state, "nonce": nonce, "verifier": verifier}

    async def finish(self, redirect_uri: str, code: str, kept: Mapping[str, str]) -> Login:
        """The principal of a completed login, its ID token and access token."""
        provider = await self.provider()
        try:
            async with self._client(redirect_uri) as client:
                token = await client.fetch_token(
                    provider.token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=kept["verifier"],
                )
        except Exception as exc:
            _log.warning("ui_oidc_token_exchange_failed", error=type(exc).__name__)
            raise LoginFailed(N_("the login provider did not accept the login; try again")) from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise LoginFailed(N_("the login provider sent no ID token"))
        claims = await self._verify(id_token, provider, kept["nonce"])
        access = token.get("access_token")
        expires_at = token.get("expires_at")
        return Login(
            map_claims(claims, self.settings),
            id_token,
            access if isinstance(access, str) else None,
            float(expires_at) if isinstance(expires_at, int | float) else None,
        )

    async def _verify(self, id_token: str, provider: Provider, nonce: str) -> dict[str, Any]:
        assert self._jwks is not None
        try:
            key = await asyncio.to_thread(_signing_key, self._jwks, id_token)
            claims = jwt.decode(
                id_token,
                key,
                algorithms=ID_TOKEN_ALGORITHMS,
                audience=self.settings.ui_oidc_client_id,
                issuer=provider.issuer,
                leeway=30,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            _log.warning("ui_oidc_id_token_refused", error=type(exc).__name__)
            raise LoginFailed(N_("the login provider's answer could not be verified")) from exc
        if claims.get("nonce") != nonce:
            raise LoginFailed(N_("the login provider's answer could not be verified"))
        return claims


def _signing_key(client: jwt.PyJWKClient, id_token: str) -> jwt.PyJWK:
    """The key named by the token's ``kid``; a token without one (some providers, the
    local test provider among them) is checked against the provider's only signing key."""
    kid = jwt.get_unverified_header(id_token).get("kid")
    if kid is not None:
        return client.get_signing_key(kid)
    keys = client.get_signing_keys()
    if len(keys) != 1:
        raise jwt.PyJWKClientError("the ID token names no key and the provider has several")
    return keys[0]
