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

from zroute_runtime.auth.dependencies import (
    CurrentPrincipal,
    ensure_partner_access,
    get_current_principal,
    get_verifier,
    require_roles,
)
from zroute_runtime.auth.errors import AuthConfigurationError, AuthUnavailable, InvalidToken
from zroute_runtime.auth.principal import Principal, Role, principal_from_claims
from zroute_runtime.auth.tokens import TokenVerifier, build_verifier, issue_token

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
