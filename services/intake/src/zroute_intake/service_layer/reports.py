"""The management report and the facts it is built from (issue 15 item 7).

Intake is where the report lives: the PIP's ten-week deadline (DUO's notice, the BRP date,
the information waits that hold it), the term with DUO's extensions and the progress
meetings (encrypted) exist only here; the hours and referrals come in as events
(``handlers/reports.py``). The scope is the caller's municipality; a token without one
works regionally, as everywhere in intake.
"""

from __future__ import annotations

from datetime import date

from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day

from zroute_intake.adapters.report_repo import ParticipantRow
from zroute_intake.domain import report
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.pip_case import PipCase
from zroute_intake.domain.values import Status
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

_STATUS_PHASE = {
    Status.REGISTERED.value: report.Phase.REGISTERED,
    Status.INTAKE_SCHEDULED.value: report.Phase.INTAKE,
    Status.INTAKE_COMPLETED.value: report.Phase.PIP_PENDING,
    Status.WITHDRAWN.value: report.Phase.WITHDRAWN,
    Status.ROUTE_COMPLETED.value: report.Phase.COMPLETED,
}


def phase_of(status: str, case: PipCase, today: date) -> report.Phase:
    """The route phase: the intake's status, refined by the PIP and DUO's release."""
    phase = _STATUS_PHASE.get(status, report.Phase.REGISTERED)
    if phase in (report.Phase.WITHDRAWN, report.Phase.COMPLETED):
        return phase
    if case.release is not None and case.release.effective_on <= today:
        return report.Phase.RELEASED
    if case.decision.first_dated is not None:
        return report.Phase.ON_ROUTE
    return phase


def facts_of(
    row: ParticipantRow,
    case: PipCase,
    series: MeetingSeries,
    today: date,
    deps: IntakeDependencies,
) -> report.ParticipantFacts:
    """One participant's facts from the PIP case and the meeting series; the hours norm
    is the one the current PIP sets (B 3.14), the configured one without a Z-route PIP."""
    current = case.decision.current
    term = case.term()
    pip_norm = None if current is None else current.content.norm()
    return report.ParticipantFacts(
        participant_ref=row.ref,
        phase=phase_of(row.status, case, today),
        pip_due_on=case.due_on(deps.pip_deadline),
        pip_dated=case.decision.first_dated,
        term_end=None if term is None else term.end,
        meetings_planned=0 if current is None else current.content.progress_meetings,
        meetings_held=sum(1 for m in series.meetings if m.record is not None),
        norm=deps.hours_norm if pip_norm is None else report.HoursNorm.of(pip_norm),
    )


async def gather(
    uow: IntakeUnitOfWork, municipality: str | None, deps: IntakeDependencies
) -> list[report.ParticipantFacts]:
    """The facts of every participant of the municipality, with hours and referrals."""
    today = local_day(uow.clock.now())
    rows = await uow.report.participants(municipality)
    refs = [r.ref for r in rows]
    hours = await uow.report.hours(refs)
    referrals = await uow.report.referrals(refs)
    found = []
    for row in rows:
        case = await uow.pips.get(row.ref, row.programme_id)
        series = await uow.meetings.get(row.ref, row.programme_id)
        base = facts_of(row, case, series, today, deps)
        found.append(
            report.ParticipantFacts(
                **(
                    vars(base)
                    | {
                        "hours": hours.get(row.ref, {}),
                        "referrals": tuple(referrals.get(row.ref, [])),
                    }
                )
            )
        )
    return found


async def management_report(
    uow: IntakeUnitOfWork, principal: Principal, deps: IntakeDependencies
) -> report.ManagementReport:
    """The management report of the caller's municipality today."""
    facts = await gather(uow, principal.municipality, deps)
    return report.build(facts, local_day(uow.clock.now()), principal.municipality)
