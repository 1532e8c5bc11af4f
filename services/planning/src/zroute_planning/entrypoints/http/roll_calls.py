"""Roll-call: the attendance of a whole session at once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from zroute_runtime.auth import Principal
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime

from zroute_planning.domain.commands import RecordRollCall
from zroute_planning.domain.roll_call import Mark
from zroute_planning.entrypoints.http.deps import PlanningDeps, Staff, local_today
from zroute_planning.entrypoints.http.schemas import (
    RollCallIn,
    RollCallLineOut,
    RollCallOut,
    RollCallsIn,
)
from zroute_planning.service_layer import views
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import ledger

router = APIRouter(prefix="/roll-calls", tags=["attendance"])


@router.post("", status_code=201)
async def record_any(
    body: Annotated[RollCallsIn, Body()],
    principal: Staff,
    runtime: Runtime,
    request: Request,
    deps: PlanningDeps,
) -> RollCallOut | list[RollCallOut]:
    """Record one session for every participant at once: present with minutes, absent, or
    absent with a reason. Each line is checked against the session and the participant's
    plan (not before its start, within the session's length, at most the configured minutes
    a day); one failing line refuses the whole roll-call (422) with every reason. The
    caller must be allowed to record on each participant, and partner staff only the kind
    of hours the programme's task division names their partner for (403 with the reason).

    A list of roll-calls (a school's week, at most 200) is recorded at once, in its order,
    in one transaction: each is checked as one is (a later one against the earlier ones'
    lines), any failing line refuses the whole list (422, each reason with the index of
    its roll-call as ``roll_call``), and the answer lists each roll-call's lines."""
    if isinstance(body, RollCallIn):
        return await record(body, principal, runtime, request, deps)
    return await record_list(body, principal, runtime, request, deps)


async def record(
    body: RollCallIn,
    principal: Principal,
    runtime: Any,
    request: Request,
    deps: Deps,
) -> RollCallOut:
    """One roll-call (the route's, and the roll-call screen's)."""
    cmd = _command(body)
    async with command(runtime, request) as uow:
        # Loaded as a list's are (locked in the order of their refs), so a single
        # roll-call and a list sharing participants never lock them in opposite orders.
        lines = [(mark.participant_ref, cmd.kind) for mark in cmd.marks]
        plans = await views.plans_for_roll_calls(uow, deps, principal, lines)
        hours = await ledger.record_roll_call(
            uow,
            deps,
            [plans[mark.participant_ref] for mark in cmd.marks],
            cmd,
            on=local_today(runtime),
            partner=views.recording_partner(principal),
        )
        await uow.commit()
    return _answer(cmd, hours)


async def record_list(
    body: list[RollCallIn],
    principal: Principal,
    runtime: Any,
    request: Request,
    deps: Deps,
) -> list[RollCallOut]:
    """Several roll-calls in one transaction: each participant's plan is loaded, locked
    and authorized once, and what follows from the hours runs once per participant."""
    cmds = [_command(roll_call) for roll_call in body]
    async with command(runtime, request) as uow:
        lines = [(mark.participant_ref, cmd.kind) for cmd in cmds for mark in cmd.marks]
        plans = await views.plans_for_roll_calls(uow, deps, principal, lines)
        hours = await ledger.record_roll_calls(
            uow,
            deps,
            plans,
            cmds,
            on=local_today(runtime),
            partner=views.recording_partner(principal),
        )
        await uow.commit()
    return [_answer(cmd, counted) for cmd, counted in zip(cmds, hours, strict=True)]


def _command(body: RollCallIn) -> RecordRollCall:
    return RecordRollCall(
        session_id=body.session_id,
        session_on=body.session_on,
        group_id=body.group_id,
        kind=body.kind,
        form=body.teaching_form,
        session_minutes=body.session_minutes,
        marks=tuple(Mark(m.participant_ref, m.status, m.minutes, m.reason) for m in body.marks),
    )


def _answer(cmd: RecordRollCall, hours: list[float]) -> RollCallOut:
    return RollCallOut(
        session_id=cmd.session_id,
        session_on=cmd.session_on,
        lines=[
            RollCallLineOut(participant_ref=m.participant_ref, status=m.status, hours=h)
            for m, h in zip(cmd.marks, hours, strict=True)
        ],
    )
