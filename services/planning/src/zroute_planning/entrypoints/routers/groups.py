"""Groups and their members; triggering group formation."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request
from zroute_contract.types import PARTNER_ID_PATTERN
from zroute_runtime.auth import Role, ensure_partner_access
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.adapters import groups as rows
from zroute_planning.adapters import records
from zroute_planning.entrypoints.deps import Organisers, PlanningDeps, Staff, local_today
from zroute_planning.entrypoints.schemas import FormationIn, FormationOut, GroupOut
from zroute_planning.service_layer.formation import run_formation

router = APIRouter(tags=["groups"])


def _out(group: rows.GroupRow) -> GroupOut:
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


def _own_partner(principal) -> str | None:
    """Partner staff see their own partner's groups only."""
    if principal.has_any_role(Role.COORDINATOR, Role.CASEWORKER):
        return None
    return principal.partner_id


@router.get("/groups")
async def list_groups(
    principal: Staff,
    runtime: Runtime,
    request: Request,
    programme_id: str | None = Query(default=None, pattern=PARTNER_ID_PATTERN),
) -> list[GroupOut]:
    """The groups that meet, with members, staff and sessions."""
    async with command(runtime, request) as uow:
        found = await rows.active_groups(
            uow.conn, programme_id, _own_partner(principal), principal.municipality_scope()
        )
    return [_out(g) for g in found]


@router.get("/groups/{group_id}")
async def read_group(
    group_id: UUID, principal: Staff, runtime: Runtime, request: Request
) -> GroupOut:
    async with command(runtime, request) as uow:
        group = await rows.get_group(uow.conn, group_id)
        if group is None:
            raise HTTPException(404, "no such group")
        await _ensure_programme_municipality(uow.conn, principal, group.programme_id)
    if _own_partner(principal) is not None:
        ensure_partner_access(principal, group.partner_id)
    return _out(group)


async def _ensure_programme_municipality(conn, principal, programme_id: str) -> None:
    """403 when a caller limited to a municipality reaches another municipality's programme."""
    scope = principal.municipality_scope()
    if scope is not None and await records.programme_municipalities(conn, programme_id) - {scope}:
        raise HTTPException(403, "this programme belongs to another municipality")


@router.post("/group-formations")
async def form_groups(
    body: FormationIn, principal: Organisers, runtime: Runtime, request: Request, deps: PlanningDeps
) -> FormationOut:
    """Form groups now for one programme (or all): new groups for those waiting, joiners for
    groups with room; existing groups stay as they are where possible."""
    async with command(runtime, request) as uow:
        if not principal.has_any_role(Role.COORDINATOR):
            # Partner staff: only for a programme their partner teaches, as its agreement
            # names it (never a default partner).
            programme = body.programme_id
            teacher = programme and await records.registered_teaching_partner(uow.conn, programme)
            ensure_partner_access(principal, teacher or "-")
        if principal.municipality_scope() is not None:
            if body.programme_id is None:
                raise HTTPException(422, "name the programme of your municipality to form groups")
            await _ensure_programme_municipality(uow.conn, principal, body.programme_id)
        summary = await run_formation(
            uow, deps, programme_id=body.programme_id, today=local_today(runtime)
        )
        await uow.commit()
    return FormationOut(**summary.__dict__)
