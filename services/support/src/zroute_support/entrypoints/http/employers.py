"""``/employers``: the employer registry (issue 17). A placement's ``employer_id`` must
name an employer registered here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from zroute_contract.events.codes import Channel
from zroute_contract.events.parts import UniqueTuple
from zroute_contract.types import EmployerId, MunicipalityCode
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.employers import Employer, EmployerContact
from zroute_support.domain.errors import NotFound
from zroute_support.entrypoints.http.deps import Anyone
from zroute_support.service_layer.handlers import employers

router = APIRouter(prefix="/employers", tags=["employers"])


class EmployerContactIn(BaseModel):
    channel: Channel
    address: str = Field(min_length=3, max_length=500, description="Mail address, URL or inbox id.")
    purpose: str = Field(
        default="placements",
        pattern=r"^[a-z][a-z0-9_]{1,62}$",
        description="Whom it reaches, as a code (placements, placement_desk, ...).",
    )


class EmployerIn(BaseModel):
    employer_id: EmployerId
    name: str = Field(min_length=2, max_length=200)
    municipalities: UniqueTuple[MunicipalityCode] = Field(min_length=1)
    contact_points: list[EmployerContactIn] = Field(min_length=1)


class EmployerOut(EmployerIn):
    registered_by: str | None
    registered_at: str | None

    @classmethod
    def of(cls, e: Employer) -> EmployerOut:
        return cls(
            employer_id=e.employer_id,
            name=e.name,
            municipalities=e.municipalities,
            contact_points=[
                EmployerContactIn(channel=c.channel, address=c.address, purpose=c.purpose)
                for c in e.contact_points
            ],
            registered_by=e.registered_by,
            registered_at=e.registered_at.isoformat() if e.registered_at else None,
        )


@router.post("", status_code=201)
async def register(
    body: EmployerIn, principal: Anyone, runtime: Runtime, request: Request
) -> EmployerOut:
    """Register an employer with its contact points (coordinator, or a partner's staff
    who found the workplace); who and when are recorded."""
    employer = Employer(
        employer_id=body.employer_id,
        name=body.name,
        municipalities=body.municipalities,
        contact_points=tuple(
            EmployerContact(c.channel, c.address, c.purpose) for c in body.contact_points
        ),
    )
    registered = await run_command(
        runtime, request, lambda uow: employers.register_employer(uow, principal, employer)
    )
    return EmployerOut.of(registered)


@router.get("")
async def list_employers(
    principal: Anyone, runtime: Runtime, request: Request
) -> list[EmployerOut]:
    """The registered employers (of the caller's municipality when the token names one)."""
    async with command(runtime, request) as uow:
        found = await uow.employers.registered(municipality=principal.municipality_scope())
    return [EmployerOut.of(e) for e in found]


@router.get("/{employer_id}")
async def read(
    employer_id: EmployerId, principal: Anyone, runtime: Runtime, request: Request
) -> EmployerOut:
    """One registered employer with its contact points."""
    async with command(runtime, request) as uow:
        found = await uow.employers.get(employer_id)
        if found is None or not found.registered:
            raise NotFound(f"unknown employer {employer_id}")
    return EmployerOut.of(found)
