"""Workplace placement requests (L4)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import RequestPlacement
from zroute_planning.domain.plan import Plan
from zroute_planning.entrypoints.http.deps import (
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
    plan_for,
)
from zroute_planning.entrypoints.http.schemas import PlacementIn, PlacementOut
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import placements
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

router = APIRouter(prefix="/participants/{participant_ref}/placements", tags=["placements"])


async def _list(uow: PlanningUnitOfWork, plan: Plan) -> list[PlacementOut]:
    rows = await views.placements(uow, plan)
    return [
        PlacementOut(
            placement_request_id=r["placement_request_id"],
            activity=r["activity"],
            needed_by=r["needed_by"],
            hours_per_week=float(r["hours_per_week"]),
            status=r["status"],
            escalations=r["escalations"],
        )
        for r in rows
    ]


@router.post("", status_code=201)
async def request(
    participant_ref: ParticipantRef,
    body: PlacementIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> PlacementOut:
    """Request a placement; needed_by must leave the configured lead time (else 422)."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = RequestPlacement(
            activity=body.activity,
            needed_by=body.needed_by,
            hours_per_week=body.hours_per_week,
            support_needs=tuple(body.support_needs),
        )
        request_id = await placements.request_placement(
            uow, deps, plan, cmd, on=local_today(runtime)
        )
        found = await _list(uow, plan)
        await uow.commit()
    return next(p for p in found if p.placement_request_id == request_id)


@router.get("")
async def list_placements(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> list[PlacementOut]:
    async with plan_for(runtime, request, deps, principal, participant_ref, lock=False) as (
        uow,
        plan,
    ):
        return await _list(uow, plan)
