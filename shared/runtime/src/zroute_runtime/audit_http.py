"""``GET /participants/{participant_ref}/audit``, the same in every service: the
participant's trail of users' actions there (:mod:`zroute_runtime.audit`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from zroute_contract.types import ParticipantRef

from zroute_runtime.audit import read
from zroute_runtime.auth.dependencies import CurrentPrincipal
from zroute_runtime.auth.principal import Principal
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime


class AuditEntryOut(BaseModel):
    """One action about the participant: what (a code), by whom (the staff member's
    pseudonymous subject and roles), when, and in which service."""

    action: str
    actor: str
    actor_roles: list[str]
    at: datetime
    service: str


ScopeCheck = Callable[[Any, Principal, str], Awaitable[None]]
"""Refuses (a ``DomainError``) a participant outside the caller's scope: the service's
own rule for its participants."""


def router(check: ScopeCheck) -> APIRouter:
    """``GET /participants/{participant_ref}/audit`` of a service: the participant's trail
    there, for whom the access matrix names, within the service's own scope rule."""
    api = APIRouter(prefix="/participants", tags=["participants"])

    @api.get("/{participant_ref}/audit")
    async def audit_trail(
        participant_ref: ParticipantRef,
        principal: CurrentPrincipal,
        runtime: Runtime,
        request: Request,
    ) -> list[AuditEntryOut]:
        """Who did what about the participant in this service, newest first."""
        async with command(runtime, request) as uow:
            await check(uow, principal, participant_ref)
            entries = await read(uow.conn, participant_ref)
        return [
            AuditEntryOut(
                action=e.action,
                actor=e.actor,
                actor_roles=list(e.actor_roles),
                at=e.at,
                service=e.service,
            )
            for e in entries
        ]

    return api
