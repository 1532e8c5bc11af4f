"""Attendance per session: the hours ledger."""

from __future__ import annotations

from fastapi import APIRouter, Request
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import RecordAttendance
from zroute_planning.entrypoints.http.deps import (
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
    plan_for,
)
from zroute_planning.entrypoints.http.schemas import AttendanceIn, AttendanceOut
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import ledger

router = APIRouter(prefix="/participants/{participant_ref}/attendance", tags=["attendance"])


@router.post("", status_code=201)
async def record(
    participant_ref: ParticipantRef,
    body: AttendanceIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> AttendanceOut:
    """Record one session: present hours count toward the kind's target; recording the
    same session again with the same values is harmless, with other values a 409."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = RecordAttendance(
            session_id=body.session_id,
            session_on=body.session_on,
            group_id=body.group_id,
            kind=body.kind,
            form=body.teaching_form,
            status=body.status,
            minutes=body.minutes,
        )
        hours = await ledger.record_attendance(uow, deps, plan, cmd, on=local_today(runtime))
        await uow.commit()
    return AttendanceOut(
        session_id=body.session_id,
        session_on=body.session_on,
        kind=body.kind,
        teaching_form=body.teaching_form,
        status=body.status,
        hours=hours,
    )


@router.get("")
async def list_attendance(
    participant_ref: ParticipantRef,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> list[AttendanceOut]:
    async with plan_for(runtime, request, deps, principal, participant_ref, lock=False) as (
        uow,
        plan,
    ):
        rows = await views.attendance(uow, plan)
    return [
        AttendanceOut(
            session_id=r["session_id"],
            session_on=r["session_on"],
            kind=r["kind"],
            teaching_form=r["teaching_form"],
            status=r["status"],
            hours=float(r["hours"]),
        )
        for r in rows
    ]
