"""Progress reviews: the ones due, asking for one, recording the outcome."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from zroute_contract.events.codes import ReviewTrigger
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import RecordReviewOutcome
from zroute_planning.domain.plan import Plan
from zroute_planning.entrypoints.http.deps import (
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
    plan_for,
)
from zroute_planning.entrypoints.http.schemas import ReviewOut, ReviewOutcomeIn
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import ledger
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

router = APIRouter(prefix="/participants/{participant_ref}/reviews", tags=["reviews"])


async def _reviews(uow: PlanningUnitOfWork, plan: Plan) -> list[ReviewOut]:
    rows = await views.reviews(uow, plan)
    return [
        ReviewOut(
            review_id=r["review_id"],
            trigger=r["trigger"],
            due_on=r["due_on"],
            held_on=r["held_on"],
            outcome=r["outcome"],
        )
        for r in rows
    ]


@router.get("")
async def list_reviews(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> list[ReviewOut]:
    async with plan_for(runtime, request, deps, principal, participant_ref, lock=False) as (
        uow,
        plan,
    ):
        return await _reviews(uow, plan)


@router.post("", status_code=201)
async def request_review(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> ReviewOut:
    """Ask for a review now (trigger ``requested``)."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        review_id = await ledger.review_due(
            uow, deps, plan, ReviewTrigger.REQUESTED, local_today(runtime)
        )
        reviews = await _reviews(uow, plan)
        await uow.commit()
    return next(r for r in reviews if r.review_id == review_id)


@router.post("/{review_id}/outcome")
async def record_outcome(
    participant_ref: ParticipantRef,
    review_id: UUID,
    body: ReviewOutcomeIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> ReviewOut:
    """Record how the review went; the projection is reassessed."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = RecordReviewOutcome(review_id=review_id, held_on=body.held_on, outcome=body.outcome)
        await ledger.record_review(uow, deps, plan, cmd, on=local_today(runtime))
        reviews = await _reviews(uow, plan)
        await uow.commit()
    return next(r for r in reviews if r.review_id == review_id)
