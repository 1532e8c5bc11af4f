"""Domain refusals as HTTP answers: 422 when a rule refuses the values, 409 when the
plan's state refuses the command; the body has the platform's error shape."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from zroute_runtime.http import error_body

from zroute_planning.domain.plan import InvalidRequest, PlanError


async def refused(request: Request, exc: Exception) -> JSONResponse:
    status = 422 if isinstance(exc, InvalidRequest) else 409
    return JSONResponse(error_body(str(exc)), status_code=status)


EXCEPTION_HANDLERS = {PlanError: refused}
