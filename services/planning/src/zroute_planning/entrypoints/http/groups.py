"""Groups and their members; triggering group formation."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query, Request
from zroute_contract.types import PARTNER_ID_PATTERN
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import FormGroups
from zroute_planning.entrypoints.http.deps import (
    Organisers,
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
)
from zroute_planning.entrypoints.http.schemas import (
    FormationIn,
    FormationOut,
    GroupChangeIn,
    GroupMemberIn,
    GroupMoveIn,
    GroupOut,
    LevelBandIn,
    LevelBandOut,
)
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import group_changes
from zroute_planning.service_layer.handlers.formation import run_formation
from zroute_planning.service_layer.handlers.group_changes import ByHand

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


def _why(body: GroupChangeIn, principal: Organisers, runtime: Runtime) -> ByHand:
    return ByHand(body.reason, principal.subject, runtime.clock.now(), local_today(runtime))


@router.post("/groups/{group_id}/members", status_code=201, summary="Add a member by hand")
async def add_member(
    group_id: UUID,
    body: GroupMemberIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> GroupOut:
    """Add a participant in no group (3 to 8, one band, free in every slot; 422 with every
    reason otherwise)."""
    async with command(runtime, request) as uow:
        await views.group(uow, principal, group_id)
        plan = await views.plan_for_caller(uow, deps, principal, body.participant_ref)
        why = _why(body, principal, runtime)
        await group_changes.add_member(uow, deps, group_id, plan, why)
        await uow.commit()
        group = await views.group(uow, principal, group_id)
    return _out(group)


@router.post("/groups/{group_id}/members/{participant_ref}/exclusion", summary="Exclude a member")
async def exclude_member(
    group_id: UUID,
    participant_ref: ParticipantRef,
    body: GroupChangeIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> GroupOut:
    """Take a member out, onto the waiting list (not below the minimum: dissolve instead)."""
    async with command(runtime, request) as uow:
        await views.group(uow, principal, group_id)
        plan = await views.plan_for_caller(uow, deps, principal, participant_ref)
        await group_changes.exclude_member(
            uow, deps, group_id, plan, _why(body, principal, runtime)
        )
        await uow.commit()
        group = await views.group(uow, principal, group_id)
    return _out(group)


@router.post("/groups/{group_id}/members/{participant_ref}/move", summary="Move a member")
async def move_member(
    group_id: UUID,
    participant_ref: ParticipantRef,
    body: GroupMoveIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> GroupOut:
    """Move a member to another group (both groups' invariants checked); the new group."""
    async with command(runtime, request) as uow:
        await views.group(uow, principal, group_id)
        await views.group(uow, principal, body.to_group_id)
        plan = await views.plan_for_caller(uow, deps, principal, participant_ref)
        why = _why(body, principal, runtime)
        await group_changes.move_member(uow, deps, group_id, body.to_group_id, plan, why)
        await uow.commit()
        group = await views.group(uow, principal, body.to_group_id)
    return _out(group)


@router.post("/groups/{group_id}/dissolution", summary="Dissolve a group")
async def dissolve(
    group_id: UUID,
    body: GroupChangeIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> GroupOut:
    """Dissolve the group: its members go onto the waiting list."""
    async with command(runtime, request) as uow:
        group = await views.group(uow, principal, group_id)
        plans = [await views.plan_for_caller(uow, deps, principal, ref) for ref in group.members]
        await group_changes.dissolve_group(
            uow, deps, group_id, plans, _why(body, principal, runtime)
        )
        await uow.commit()
    return _out(group)


@router.post("/participants/{participant_ref}/level-band", summary="Level band after a test")
async def set_level_band(
    participant_ref: ParticipantRef,
    body: LevelBandIn,
    principal: Organisers,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> LevelBandOut:
    """Record the band a level test gave, with its date; a member of a group of another
    band leaves it for the waiting list."""
    async with command(runtime, request) as uow:
        plan = await views.plan_for_caller(uow, deps, principal, participant_ref)
        why = _why(body, principal, runtime)
        await group_changes.set_level_band(uow, deps, plan, body.level_band, body.tested_on, why)
        await uow.commit()
    return LevelBandOut(level_band=body.level_band, tested_on=body.tested_on)
