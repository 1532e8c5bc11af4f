"""The one mapping from an identity provider's claims to the platform's claims, used by
the screens' login (the ID token) and by every API (the provider's access tokens), so the
two can never disagree about who a staff member is (issue 19)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zroute_runtime.auth.errors import InvalidToken
from zroute_runtime.auth.principal import Role


@dataclass(frozen=True)
class ClaimMapping:
    """Which provider claims carry roles, partner and municipality, and how the provider's
    role values (groups) map to ours. An empty ``role_map`` lets provider values that are
    our role names count; unknown values are ignored."""

    roles_claim: str = "roles"
    partner_claim: str = "partner_id"
    municipality_claim: str = "municipality"
    role_map: Mapping[str, str] = field(default_factory=dict)

    def roles(self, claims: Mapping[str, Any]) -> list[str]:
        """Our role names for the provider's role claim (sorted, no duplicates)."""
        raw = claims.get(self.roles_claim, [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            raise InvalidToken(f"token claim {self.roles_claim} is not a list")
        ours = {r.value for r in Role}
        found: set[str] = set()
        for value in raw:
            mapped = self.role_map.get(str(value)) if self.role_map else str(value)
            if mapped is not None and str(mapped) in ours:
                found.add(str(mapped))
        return sorted(found)

    def apply(self, claims: Mapping[str, Any]) -> dict[str, Any]:
        """The platform's claims (``sub``, ``roles``, ``partner_id``, ``municipality``)."""
        return {
            "sub": claims.get("sub"),
            "roles": self.roles(claims),
            "partner_id": claims.get(self.partner_claim),
            "municipality": claims.get(self.municipality_claim),
        }

    @property
    def is_identity(self) -> bool:
        """True when the mapping changes nothing (our own claim names, no role map)."""
        return self == ClaimMapping()
