"""Who is calling, and may they: bearer JWTs, roles and partner scoping for HTTP endpoints.

Every endpoint but health, readiness and metrics depends on :data:`CurrentPrincipal` or on
:func:`require_roles`. Tokens are JWTs: in production signed by the OIDC provider and
checked against its published keys (JWKS, RS256 or ES256); for local runs, the demo and
tests signed with a shared HS256 key from settings (:func:`issue_token`). Issuer,
audience and expiry are always checked.

Token claims: ``sub`` (a pseudonymous staff id), ``roles`` (a list of :class:`Role`
values; unknown ones are ignored), ``partner_id`` (required for partner staff) and
``municipality`` (a CBS code such as ``GM0363``, optional).

A missing or unusable token answers 401 with ``WWW-Authenticate: Bearer``; a valid token
without the role or for another partner answers 403. Token times are wall-clock times,
never the simulated clock: the demo may run months ahead, a token must not.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from zroute_contract.types import MUNICIPALITY_CODE_PATTERN, PARTNER_ID_PATTERN

from zroute_runtime.logging import get_logger
from zroute_runtime.settings import ServiceSettings

__all__ = [
    "AuthConfigurationError",
    "AuthUnavailable",
    "CurrentPrincipal",
    "InvalidToken",
    "Principal",
    "Role",
    "TokenVerifier",
    "build_verifier",
    "ensure_partner_access",
    "get_current_principal",
    "get_verifier",
    "issue_token",
    "principal_from_claims",
    "require_roles",
]

_log = get_logger(__name__)

LOCAL_ALGORITHM = "HS256"
OIDC_ALGORITHMS = ("RS256", "ES256")
# RFC 7518 section 3.2: an HS256 key must be at least as long as the hash, 256 bits.
MIN_SIGNING_KEY_BYTES = 32
# Tolerated clock difference between the token issuer and this service.
CLOCK_LEEWAY = timedelta(seconds=30)
JWKS_TIMEOUT_S = 5.0
REALM = "zroute"


class Role(StrEnum):
    """What a staff member is allowed to do on the platform."""

    CASEWORKER = "caseworker"
    """The municipality's caseworker (klantmanager inburgering): intake, PIP, progress."""
    PARTNER_STAFF = "partner_staff"
    """Staff of one execution partner; sees only that partner's records."""
    COORDINATOR = "coordinator"
    """The municipality's programme coordinator (regie): works across partners."""
    OPERATOR = "operator"
    """Runs the platform: dead letters, replays, configuration. Not case work."""


_ROLE_VALUES = frozenset(role.value for role in Role)


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller of one request."""

    subject: str
    roles: frozenset[Role]
    partner_id: str | None = None
    municipality: str | None = None

    def has_any_role(self, *roles: Role) -> bool:
        """True when the caller holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)

    def may_act_for_partner(self, partner_id: str) -> bool:
        """True for coordinators and operators, and for staff of that very partner.

        Caseworkers are not a partner's staff: an endpoint open to them does not call
        the partner check at all.
        """
        if self.has_any_role(Role.COORDINATOR, Role.OPERATOR):
            return True
        return Role.PARTNER_STAFF in self.roles and self.partner_id == partner_id


class InvalidToken(Exception):
    """The bearer token cannot be accepted; ``reason`` is safe to show the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthUnavailable(Exception):
    """Tokens cannot be checked right now (no configuration, identity provider down)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthConfigurationError(RuntimeError):
    """The auth settings cannot work (for example an HS256 key that is too short)."""


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
    ) -> None:
        self._resolve_key = resolve_key
        self._algorithms = list(algorithms)
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway

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
        return principal_from_claims(claims)


def _optional_code(claims: Mapping[str, Any], name: str, pattern: str) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or re.fullmatch(pattern, value) is None:
        raise InvalidToken(f"token claim {name} is malformed")
    return value


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Build the principal from verified claims; raises :class:`InvalidToken` when they misfit."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("token claim sub is malformed")
    raw_roles = claims.get("roles", [])
    if not isinstance(raw_roles, list) or not all(isinstance(r, str) for r in raw_roles):
        raise InvalidToken("token claim roles must be a list of strings")
    # An identity provider may add roles of its own; only ours mean anything here.
    roles = frozenset(Role(r) for r in raw_roles if r in _ROLE_VALUES)
    partner_id = _optional_code(claims, "partner_id", PARTNER_ID_PATTERN)
    municipality = _optional_code(claims, "municipality", MUNICIPALITY_CODE_PATTERN)
    if Role.PARTNER_STAFF in roles and partner_id is None:
        raise InvalidToken("token has role partner_staff but no partner_id")
    return Principal(subject=subject, roles=roles, partner_id=partner_id, municipality=municipality)


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
    common = {"issuer": settings.auth_issuer, "audience": settings.auth_audience}
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


# --- FastAPI dependencies -------------------------------------------------------------

_bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    scheme_name="bearer",
    description="A JWT from the identity provider (or `issue_token` for local runs).",
)


def get_verifier(request: Request) -> TokenVerifier:
    """The app's verifier, set on ``app.state.auth`` by the app factory."""
    verifier = getattr(request.app.state, "auth", None)
    if not isinstance(verifier, TokenVerifier):
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "authentication is not configured on this service"
        )
    return verifier


def _unauthorized(reason: str, *, invalid: bool) -> HTTPException:
    # RFC 6750: no error code when no token was sent, invalid_token when one was.
    challenge = f'Bearer realm="{REALM}"'
    if invalid:
        challenge += f', error="invalid_token", error_description="{reason}"'
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=reason, headers={"WWW-Authenticate": challenge}
    )


async def get_current_principal(
    verifier: Annotated[TokenVerifier, Depends(get_verifier)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from the ``Authorization: Bearer`` header; 401 when there is none."""
    if credentials is None:
        raise _unauthorized("missing bearer token", invalid=False)
    try:
        return await verifier.verify(credentials.credentials)
    except InvalidToken as exc:
        raise _unauthorized(exc.reason, invalid=True) from exc
    except AuthUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=exc.reason) from exc


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]
"""Any authenticated caller; prefer :func:`require_roles` on endpoints."""


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting callers holding at least one of ``roles``, else 403.

    Use as ``Annotated[Principal, Depends(require_roles(Role.CASEWORKER))]`` or in a
    router's ``dependencies``.
    """
    if not roles:
        raise ValueError("require_roles needs at least one role")
    allowed = frozenset(roles)
    wanted = ", ".join(sorted(allowed))

    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any_role(*allowed):
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"requires role: {wanted}")
        return principal

    return principal_with_role


def ensure_partner_access(principal: Principal, partner_id: str) -> None:
    """403 unless the caller may act for ``partner_id`` (see ``Principal.may_act_for_partner``)."""
    if not principal.may_act_for_partner(partner_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="no access to this partner's records")
