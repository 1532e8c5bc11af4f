"""The right-of-access document of one participant (AVG art. 15), as HTML to print or
hand over, or as JSON; in plain Dutch or plain English."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from jinja2 import Environment, select_autoescape
from zroute_runtime.commands import command

from zroute_intake.entrypoints.http.deps import Caseworker, ParticipantRef, Runtime
from zroute_intake.service_layer import right_of_access as service

router = APIRouter(prefix="/participants/{participant_ref}", tags=["Right of access"])

_HTML = Environment(autoescape=select_autoescape(default=True)).from_string(
    """<!DOCTYPE html>
<html lang="{{ d.language }}">
<head><meta charset="utf-8"><title>{{ d.title }}</title>
<style>body{font-family:sans-serif;max-width:46rem;margin:2rem auto;line-height:1.5}
th{text-align:left;vertical-align:top;padding-right:1rem}</style></head>
<body>
<h1>{{ d.title }}</h1>
<p>{{ d.intro }}</p>
<p>{{ d.participant_ref }} · {{ d.made_on.isoformat() }}</p>
{% for s in d.sections %}
<section id="{{ s.key }}">
<h2>{{ s.title }}</h2>
{% if s.lines %}<table><tbody>
{% for label, value in s.lines %}<tr><th scope="row">{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</tbody></table>{% else %}<p>{{ none }}</p>{% endif %}
</section>
{% endfor %}
</body></html>
"""
)


@router.get(
    "/right-of-access",
    summary="The participant's data, decisions and access log (AVG art. 15)",
    response_class=Response,
    responses={
        200: {
            "content": {"text/html": {}, "application/json": {}},
            "description": "The document, as HTML (default) or JSON",
        }
    },
)
async def right_of_access(
    participant_ref: ParticipantRef,
    principal: Caseworker,
    runtime: Runtime,
    request: Request,
    language: Annotated[
        Literal["nl", "en"], Query(description="Plain Dutch or plain English.")
    ] = "nl",
    format: Annotated[
        Literal["html", "json"], Query(description="HTML to hand over, or JSON.")
    ] = "html",
) -> Response:
    """Making the document is written to the participant's access log, and shown in it."""
    request_id = getattr(request.state, "request_id", None)
    async with command(runtime, request) as uow:
        found = await service.document(
            uow, principal, participant_ref, language, request_id=request_id
        )
        await uow.commit()
    name = f"right-of-access-{participant_ref}-{language}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{format}"'}
    if format == "json":
        body = json.dumps(asdict(found), default=str, ensure_ascii=False)
        return Response(body, media_type="application/json", headers=disposition)
    html = _HTML.render(d=found, none="\N{EN DASH}")
    return Response(html, media_type="text/html; charset=utf-8", headers=disposition)
