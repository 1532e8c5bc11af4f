"""A move to another municipality (issue 15, W 15(4)): the old municipality's caseworker
exports the dossier, the new municipality's caseworker imports it."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from zroute_contract.types import MunicipalityCode
from zroute_runtime.commands import run_command

from zroute_intake.domain import commands
from zroute_intake.domain.moves import Move
from zroute_intake.entrypoints.http.deps import (
    Caseworker,
    ExpectedVersion,
    IntakeDeps,
    ParticipantRef,
    Runtime,
    etag,
)
from zroute_intake.entrypoints.http.schemas import Body, ParticipantOut
from zroute_intake.service_layer.handlers import moves as handlers

router = APIRouter(tags=["moves"])


class MoveOutIn(Body):
    to_municipality: MunicipalityCode = Field(description="The CBS code moved to, e.g. GM0599.")
    moved_on: date = Field(description="The day of the move (registration in the new BRP).")


class ExportOut(BaseModel):
    """The sealed dossier for the new municipality; the case here is closed as moved."""

    participant: ParticipantOut
    move: Move
    document: str = Field(description="Sealed (AES-256-GCM), opened only by the import.")


class MoveInIn(Body):
    document: str = Field(min_length=16, max_length=2_000_000)


class ImportOut(BaseModel):
    participant: ParticipantOut
    move: Move
    pip_due_on: date | None = Field(description="The new PIP is due ten weeks after the move.")


@router.post(
    "/participants/{participant_ref}/move/export",
    summary="Export the dossier to the new municipality and close the case as moved",
)
async def export(
    participant_ref: ParticipantRef,
    body: MoveOutIn,
    principal: Caseworker,
    version: ExpectedVersion,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ExportOut:
    """The dossier: participant (with personal data), broad intake, PIPs, meetings and
    DUO's decisions. The export is in the access log (purpose ``move_export``)."""
    cmd = commands.MoveOut(
        ref=participant_ref,
        expected_version=version,
        scope=principal.municipality,
        to_municipality=body.to_municipality,
        moved_on=body.moved_on,
        by=principal.subject,
    )
    done = await run_command(runtime, request, lambda uow: handlers.export_dossier(cmd, uow, deps))
    etag(response, done.participant.version)
    return ExportOut(
        participant=ParticipantOut.of(done.participant),
        move=done.participant.moves[-1],
        document=done.document,
    )


@router.post("/participants/move/import", summary="Import a moved participant's dossier")
async def import_(
    body: MoveInIn,
    principal: Caseworker,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    response: Response,
) -> ImportOut:
    """Only the municipality the dossier was exported to imports it; the participant keeps
    the reference and the route, and the new PIP (an amendment for the reason ``move``) is
    due ten weeks after the move."""
    cmd = commands.MoveIn(
        document=body.document, scope=principal.municipality, by=principal.subject
    )
    participant, case = await run_command(
        runtime, request, lambda uow: handlers.import_dossier(cmd, uow, deps)
    )
    etag(response, participant.version)
    return ImportOut(
        participant=ParticipantOut.of(participant),
        move=participant.moves[-1],
        pip_due_on=case.due_on(deps.pip_deadline),
    )
