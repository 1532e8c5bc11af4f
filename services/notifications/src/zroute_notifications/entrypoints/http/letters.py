"""``/participants/{ref}/letters``, ``/letters/{id}.pdf`` and the links' revocation: the
start letters for the municipality's caseworker to print and post (issue 18)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response
from zroute_runtime.http_host import Runtime

from zroute_notifications.domain.commands import RevokeLinks
from zroute_notifications.entrypoints.http.deps import (
    Caseworkers,
    NotificationsDeps,
    reading,
    run,
)
from zroute_notifications.entrypoints.http.schemas import LetterOut, LinksRevoked
from zroute_notifications.service_layer import views
from zroute_notifications.service_layer.handlers import links

router = APIRouter(tags=["letters"])


@router.get("/participants/{ref}/letters")
async def list_letters(
    ref: str, principal: Caseworkers, runtime: Runtime, request: Request
) -> list[LetterOut]:
    """The participant's start letters, newest first (without name or address: the
    caseworker or the print house adds them)."""
    async with reading(runtime, request) as uow:
        rows = await views.letters(uow, principal, ref)
    return [
        LetterOut(
            id=r["id"],
            participant_ref=r["participant_ref"],
            languages=list(r["languages"]),
            created_at=r["created_at"],
            link_expires_at=r["expires_at"],
            link_revoked=r["revoked_at"] is not None,
            pdf=f"/letters/{r['id']}.pdf",
        )
        for r in rows
    ]


@router.get("/letters/{letter_id}.pdf")
async def letter_pdf(
    letter_id: UUID,
    principal: Caseworkers,
    deps: NotificationsDeps,
    runtime: Runtime,
    request: Request,
) -> Response:
    """One start letter as PDF (printed the first time it is asked for, then kept)."""
    pdf = await run(runtime, request, lambda uow: views.letter_pdf(uow, deps, principal, letter_id))
    return Response(pdf, media_type="application/pdf", headers={"Cache-Control": "no-store"})


@router.post("/participants/{ref}/links/revoke")
async def revoke_links(
    ref: str, principal: Caseworkers, runtime: Runtime, request: Request
) -> LinksRevoked:
    """Revoke the participant's personal-page links in force (a letter was lost)."""
    count = await run(
        runtime, request, lambda uow: links.revoke_links(uow, principal, RevokeLinks(ref))
    )
    return LinksRevoked(revoked=count)
