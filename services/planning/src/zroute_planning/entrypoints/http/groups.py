"""Groups and their members; triggering group formation."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query, Request
from zroute_contract.types import PARTNER_ID_PATTERN
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import FormGroups
from zroute_planning.entrypoints.http.deps import Organisers, PlanningDeps, Staff, local_today
from zroute_planning.entrypoints.http.schemas import FormationIn, FormationOut, GroupOut
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers.formation import run_formation

router = APIRouter(tags=["groups"])


def _out(group: views.GroupRow) -> GroupOut:
    return GroupOut(
        group_id=group.group_id,
        programme_id=group.programme_id,
        partner_id=group.partner_id,
        level_band=group.level_band,
        teacher=group.teacher,
        assistant=group.assistant,
        starts_on=group.starts_on,
        sessions=group.sessions,
        members=list(group.members),
    )


@router.get("/groups")
async def list_groups(
    principal: Staff,
    runtime: Runtime,
    request: Request,
    programme_id: str | None = Query(default=None, pattern=PARTNER_ID_PATTERN),
) -> list[GroupOut]:
    """The groups that meet, with members, staff and sessions."""
    async with command(runtime, request) as uow:
        found = await views.groups(uow, principal, programme_id)
    return [_out(g) for g in found]


@router.get("/groups/{group_id}")
async def read_group(
    group_id: UUID, principal: Staff, runtime: Runtime, request: Request
) -> GroupOut:
    async with command(runtime, request) as uow:
        group = await views.group(uow, principal, group_id)
    return _out(group)


@router.post("/group-formations")
async def form_groups(
    body: FormationIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> FormationOut:
    """Form groups now for one programme (or all): new groups for those waiting, joiners for
    groups with room; existing groups stay as they are where possible."""
    async with command(runtime, request) as uow:
        await views.ensure_may_form_groups(uow, principal, body.programme_id)
        cmd = FormGroups(programme_id=body.programme_id)
        summary = await run_formation(uow, deps, cmd, today=local_today(runtime))
        await uow.commit()
    return FormationOut(**summary.__dict__)
