"""Who is calling: the roles and the principal a verified token yields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from zroute_contract.errors import Forbidden
from zroute_contract.types import MUNICIPALITY_CODE_PATTERN, PARTNER_ID_PATTERN

from zroute_runtime.auth.errors import InvalidToken


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
    SERVICE = "service"
    """Another Z-route service acting for itself (its name is the token's subject), e.g.
    notifications pulling a participant's name for a message (issue 18). Reaches only the
    operations the matrix grants it, each with a purpose that is logged."""


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

    def municipality_scope(self) -> str | None:
        """The municipality whose participants this caller is limited to, None when not
        limited.

        Caseworkers and coordinators work for the municipality their token names (none
        named: every municipality the service holds). Any token holding one of those roles
        is limited, whatever else it holds, so a case-work role never reaches beyond its
        municipality. Operators run the platform, and partner staff are limited by their
        partner instead: a partner may serve several municipalities.
        """
        if self.has_any_role(Role.CASEWORKER, Role.COORDINATOR):
            return self.municipality
        return None

    def partner_scope(self) -> str | None:
        """The partner whose records this caller is limited to, None when not limited.

        Programme-wide roles (coordinator, operator, caseworker) are not limited by a
        partner, whatever partner their token names; partner staff see their own partner's
        records only. The one rule for every service (planning and support each had their
        own, and they disagreed about operators).
        """
        if self.has_any_role(Role.COORDINATOR, Role.OPERATOR, Role.CASEWORKER):
            return None
        return self.partner_id

    def ensure_municipality(self, municipality: str, what: str = "record") -> None:
        """Refuse (:class:`~zroute_contract.errors.Forbidden`, a 403) a record of a
        municipality outside this caller's scope (:meth:`municipality_scope`)."""
        own = self.municipality_scope()
        if own is not None and own != municipality:
            raise Forbidden(f"this {what} belongs to another municipality")

    def may_act_for_partner(self, partner_id: str) -> bool:
        """True for coordinators and operators, and for staff of that very partner.

        Caseworkers are not a partner's staff: an endpoint open to them does not call
        the partner check at all.
        """
        if self.has_any_role(Role.COORDINATOR, Role.OPERATOR):
            return True
        return Role.PARTNER_STAFF in self.roles and self.partner_id == partner_id


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
