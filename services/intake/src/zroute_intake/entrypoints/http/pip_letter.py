"""The PIP decision letter as PDF: one established version, for the caseworker of the
participant's municipality; every download is written to the access log."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Path, Request, Response
from zroute_letters.decision import render_pdf
from zroute_runtime.commands import command

from zroute_intake.entrypoints.http.deps import Caseworker, IntakeDeps, ParticipantRef, Runtime
from zroute_intake.service_layer import views

router = APIRouter(prefix="/participants/{participant_ref}", tags=["PIP and term"])


@router.get(
    "/pip/versions/{number}/letter.pdf",
    summary="The decision letter of one PIP version (PDF)",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The letter as PDF"},
        410: {"description": "The personal data was erased after its retention period"},
    },
)
async def letter(
    participant_ref: ParticipantRef,
    number: int = Path(ge=1, le=999, description="The version's number, from 1."),
    *,
    principal: Caseworker,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
) -> Response:
    """The Dutch decision, with the participant's language before it where the letters
    provide it (docs/letters.md). The download is in the participant's access log."""
    request_id = getattr(request.state, "request_id", None)
    async with command(runtime, request) as uow:
        content = await views.pip_letter(
            uow, deps, principal, participant_ref, number, request_id=request_id
        )
        if content is None:
            raise HTTPException(410, "the personal data was erased after its retention period")
        await uow.commit()  # the access log's row
    pdf = await asyncio.to_thread(render_pdf, content)  # rendering blocks for a moment
    filename = f"pip-{participant_ref}-v{number}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
