"""Progress meetings (planned by the PIP's number, invited, recorded with their decision)
and the Z-route's final meeting, held by the municipality."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Path, Request, Response
from zroute_runtime.auth import Principal, Role
from zroute_runtime.commands import refusals, run_command

from zroute_intake.domain import meeting_commands as c
from zroute_intake.domain.interpreters import meeting_interpreters
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.entrypoints.http import meeting_schemas as req
from zroute_intake.entrypoints.http.deps import (
    Caseworker,
    ExpectedVersion,
    ParticipantRef,
    Reader,
    Runtime,
    etag,
    intake_dependencies,
)
from zroute_intake.entrypoints.http.meeting_schemas import MeetingsOut
from zroute_intake.service_layer import views
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.handlers import meetings as h
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

router = APIRouter(prefix="/participants/{participant_ref}", tags=["progress meetings"])

C = TypeVar("C", bound=c.MeetingCommand)
Handler = Callable[[C, IntakeUnitOfWork, IntakeDependencies], Awaitable[MeetingSeries]]
Number = Path(ge=1, le=99, description="Which of the PIP's meetings, from 1.")


def _base(ref: str, principal: Principal, version: int | None) -> dict[str, Any]:
    return {
        "ref": ref,
        "expected_version": version,
        "scope": principal.municipality,
        "by": principal.subject,
    }


async def _run(
    runtime: Any, request: Request, response: Response, handler: Handler[C], cmd: C
) -> MeetingsOut:
    deps = intake_dependencies(runtime)
    series = await run_command(runtime, request, lambda uow: handler(cmd, uow, deps))
    etag(response, series.version)
    return MeetingsOut.of(series, None, notes=True)


@router.get("/progress-meetings", summary="The progress meetings and the final meeting")
async def read(
    participant_ref: ParticipantRef, principal: Reader, runtime: Runtime, response: Response
) -> MeetingsOut:
    with refusals():
        async with runtime.uow() as uow:
            series, set_by_pip = await views.meetings(uow, principal, participant_ref)
            answers = await uow.interpreters.of(participant_ref)
    etag(response, series.version)
    return MeetingsOut.of(
        series,
        set_by_pip,
        notes=Role.CASEWORKER in principal.roles,
        interpreters=meeting_interpreters(series, answers),
    )


@router.put("/progress-meetings/plan", summary="Plan the meetings the PIP sets")
async def plan(
    participant_ref: ParticipantRef,
    body: req.PlanIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> MeetingsOut:
    """As many due dates as the established PIP sets meetings; held ones keep theirs."""
    cmd = c.PlanMeetings(**_base(participant_ref, principal, version), due_on=tuple(body.due_on))
    return await _run(runtime, request, response, h.plan_meetings, cmd)


@router.post("/progress-meetings/{number}/invitation", summary="Invite to a progress meeting")
async def invite(
    participant_ref: ParticipantRef,
    body: req.InvitationIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
    number: int = Number,
) -> MeetingsOut:
    """The event carries the interpreter flag and language and the invited partners."""
    cmd = c.InviteToMeeting(
        **_base(participant_ref, principal, version),
        number=number,
        invitation=body.to_invitation(),
    )
    return await _run(runtime, request, response, h.invite, cmd)


@router.post("/progress-meetings/{number}/record", summary="Record a held progress meeting")
async def record(
    participant_ref: ParticipantRef,
    body: req.MeetingRecordIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
    number: int = Number,
) -> MeetingsOut:
    """The notes and the agreements' text stay in intake; the event carries codes."""
    cmd = c.RecordMeeting(
        **_base(participant_ref, principal, version),
        number=number,
        record=body.to_record(principal.subject),
    )
    return await _run(runtime, request, response, h.record_meeting, cmd)


@router.post("/final-meeting", summary="Record the Z-route's final meeting (eindgesprek)")
async def final_meeting(
    participant_ref: ParticipantRef,
    body: req.FinalMeetingIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> MeetingsOut:
    """Only the municipality's caseworker (B 3.14(2)(c), (4)); once; Z-route only."""
    cmd = c.RecordFinalMeeting(
        **_base(participant_ref, principal, version), record=body.to_record(principal.subject)
    )
    return await _run(runtime, request, response, h.record_final_meeting, cmd)
