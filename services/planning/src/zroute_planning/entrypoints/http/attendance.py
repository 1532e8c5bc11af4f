"""Attendance per session: the hours ledger."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import CorrectAttendance, RecordAttendance
from zroute_planning.domain.roll_call import Mark
from zroute_planning.entrypoints.http.deps import (
    ParticipantRef,
    PlanningDeps,
    Staff,
    local_today,
    plan_for,
)
from zroute_planning.entrypoints.http.schemas import (
    AttendanceCorrectionIn,
    AttendanceCorrectionOut,
    AttendanceIn,
    AttendanceOut,
)
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import corrections, ledger

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
    same session again with the same values is harmless, with other values a 409 (correct
    it with PUT). Partner staff record only the kind of hours the programme's task division
    names their partner for (403 with the reason)."""
    async with command(runtime, request) as uow:
        plan = await views.plan_for_recorder(
            uow, deps, principal, participant_ref, body.kind, module=body.module
        )
        cmd = RecordAttendance(
            session_id=body.session_id,
            session_on=body.session_on,
            group_id=body.group_id,
            kind=body.kind,
            form=body.teaching_form,
            status=body.status,
            minutes=body.minutes,
            session_minutes=body.session_minutes,
            reason=body.absence_reason,
            module=body.module,
        )
        hours = await ledger.record_attendance(
            uow,
            deps,
            plan,
            cmd,
            on=local_today(runtime),
            partner=views.recording_partner(principal),
        )
        await uow.commit()
    return AttendanceOut(
        session_id=body.session_id,
        session_on=body.session_on,
        kind=body.kind,
        teaching_form=body.teaching_form,
        status=body.status,
        hours=hours,
        module=body.module,
    )


@router.put("/{session_id}", summary="Correct a recorded line: old and new value, who, when, why")
async def correct(
    participant_ref: ParticipantRef,
    session_id: UUID,
    body: AttendanceCorrectionIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> AttendanceCorrectionOut:
    """The line keeps its history: the old value stays in the corrections; the ledger's
    sums follow the new one. The new value is checked as a roll-call line is."""
    async with plan_for(runtime, request, deps, principal, participant_ref) as (uow, plan):
        cmd = CorrectAttendance(
            session_id=session_id,
            participant_ref=participant_ref,
            mark=Mark(participant_ref, body.status, body.minutes, body.absence_reason),
            reason=body.reason,
            note=body.note,
            by=principal.subject,
            at=runtime.clock.now(),
        )
        event = await corrections.correct_attendance(uow, deps, plan, cmd)
        await uow.commit()
    return AttendanceCorrectionOut(
        correction_id=event.correction_id,
        session_id=session_id,
        old_status=event.old_status,
        old_hours=event.old_hours,
        new_status=event.new_status,
        new_hours=event.new_hours,
        corrected_by=principal.subject,
        corrected_at=event.corrected_at,
        reason=event.reason,
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
            module=r["module"],
        )
        for r in rows
    ]
