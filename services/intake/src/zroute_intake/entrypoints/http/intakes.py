"""The broad intake: schedule it, record its outcome, correct the outcome."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from zroute_runtime.commands import run_command

from zroute_intake.domain import commands
from zroute_intake.entrypoints.http.deps import (
    Caseworker,
    ExpectedVersion,
    IntakeDeps,
    ParticipantRef,
    Runtime,
    etag,
)
from zroute_intake.entrypoints.http.schemas import (
    CancelIntakeIn,
    CorrectionIn,
    OutcomeIn,
    ParticipantOut,
    ScheduleIn,
)
from zroute_intake.service_layer.handlers import intakes as handlers

router = APIRouter(prefix="/participants/{participant_ref}/intake", tags=["intakes"])

GUARDED: dict[int | str, dict[str, Any]] = {
    409: {"description": "Stale If-Match version, or the participant's state forbids it"}
}


@router.put("", summary="Schedule or reschedule the broad intake", responses=GUARDED)
async def schedule(
    participant_ref: ParticipantRef,
    body: ScheduleIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """Date, place, attending partners and, when the participant needs one, the
    interpreter (required: an intake that needs an interpreter is refused without)."""
    cmd = commands.ScheduleIntake(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        appointment=body.to_appointment(),
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.schedule_intake(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)


@router.post("/cancel", summary="Call off the scheduled intake", responses=GUARDED)
async def cancel(
    participant_ref: ParticipantRef,
    body: CancelIntakeIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """The scheduled intake will not take place and has no new time yet (to move it, `PUT`
    it again): the participant is back to be scheduled; ``intake-cancelled`` tells support
    (its interpreter request is withdrawn) and notifications. 409 when none is scheduled."""
    cmd = commands.CancelIntake(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        reason=body.reason,
        by=principal.subject,
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.cancel_intake(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)


@router.post("/outcome", summary="Record the intake outcome and route decision", responses=GUARDED)
async def complete(
    participant_ref: ParticipantRef,
    body: OutcomeIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """Coded needs per life domain, levels, availability, preconditions, care signals and
    the route decision: this completes the intake (the data the PIP needs)."""
    cmd = commands.CompleteIntake(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        outcome=body.to_outcome(),
        by=principal.subject,
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.complete_intake(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)


@router.post("/corrections", summary="Correct the intake outcome", responses=GUARDED)
async def correct(
    participant_ref: ParticipantRef,
    body: CorrectionIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ParticipantOut:
    """A correction is a new version of the whole outcome and a new event; the earlier
    versions stay on record."""
    cmd = commands.CorrectIntake(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        outcome=body.to_outcome(),
        reason=body.reason,
        by=principal.subject,
    )
    participant = await run_command(
        runtime, request, lambda uow: handlers.correct_intake(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ParticipantOut.of(participant)
