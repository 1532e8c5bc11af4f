"""Roll-call: the attendance of a whole session at once."""

from __future__ import annotations

from fastapi import APIRouter, Request
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import RecordRollCall
from zroute_planning.domain.roll_call import Mark
from zroute_planning.entrypoints.http.deps import PlanningDeps, Staff, local_today
from zroute_planning.entrypoints.http.schemas import RollCallIn, RollCallLineOut, RollCallOut
from zroute_planning.service_layer import views
from zroute_planning.service_layer.handlers import ledger

router = APIRouter(prefix="/roll-calls", tags=["attendance"])


@router.post("", status_code=201)
async def record(
    body: RollCallIn,
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> RollCallOut:
    """Record one session for every participant at once: present with minutes, absent, or
    absent with a reason. Each line is checked against the session and the participant's
    plan (not before its start, within the session's length, at most the configured minutes
    a day); one failing line refuses the whole roll-call (422) with every reason. The
    caller must be allowed to record on each participant, and partner staff only the kind
    of hours the programme's task division names their partner for (403 with the reason)."""
    cmd = RecordRollCall(
        session_id=body.session_id,
        session_on=body.session_on,
        group_id=body.group_id,
        kind=body.kind,
        form=body.teaching_form,
        session_minutes=body.session_minutes,
        marks=tuple(Mark(m.participant_ref, m.status, m.minutes, m.reason) for m in body.marks),
    )
    async with command(runtime, request) as uow:
        plans = [
            await views.plan_for_recorder(uow, deps, principal, mark.participant_ref, cmd.kind)
            for mark in cmd.marks
        ]
        hours = await ledger.record_roll_call(
            uow,
            deps,
            plans,
            cmd,
            on=local_today(runtime),
            partner=views.recording_partner(principal),
        )
        await uow.commit()
    return RollCallOut(
        session_id=cmd.session_id,
        session_on=cmd.session_on,
        lines=[
            RollCallLineOut(participant_ref=m.participant_ref, status=m.status, hours=h)
            for m, h in zip(cmd.marks, hours, strict=True)
        ],
    )
