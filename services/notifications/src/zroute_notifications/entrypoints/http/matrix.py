"""``/matrix``: the communication matrix in force."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zroute_notifications.entrypoints.http.deps import Anyone, NotificationsDeps

router = APIRouter(prefix="/matrix", tags=["matrix"])


@router.get("")
async def read_matrix(principal: Anyone, deps: NotificationsDeps) -> dict[str, Any]:
    """Who is told what, how and when: the validated matrix this service runs."""
    return deps.matrix.as_dict()
