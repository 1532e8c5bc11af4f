"""Verifying bearer JWTs (local HS256 key or an OIDC provider's JWKS) and issuing
local ones for the demo and tests."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from zroute_runtime.auth.claims import ClaimMapping
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
USERINFO_TIMEOUT_S = 5.0
USERINFO_CACHE_SIZE = 1024
# Tokens verified and still valid, kept so a caller's next request skips the signature
# check (and in OIDC mode the key look-up on a worker thread): bounded, cleared when full.
VERIFIED_CACHE_SIZE = 1024


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
        mapping: ClaimMapping | None = None,
        userinfo: UserinfoCheck | None = None,
        jwt_mapped: bool = True,
    ) -> None:
        self._mapping = mapping or ClaimMapping()
        self._jwt_mapped = mapping is not None and not self._mapping.is_identity and jwt_mapped
        self._userinfo = userinfo
        self._resolve_key = resolve_key
        self._algorithms = list(algorithms)
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway
        self._max_lifetime = max_lifetime
        self._verified: dict[bytes, tuple[float, Principal]] = {}

    async def verify(self, token: str) -> Principal:
        """The principal named by ``token``.

        Raises :class:`InvalidToken` (answer 401) or :class:`AuthUnavailable` (answer 503).
        An opaque token (not a JWT) is asked about at the provider's userinfo endpoint when
        one is configured; its claims go through the same mapping.
        """
        if self._userinfo is not None and token.count(".") != 2:
            return principal_from_claims(self._mapping.apply(await self._userinfo.claims(token)))
        # A JWT verified before answers from memory until it expires (with the leeway the
        # decode allows): signature, issuer, audience, lifetime and claims cannot change
        # for the same bytes, and only the clock can make it invalid since.
        key = hashlib.sha256(token.encode()).digest()
        kept = self._verified.get(key)
        if kept is not None:
            if time.time() <= kept[0]:
                return kept[1]
            del self._verified[key]
        claims = self._decode(token, await self._resolve_key(token))
        self._check_lifetime(claims)
        expires = claims["exp"]
        if self._jwt_mapped:
            claims = self._mapping.apply(claims)
        principal = principal_from_claims(claims)
        if isinstance(expires, int | float):
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                self._verified.clear()
            self._verified[key] = (expires + self._leeway.total_seconds(), principal)
        return principal

    def _decode(self, token: str, key: Any) -> dict[str, Any]:
        """The verified claims of a JWT; each refusal says why."""
        try:
            claims: dict[str, Any] = jwt.decode(
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
        return claims

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


class UserinfoCheck:
    """An opaque access token's claims from the provider's userinfo endpoint (OIDC Core
    5.3): a token the provider no longer knows (expired, revoked, logged out) answers 401
    there and is refused here. Answers are kept ``cache_s`` seconds, keyed by the token's
    hash, so a page that reads several services does not ask the provider each time."""

    def __init__(self, url: str, cache_s: int) -> None:
        self.url = url
        self._cache_s = cache_s
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}

    async def claims(self, token: str) -> dict[str, Any]:
        """The provider's claims about ``token``; raises InvalidToken or AuthUnavailable."""
        key = hashlib.sha256(token.encode()).hexdigest()
        kept = self._cache.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        claims = await asyncio.to_thread(self._ask, token)
        if self._cache_s > 0:
            if len(self._cache) >= USERINFO_CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = (time.monotonic() + self._cache_s, claims)
        return claims

    def _ask(self, token: str) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=USERINFO_TIMEOUT_S) as answer:
                claims = json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            if exc.code in (400, 401, 403):
                raise InvalidToken("token is not active at the identity provider") from exc
            _log.warning("auth_userinfo_failed", status=exc.code)
            raise AuthUnavailable("identity provider unavailable") from exc
        except (OSError, ValueError) as exc:
            _log.warning("auth_userinfo_unavailable", error=type(exc).__name__)
            raise AuthUnavailable("identity provider unavailable") from exc
        if not isinstance(claims, dict) or not isinstance(claims.get("sub"), str):
            raise InvalidToken("the identity provider named no subject for the token")
        return claims


def claim_mapping(settings: ServiceSettings) -> ClaimMapping:
    """The API's claim mapping: the ``auth_claim_*`` settings, else the screens' own
    ``ui_claim_*`` ones (every service's settings have both), else our claim names."""

    def pick(name: str, default: Any) -> Any:
        value = getattr(settings, f"auth_{name}", None)
        if value is None:
            value = getattr(settings, f"ui_{name}", None)
        return default if value is None else value

    return ClaimMapping(
        roles_claim=pick("claim_roles", "roles"),
        partner_claim=pick("claim_partner", "partner_id"),
        municipality_claim=pick("claim_municipality", "municipality"),
        role_map={str(k): str(v) for k, v in pick("role_map", {}).items()},
    )


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
    Only one JWT mode is active at a time, so a production service with a JWKS URL never
    accepts locally signed tokens. A userinfo URL adds the provider's opaque access
    tokens (the screens forward the logged-in user's, issue 19) beside the JWT mode.
    """
    common: dict[str, Any] = {
        "issuer": settings.auth_issuer,
        "audience": settings.auth_audience,
        "max_lifetime": timedelta(seconds=settings.auth_max_token_lifetime_s),
    }
    mapping = claim_mapping(settings)
    if settings.auth_oidc_userinfo_url:
        _log.info("auth_configured", mode="userinfo", userinfo_url=settings.auth_oidc_userinfo_url)
        # The provider's claims always go through the mapping; locally signed tokens carry
        # our own claim names (issue_token), so only the JWKS mode maps JWTs too.
        common["mapping"] = mapping
        common["userinfo"] = UserinfoCheck(
            settings.auth_oidc_userinfo_url, settings.auth_userinfo_cache_s
        )
    if settings.auth_oidc_jwks_url:
        client = jwt.PyJWKClient(settings.auth_oidc_jwks_url, timeout=JWKS_TIMEOUT_S)
        _log.info("auth_configured", mode="oidc", jwks_url=settings.auth_oidc_jwks_url)
        common["mapping"] = mapping
        return TokenVerifier(resolve_key=_jwks_key(client), algorithms=OIDC_ALGORITHMS, **common)
    if settings.auth_signing_key is not None:
        secret = _checked_secret(settings)
        _log.info("auth_configured", mode="local")
        return TokenVerifier(
            resolve_key=_static_key(secret),
            algorithms=[LOCAL_ALGORITHM],
            jwt_mapped=False,
            **common,
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
