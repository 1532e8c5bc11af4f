"""What the routers share: rules, roles, the domain-error translation, the caller's side
and the partner or municipality a caller is limited to."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from zroute_contract.events.codes import ReferralSide
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.http import error_body
from zroute_runtime.http_host import get_runtime

from zroute_support.domain.errors import Conflict, DomainError, Forbidden, NotFound, Refused
from zroute_support.service_layer import lookups
from zroute_support.service_layer.rules import Rules

_STATUS = {NotFound: 404, Refused: 422, Conflict: 409, Forbidden: 403}


class DomainErrorRoute(APIRoute):
    """Turns a refusal of the domain into a 4xx with its reason and the list of problems."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except DomainError as exc:
                code = next((c for t, c in _STATUS.items() if isinstance(exc, t)), 400)
                return JSONResponse(error_body(exc.reason, exc.problems), status_code=code)

        return handle


def get_rules(request: Request) -> Rules:
    return Rules.from_settings(get_runtime(request).settings)


RulesDep = Annotated[Rules, Depends(get_rules)]

Anyone = Annotated[
    Principal,
    Depends(require_roles(Role.COORDINATOR, Role.CASEWORKER, Role.PARTNER_STAFF, Role.OPERATOR)),
]
"""Any staff role: reads that are scoped further per partner."""
Coordinator = Annotated[Principal, Depends(require_roles(Role.COORDINATOR))]
Referrer = Annotated[Principal, Depends(require_roles(Role.CASEWORKER, Role.COORDINATOR))]


def own_partner(principal: Principal) -> str | None:
    """The partner whose records a caller is limited to; None for programme-wide roles."""
    if principal.has_any_role(Role.COORDINATOR, Role.OPERATOR, Role.CASEWORKER):
        return None
    return principal.partner_id


def own_municipality(principal: Principal) -> str | None:
    """The municipality whose records a caller is limited to; None when not limited (the
    platform's one rule, ``Principal.municipality_scope``)."""
    return principal.municipality_scope()


def ensure_municipality(principal: Principal, municipality: str, what: str = "record") -> None:
    """403 (:class:`Forbidden`) when ``municipality`` is not the caller's own."""
    own = own_municipality(principal)
    if own is not None and own != municipality:
        raise Forbidden(f"this {what} belongs to another municipality")


async def ensure_participant_municipality(
    principal: Principal, conn: asyncpg.Connection, participant_ref: str, what: str = "record"
) -> None:
    """403 when the participant a record is about belongs to another municipality.

    Referrals, placements and preconditions carry no municipality of their own: theirs is
    the participant's, so a participant who moves takes the records along.
    """
    if own_municipality(principal) is None:
        return  # nothing to compare: skip the look-up
    who = await lookups.participant(conn, participant_ref)
    ensure_municipality(principal, who.municipality, what)


def side_of(principal: Principal, partner_id: str) -> ReferralSide:
    """The side a caller acts on for a referral with ``partner_id``: that partner's staff
    are the performer, caseworkers and coordinators the referrer."""
    if Role.PARTNER_STAFF in principal.roles and principal.partner_id == partner_id:
        return ReferralSide.PERFORMER
    if principal.has_any_role(Role.CASEWORKER, Role.COORDINATOR):
        return ReferralSide.REFERRER
    raise HTTPException(status.HTTP_403_FORBIDDEN, "no access to this partner's records")
