"""``/places/{location_id}``: a location code's name and address (issue 18), so the
participant's letter and personal page can say where their week takes place. The
organisation's buildings (configuration, not personal data), kept by coordinators; read by
the notifications service when it renders a letter or a page, and by the staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from zroute_contract.errors import NotFound
from zroute_contract.types import PARTNER_ID_PATTERN
from zroute_runtime.auth import Principal, Role, require_roles
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.calendar import Place

router = APIRouter(tags=["places"])
LocationId = Annotated[str, Path(pattern=PARTNER_ID_PATTERN)]
Coordinator = Annotated[Principal, Depends(require_roles(Role.COORDINATOR))]
Readers = Annotated[
    Principal,
    Depends(require_roles(Role.SERVICE, Role.COORDINATOR, Role.CASEWORKER, Role.PARTNER_STAFF)),
]


class PlaceIn(BaseModel):
    """A place's name and postal address as a participant would look for it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=120, description="For example Taalhuis Noord.")
    address: str = Field(
        min_length=1, max_length=200, description="Street, number and town, one line."
    )


class PlaceOut(BaseModel):
    location_id: str
    name: str
    address: str


@router.put("/places/{location_id}")
async def save_place(
    body: PlaceIn,
    location_id: LocationId,
    principal: Coordinator,
    runtime: Runtime,
    request: Request,
) -> PlaceOut:
    """Name and address of a location code (the ``location_id`` of rooms and events)."""
    place = Place(location_id, body.name, body.address)
    async with command(runtime, request) as uow:
        await uow.calendar.save_place(place, principal.subject, runtime.clock.now())
        await uow.commit()
    return PlaceOut(**place.__dict__)


@router.get("/places/{location_id}")
async def read_place(
    location_id: LocationId, principal: Readers, runtime: Runtime, request: Request
) -> PlaceOut:
    """The place of a location code; 404 when it has none (the page then shows no place)."""
    async with command(runtime, request) as uow:
        place = await uow.calendar.place(location_id)
        if place is None:  # inside the command: the runtime answers it as a 404
            raise NotFound(f"no place registered for location {location_id}")
    return PlaceOut(**place.__dict__)
