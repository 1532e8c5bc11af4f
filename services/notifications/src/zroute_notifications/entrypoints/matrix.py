"""``/matrix``: the communication matrix in force."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zroute_notifications.entrypoints.deps import Anyone
from zroute_notifications.service_layer.deps import Deps


def router(deps: Deps) -> APIRouter:
    api = APIRouter(prefix="/matrix", tags=["matrix"])

    @api.get("")
    async def read_matrix(principal: Anyone) -> dict[str, Any]:
        """Who is told what, how and when: the validated matrix this service runs."""
        return deps.matrix.as_dict()

    return api
