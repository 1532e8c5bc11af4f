"""A page's roles from the access matrix: a page that shows (or acts through) an API
operation admits exactly the roles the matrix grants that operation, so the screens and
the API can never disagree about who may see what (issue 19)."""

from __future__ import annotations

from zroute_runtime.auth import Role
from zroute_runtime.auth.matrix import MATRIX, access_for


def api_roles(service: str, *operations: str) -> frozenset[Role]:
    """The roles the matrix grants any of ``operations`` (``"GET /groups"``) of ``service``.

    Raises ``LookupError`` for an operation the matrix does not name (a typo must not
    become a page open to nobody or to everybody)."""
    roles: set[Role] = set()
    for operation in operations:
        method, path = operation.split(" ", 1)
        access = access_for(service, method, path)
        if access is None or access.public:
            raise LookupError(f"{service}: {operation} is not a protected operation of the matrix")
        roles |= access.roles
    return frozenset(roles)


def service_roles(service: str) -> frozenset[Role]:
    """Every role the matrix grants some operation of ``service`` (its own, not the shared
    ones): who has a start page on that service's screens. Not ``service``: another
    Z-route service calls the API with its own token and never logs in to a screen."""
    return frozenset(
        role
        for access in MATRIX.get(service, {}).values()
        for role in access.grants
        if role is not Role.SERVICE
    )
