"""The follow-up trajectory (L15): what the participant goes on to, with agreements."""

from __future__ import annotations

from fastapi import APIRouter, Request
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import AgreeFollowUp
from zroute_planning.entrypoints.http.deps import (
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
    plan_for,
)
from zroute_planning.entrypoints.http.schemas import FollowUpIn, FollowUpOut
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import completion

router = APIRouter(prefix="/participants/{participant_ref}/follow-up", tags=["follow-up"])


@router.put("")
async def agree(
    participant_ref: ParticipantRef,
    body: FollowUpIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> FollowUpOut:
    """Record (or replace) the agreed follow-up; at least one concrete agreement. Partner
    staff: only of the partner the task division names for the follow-up."""
    async with plan_for(runtime, request, deps, principal, participant_ref, follow_up=True) as (
        uow,
        plan,
    ):
        cmd = AgreeFollowUp(
            follow_up_type=body.follow_up_type,
            partner_id=body.partner_id,
            starts_on=body.starts_on,
            agreements=tuple(body.agreements),
        )
        follow_up_id = await completion.agree_follow_up(uow, plan, cmd, on=local_today(runtime))
        await uow.commit()
    return FollowUpOut(follow_up_id=follow_up_id, **body.model_dump())


@router.get("")
async def read(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> FollowUpOut:
    async with plan_for(
        runtime, request, deps, principal, participant_ref, lock=False, follow_up=True
    ) as (uow, plan):
        row = await views.follow_up(uow, plan)
    return FollowUpOut(
        follow_up_id=row["follow_up_id"],
        follow_up_type=row["follow_up_type"],
        partner_id=row["partner_id"],
        starts_on=row["starts_on"],
        agreements=row["agreements"],
    )
