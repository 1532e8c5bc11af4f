"""The FastAPI side: the current principal, role requirements and partner scoping."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from zroute_runtime import audit
from zroute_runtime.auth.errors import AuthUnavailable, InvalidToken
from zroute_runtime.auth.matrix import Access, is_screen
from zroute_runtime.auth.principal import Principal, Role
from zroute_runtime.auth.tokens import TokenVerifier

REALM = "zroute"

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


async def _verified(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None:
        raise _unauthorized("missing bearer token", invalid=False)
    try:
        return await get_verifier(request).verify(credentials.credentials)
    except InvalidToken as exc:
        raise _unauthorized(exc.reason, invalid=True) from exc
    except AuthUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=exc.reason) from exc


def _route_path(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path_format", None) or getattr(route, "path", ""))


def _route_access(request: Request) -> Access | None:
    """The access matrix entry of the operation being called (None: the app has no matrix)."""
    matrix: Mapping[tuple[str, str], Access] | None = getattr(request.app.state, "access", None)
    if matrix is None:
        return None
    path = _route_path(request)
    method = "GET" if request.method == "HEAD" else request.method
    access = matrix.get((method, path))
    if access is None:
        # build_app refuses to start with an operation missing; never fall open.
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="operation not in the access matrix")
    return access


async def authorize(request: Request) -> Principal | None:
    """The one access check of every operation: the token, then the matrix's roles.

    Runs before the route's own dependencies. Public operations pass without a token;
    every other one needs a valid token holding a role the matrix names (else 403), and
    the route then sees the caller with only the roles the matrix grants it.
    """
    if "principal" in request.state._state:
        known: Principal = request.state.principal
        return known
    if is_screen(_route_path(request)):
        return None  # the UI kit authorises its pages from the session (see matrix.SCREENS)
    access = _route_access(request)
    if access is not None and access.public:
        return None
    principal = await _verified(request, await _bearer(request))
    if access is not None:
        granted = principal.roles & access.roles
        if not granted:
            wanted = ", ".join(sorted(access.roles))
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"requires role: {wanted}")
        principal = replace(principal, roles=frozenset(granted))
    request.state.principal = principal
    audit.set_actor(principal)
    return principal


async def get_current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from the ``Authorization: Bearer`` header; 401 when there is none.

    The roles are those the access matrix grants for this operation (see :func:`authorize`).
    """
    principal = await authorize(request)
    if principal is None:  # a public operation that still asks who is calling
        principal = await _verified(request, credentials)
        request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]
"""Any authenticated caller; prefer :func:`require_roles` on endpoints."""


def require_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting callers holding at least one of ``roles``, else 403.

    Use as ``Annotated[Principal, Depends(require_roles(Role.CASEWORKER))]`` or in a
    router's ``dependencies``.
    """
    if not roles:
        raise ValueError("require_roles needs at least one role")
    allowed = frozenset(roles)
    wanted = ", ".join(sorted(allowed))

    # The caller as get_current_principal finds it, called here rather than declared as
    # a dependency of its own: one node less for FastAPI to solve on every request
    # (issue 20); the bearer scheme is still declared, so the OpenAPI document is unchanged.
    async def principal_with_role(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        principal = await get_current_principal(request, credentials)
        if not principal.has_any_role(*allowed):
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"requires role: {wanted}")
        return principal

    return principal_with_role


def ensure_partner_access(principal: Principal, partner_id: str) -> None:
    """403 unless the caller may act for ``partner_id`` (see ``Principal.may_act_for_partner``)."""
    if not principal.may_act_for_partner(partner_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="no access to this partner's records")
