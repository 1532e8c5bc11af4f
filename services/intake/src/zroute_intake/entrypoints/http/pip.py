"""The PIP as a decision: draft, establish, amend, objections; its deadline's facts; and
DUO's decisions on the term (extension, exemption or release).

Every write answers the whole case (``PipOut``) with its version as ETag; ``If-Match``
guards against a change from a stale read (409).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day
from zroute_runtime.commands import refusals, run_command

from zroute_intake.domain import pip_commands as c
from zroute_intake.domain.pip_case import PipCase
from zroute_intake.entrypoints.http import pip_schemas as req
from zroute_intake.entrypoints.http.deps import (
    Caseworker,
    ExpectedVersion,
    ParticipantRef,
    Reader,
    Runtime,
    etag,
    intake_dependencies,
)
from zroute_intake.entrypoints.http.pip_schemas import PipOut
from zroute_intake.service_layer import views
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.handlers import pip as h
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

router = APIRouter(prefix="/participants/{participant_ref}", tags=["PIP and term"])

C = TypeVar("C", bound=c.PipCommand)
Handler = Callable[[C, IntakeUnitOfWork, IntakeDependencies], Awaitable[PipCase]]


def _base(ref: str, principal: Principal, version: int | None) -> dict[str, Any]:
    return {
        "ref": ref,
        "expected_version": version,
        "scope": principal.municipality,
        "by": principal.subject,
    }


async def _run(
    runtime: Any, request: Request, response: Response, handler: Handler[C], cmd: C
) -> PipOut:
    """Run one PIP command through the shared command path; answer the whole case."""
    deps = intake_dependencies(runtime)
    case = await run_command(runtime, request, lambda uow: handler(cmd, uow, deps))
    etag(response, case.version)
    return PipOut.of(case, local_day(runtime.clock.now()), deps.pip_deadline)


@router.get("/pip", summary="The PIP, its deadline, the term and DUO's decisions")
async def read(
    participant_ref: ParticipantRef, principal: Reader, runtime: Runtime, response: Response
) -> PipOut:
    deps = intake_dependencies(runtime)
    with refusals():
        async with runtime.uow() as uow:
            case, changes = await views.pip(uow, principal, participant_ref)
    etag(response, case.version)
    return PipOut.of(case, local_day(runtime.clock.now()), deps.pip_deadline, changes)


@router.put("/pip/draft", summary="Prepare the draft of the PIP (or of its next version)")
async def prepare(
    participant_ref: ParticipantRef,
    body: req.PipContentIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    """Needs the broad intake completed: the PIP rests on it (W 15(1))."""
    cmd = c.PreparePip(**_base(participant_ref, principal, version), content=body.to_content())
    return await _run(runtime, request, response, h.prepare_pip, cmd)


@router.post("/pip/establishment", summary="Establish the draft as the PIP (the decision)")
async def establish(
    participant_ref: ParticipantRef,
    body: req.EstablishmentIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    """The term starts the day after ``dated`` (W 11)."""
    cmd = c.EstablishPip(**_base(participant_ref, principal, version), dated=body.dated)
    return await _run(runtime, request, response, h.establish_pip, cmd)


@router.post("/pip/amendments", summary="Establish the draft as a new version, with a reason")
async def amend(
    participant_ref: ParticipantRef,
    body: req.AmendmentIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    """A route switch only within 18 months of the term's start (W 17(2)); the term's
    start does not move (W 11(3))."""
    cmd = c.AmendPip(
        **_base(participant_ref, principal, version), dated=body.dated, reason=body.reason
    )
    return await _run(runtime, request, response, h.amend_pip, cmd)


@router.post("/pip/objections", summary="Record an objection or appeal against the PIP")
async def lodge(
    participant_ref: ParticipantRef,
    body: req.ObjectionIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    cmd = c.LodgeObjection(
        **_base(participant_ref, principal, version), stage=body.stage, lodged_on=body.lodged_on
    )
    return await _run(runtime, request, response, h.lodge_objection, cmd)


@router.post("/pip/objections/outcome", summary="Record the pending objection's outcome")
async def decide(
    participant_ref: ParticipantRef,
    body: req.ObjectionOutcomeIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    """An upheld objection that changes the PIP is then an amendment with reason
    ``objection``."""
    cmd = c.DecideObjection(
        **_base(participant_ref, principal, version),
        outcome=body.outcome,
        decided_on=body.decided_on,
    )
    return await _run(runtime, request, response, h.decide_objection, cmd)


@router.put("/pip/deadline-start", summary="Record DUO's notice and the BRP registration")
async def deadline_start(
    participant_ref: ParticipantRef,
    body: req.DeadlineStartIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    """The ten weeks run from the notice, or from a later BRP registration (B 5.3)."""
    cmd = c.RecordDeadlineStart(**_base(participant_ref, principal, version), start=body.to_start())
    return await _run(runtime, request, response, h.record_deadline_start, cmd)


@router.post("/pip/information-waits", summary="Record information asked of a third party")
async def await_information(
    participant_ref: ParticipantRef,
    body: req.InformationRequestIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    """Holds the deadline until the information arrives, then two weeks more (B 5.3)."""
    cmd = c.AwaitInformation(
        **_base(participant_ref, principal, version), requested_on=body.requested_on
    )
    return await _run(runtime, request, response, h.await_information, cmd)


@router.post(
    "/pip/information-waits/{number}/arrival", summary="Record that awaited information arrived"
)
async def receive_information(
    participant_ref: ParticipantRef,
    number: int,
    body: req.InformationArrivalIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    cmd = c.ReceiveInformation(
        **_base(participant_ref, principal, version), number=number, received_on=body.received_on
    )
    return await _run(runtime, request, response, h.receive_information, cmd)


@router.post("/duo/extensions", summary="Record DUO's extension of the term")
async def extension(
    participant_ref: ParticipantRef,
    body: req.ExtensionIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    """DUO decides (W 12); the municipality records the ground, date and new end."""
    cmd = c.RecordExtension(
        **_base(participant_ref, principal, version), extension=body.to_extension()
    )
    return await _run(runtime, request, response, h.record_extension, cmd)


@router.post("/duo/release", summary="Record DUO's exemption or release")
async def release(
    participant_ref: ParticipantRef,
    body: req.ReleaseIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    request: Request,
    response: Response,
) -> PipOut:
    """DUO decides (W 4-5); the obligation and the term end on ``effective_on``."""
    cmd = c.RecordRelease(**_base(participant_ref, principal, version), release=body.to_release())
    return await _run(runtime, request, response, h.record_release, cmd)
