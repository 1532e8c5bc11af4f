"""``/referrals/{referral_id}/care-pauses``: the care coordinator records that a
referral's care (a treatment, an admission) pauses the participant's route, and its end
(issue 17 point 5). The kind of care stays in support; planning hears the dates."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from zroute_runtime.commands import command, run_command
from zroute_runtime.http_host import Runtime

from zroute_support.domain.care_pauses import CarePause, CarePauseKind
from zroute_support.entrypoints.http.deps import Coordinator
from zroute_support.service_layer.handlers import care_pauses

router = APIRouter(prefix="/referrals/{referral_id}/care-pauses", tags=["care pauses"])


class CarePauseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CarePauseKind = Field(description="treatment or admission (kept in support).")
    paused_from: date = Field(
        description="The first day of the pause: a month back at most, three months ahead at most."
    )
    expected_until: date | None = Field(default=None, description="Expected last day, if known.")


class CarePauseEndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ended_on: date = Field(description="The first day back on the route; not after today.")


class CarePauseOut(BaseModel):
    pause_id: UUID
    referral_id: UUID
    participant_ref: str
    kind: CarePauseKind
    paused_from: date
    expected_until: date | None
    recorded_by: str
    recorded_at: datetime
    ended_on: date | None
    ended_by: str | None
    ended_at: datetime | None

    @classmethod
    def of(cls, p: CarePause) -> CarePauseOut:
        return cls(
            pause_id=p.pause_id,
            referral_id=p.referral_id,
            participant_ref=p.participant_ref,
            kind=p.kind,
            paused_from=p.paused_from,
            expected_until=p.expected_until,
            recorded_by=p.by,
            recorded_at=p.at,
            ended_on=p.ended_on,
            ended_by=p.ended_by,
            ended_at=p.ended_at,
        )


@router.post("", status_code=201, summary="Record that a referral's care pauses the route")
async def start(
    referral_id: UUID, body: CarePauseIn, principal: Coordinator, runtime: Runtime, request: Request
) -> CarePauseOut:
    """While the referral's care is under way (accepted, in progress, on hold); one open
    pause per referral. Planning pauses the plan for care."""
    pause = await run_command(
        runtime,
        request,
        lambda uow: care_pauses.start(
            uow, principal, referral_id, kind=body.kind, paused_from=body.paused_from,
            expected_until=body.expected_until,
        ),
    )  # fmt: skip
    return CarePauseOut.of(pause)


@router.post("/{pause_id}/end", summary="End a care pause: the route resumes")
async def end(
    referral_id: UUID,
    pause_id: UUID,
    body: CarePauseEndIn,
    principal: Coordinator,
    runtime: Runtime,
    request: Request,
) -> CarePauseOut:
    pause = await run_command(
        runtime,
        request,
        lambda uow: care_pauses.end(uow, principal, referral_id, pause_id, ended_on=body.ended_on),
    )
    return CarePauseOut.of(pause)


@router.get("", summary="A referral's care pauses")
async def list_pauses(
    referral_id: UUID, principal: Coordinator, runtime: Runtime, request: Request
) -> list[CarePauseOut]:
    async with command(runtime, request) as uow:
        return [
            CarePauseOut.of(p) for p in await care_pauses.of_referral(uow, principal, referral_id)
        ]
