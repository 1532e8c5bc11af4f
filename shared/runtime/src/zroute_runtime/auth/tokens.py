"""Verifying bearer JWTs (local HS256 key or an OIDC provider's JWKS) and issuing
local ones for the demo and tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from zroute_runtime.auth.errors import AuthConfigurationError, AuthUnavailable, InvalidToken
from zroute_runtime.auth.principal import Principal, Role, principal_from_claims
from zroute_runtime.logging import get_logger
from zroute_runtime.settings import ServiceSettings

_log = get_logger("zroute_runtime.auth")

LOCAL_ALGORITHM = "HS256"
OIDC_ALGORITHMS = ("RS256", "ES256")
# RFC 7518 section 3.2: an HS256 key must be at least as long as the hash, 256 bits.
MIN_SIGNING_KEY_BYTES = 32
# Tolerated clock difference between the token issuer and this service.
CLOCK_LEEWAY = timedelta(seconds=30)
JWKS_TIMEOUT_S = 5.0


KeyResolver = Callable[[str], Awaitable[Any]]
"""Finds the key that should have signed a token (a secret or a ``PyJWK``)."""


class TokenVerifier:
    """Checks a bearer JWT and turns its claims into a :class:`Principal`."""

    def __init__(
        self,
        *,
        resolve_key: KeyResolver,
        algorithms: Iterable[str],
        issuer: str,
        audience: str,
        leeway: timedelta = CLOCK_LEEWAY,
        max_lifetime: timedelta | None = None,
    ) -> None:
        self._resolve_key = resolve_key
        self._algorithms = list(algorithms)
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway
        self._max_lifetime = max_lifetime

    async def verify(self, token: str) -> Principal:
        """The principal named by ``token``.

        Raises :class:`InvalidToken` (answer 401) or :class:`AuthUnavailable` (answer 503).
        """
        key = await self._resolve_key(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("token expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise InvalidToken("token is not meant for this service (audience)") from exc
        except jwt.InvalidIssuerError as exc:
            raise InvalidToken("token issuer is not trusted") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise InvalidToken(f"token lacks the {exc.claim} claim") from exc
        except jwt.ImmatureSignatureError as exc:
            raise InvalidToken("token not yet valid") from exc
        except jwt.InvalidSignatureError as exc:
            raise InvalidToken("token signature does not verify") from exc
        except jwt.InvalidAlgorithmError as exc:
            raise InvalidToken("token signing algorithm not accepted") from exc
        except jwt.InvalidTokenError as exc:
            raise InvalidToken("malformed token") from exc
        self._check_lifetime(claims)
        return principal_from_claims(claims)

    def _check_lifetime(self, claims: dict[str, Any]) -> None:
        """Refuses a token meant to live longer than allowed (from ``iat``, else from now)."""
        if self._max_lifetime is None:
            return
        expires = claims["exp"]
        issued = claims.get("iat", datetime.now(UTC).timestamp())
        if not isinstance(expires, int | float) or not isinstance(issued, int | float):
            raise InvalidToken("malformed token")
        if expires - issued > (self._max_lifetime + self._leeway).total_seconds():
            raise InvalidToken("token lifetime is longer than this service accepts")


def _static_key(secret: str) -> KeyResolver:
    async def resolve(_: str) -> str:
        return secret

    return resolve


def _jwks_key(client: jwt.PyJWKClient) -> KeyResolver:
    async def resolve(token: str) -> jwt.PyJWK:
        # PyJWKClient fetches with blocking urllib on a cache miss: keep it off the loop.
        try:
            return await asyncio.to_thread(client.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError as exc:
            _log.warning("auth_jwks_unavailable", jwks_url=client.uri, error=str(exc))
            raise AuthUnavailable("identity provider keys unavailable") from exc
        except jwt.PyJWKSetError as exc:
            _log.warning("auth_jwks_unusable", jwks_url=client.uri, error=str(exc))
            raise AuthUnavailable("identity provider keys unusable") from exc
        except jwt.PyJWKClientError as exc:
            raise InvalidToken("token signed with an unknown key") from exc
        except jwt.InvalidTokenError as exc:
            raise InvalidToken("malformed token") from exc

    return resolve


async def _unconfigured(_: str) -> Any:
    raise AuthUnavailable("authentication is not configured on this service")


def build_verifier(settings: ServiceSettings) -> TokenVerifier:
    """The verifier the settings ask for: OIDC JWKS if a URL is set, else the local key.

    With neither, the verifier refuses every token (503): a service never runs open.
    Only one mode is active at a time, so a production service with a JWKS URL never
    accepts locally signed tokens.
    """
    common: dict[str, Any] = {
        "issuer": settings.auth_issuer,
        "audience": settings.auth_audience,
        "max_lifetime": timedelta(seconds=settings.auth_max_token_lifetime_s),
    }
    if settings.auth_oidc_jwks_url:
        client = jwt.PyJWKClient(settings.auth_oidc_jwks_url, timeout=JWKS_TIMEOUT_S)
        _log.info("auth_configured", mode="oidc", jwks_url=settings.auth_oidc_jwks_url)
        return TokenVerifier(resolve_key=_jwks_key(client), algorithms=OIDC_ALGORITHMS, **common)
    if settings.auth_signing_key is not None:
        secret = _checked_secret(settings)
        _log.info("auth_configured", mode="local")
        return TokenVerifier(
            resolve_key=_static_key(secret), algorithms=[LOCAL_ALGORITHM], **common
        )
    _log.warning("auth_not_configured")
    return TokenVerifier(resolve_key=_unconfigured, algorithms=[LOCAL_ALGORITHM], **common)


def _checked_secret(settings: ServiceSettings) -> str:
    if settings.auth_signing_key is None:
        raise AuthConfigurationError("ZROUTE_AUTH_SIGNING_KEY is not set")
    secret = settings.auth_signing_key.get_secret_value()
    if len(secret.encode()) < MIN_SIGNING_KEY_BYTES:
        raise AuthConfigurationError(
            f"ZROUTE_AUTH_SIGNING_KEY must be at least {MIN_SIGNING_KEY_BYTES} bytes"
        )
    return secret


def issue_token(
    settings: ServiceSettings,
    subject: str,
    roles: Iterable[Role | str],
    partner_id: str | None = None,
    municipality: str | None = None,
    ttl: timedelta = timedelta(hours=1),
    *,
    issued_at: datetime | None = None,
) -> str:
    """A locally signed (HS256) token for local runs, the demo and tests.

    Raises :class:`AuthConfigurationError` without a usable signing key, and
    ``ValueError`` for claims the verifier would refuse. ``issued_at`` lets tests mint
    tokens that have already expired.
    """
    secret = _checked_secret(settings)
    role_set = frozenset(Role(r) for r in roles)
    if Role.PARTNER_STAFF in role_set and partner_id is None:
        raise ValueError("a partner_staff token needs a partner_id")
    now = issued_at if issued_at is not None else datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": subject,
        "iat": now,
        "exp": now + ttl,
        "roles": sorted(role_set),
    }
    if partner_id is not None:
        claims["partner_id"] = partner_id
    if municipality is not None:
        claims["municipality"] = municipality
    return jwt.encode(claims, secret, algorithm=LOCAL_ALGORITHM)
