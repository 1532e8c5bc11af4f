"""Pause and resume of a participant's route (issue 15): the ground stays in intake, the
events carry the coarse reason (care or participant request)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from zroute_runtime.commands import refusals, run_command

from zroute_intake.domain import commands
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.pauses import Pause, PauseGround
from zroute_intake.entrypoints.http.deps import (
    Caseworker,
    ExpectedVersion,
    IntakeDeps,
    ParticipantRef,
    Runtime,
    etag,
)
from zroute_intake.entrypoints.http.schemas import Body
from zroute_intake.service_layer import views
from zroute_intake.service_layer.handlers import pauses as handlers

router = APIRouter(prefix="/participants/{participant_ref}", tags=["pauses"])


class PauseIn(Body):
    """Pause the route: why, from when, and until when it is expected to last."""

    ground: PauseGround = Field(
        description="illness, pregnancy, treatment, care_admission or participant_request; "
        "kept in intake (the events say care or participant_request)."
    )
    paused_from: date = Field(
        description="The first day of the pause: a month back at most, three months ahead at most "
        "(planning holds the plan from that day)."
    )
    expected_until: date | None = Field(default=None, description="Expected last day, if known.")


class ResumptionIn(Body):
    resumed_on: date = Field(
        description="The first day back on the route: after the pause's first day, three "
        "months ahead at most (planning resumes the plan on that day)."
    )


class PausesOut(BaseModel):
    """The participant's pauses, the open one first named as ``current``."""

    participant_ref: str
    version: int = Field(description="The participant's version, also its ETag.")
    current: Pause | None = Field(description="The pause the route is in, if any.")
    pauses: list[Pause] = Field(description="Every pause, oldest first, with who and when.")

    @classmethod
    def of(cls, participant: Participant) -> PausesOut:
        return cls(
            participant_ref=participant.ref,
            version=participant.version,
            current=participant.open_pause,
            pauses=participant.pauses,
        )


@router.post("/pauses", status_code=201, summary="Pause the participant's route")
async def pause(
    participant_ref: ParticipantRef,
    body: PauseIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> PausesOut:
    """Planning pauses the plan (``participant-paused``). The term does not move: only
    DUO's extension moves it (record it under ``/duo/extensions``)."""
    cmd = commands.PauseRoute(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        pause_id=uuid4(),
        ground=body.ground,
        paused_from=body.paused_from,
        expected_until=body.expected_until,
        by=principal.subject,
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.pause_route(cmd, uow, deps)
    )
    etag(response, participant.version)
    return PausesOut.of(participant)


@router.post("/pauses/{pause_id}/resumption", summary="End a pause: the route resumes")
async def resume(
    participant_ref: ParticipantRef,
    pause_id: UUID,
    body: ResumptionIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> PausesOut:
    """Planning resumes the plan (``participant-resumed``) unless something else holds it."""
    cmd = commands.ResumeRoute(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        pause_id=pause_id,
        resumed_on=body.resumed_on,
        by=principal.subject,
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.resume_route(cmd, uow, deps)
    )
    etag(response, participant.version)
    return PausesOut.of(participant)


@router.get("/pauses", summary="The participant's pauses")
async def pauses(
    participant_ref: ParticipantRef, principal: Caseworker, runtime: Runtime
) -> PausesOut:
    """Every pause with its ground, who recorded it and when (caseworkers: the ground may
    be a health detail)."""
    with refusals():
        async with runtime.uow() as uow:
            participant = await views.participant(uow, principal, participant_ref)
    return PausesOut.of(participant)
