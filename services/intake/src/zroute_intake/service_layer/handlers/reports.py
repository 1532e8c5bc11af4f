"""The management report's projection: attendance from planning, referrals from support.

Intake holds the PIP, its deadline, the term and the meetings; the hours and the
referrals are another service's facts, so intake keeps of them only what the report and
the DUO export need (codes, dates, hours), fed by their events. A referral's times are
the events' times (the envelope's ``time``): when support recorded the step.
"""

from __future__ import annotations

from zroute_contract.events import planning as p
from zroute_contract.events import support as s
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext, HandlerRegistry

from zroute_intake.adapters.report_repo import AttendanceLine

log = get_logger(__name__)


async def on_attendance_recorded(event: p.AttendanceRecorded, ctx: HandlerContext) -> None:
    """Planning recorded a session's attendance: keep its hours for the report and DUO."""
    await ctx.uow.report.attendance(
        AttendanceLine(
            participant_ref=event.participant_ref,
            session_id=event.session_id,
            kind=event.kind.value,
            session_on=event.session_on,
            status=event.status.value,
            hours=float(event.hours),
        )
    )


async def on_attendance_corrected(event: p.AttendanceCorrected, ctx: HandlerContext) -> None:
    """Planning corrected a line: the new status and hours replace the old."""
    await ctx.uow.report.attendance(
        AttendanceLine(
            participant_ref=event.participant_ref,
            session_id=event.session_id,
            kind=event.kind.value,
            session_on=event.session_on,
            status=event.new_status.value,
            hours=float(event.new_hours),
        )
    )


async def on_referral_requested(event: s.ReferralRequested, ctx: HandlerContext) -> None:
    """A referral was asked: only its id and time are kept, never its category."""
    await ctx.uow.report.referral_requested(
        event.referral_id, event.participant_ref, ctx.envelope.time
    )


async def on_referral_accepted(event: s.ReferralAccepted, ctx: HandlerContext) -> None:
    await ctx.uow.report.referral_answered(
        event.referral_id, event.participant_ref, "accepted", ctx.envelope.time
    )


async def on_referral_declined(event: s.ReferralDeclined, ctx: HandlerContext) -> None:
    await ctx.uow.report.referral_answered(
        event.referral_id, event.participant_ref, "declined", ctx.envelope.time
    )


async def on_referral_completed(event: s.ReferralCompleted, ctx: HandlerContext) -> None:
    await ctx.uow.report.referral_completed(
        event.referral_id, event.participant_ref, ctx.envelope.time
    )


HANDLERS: HandlerRegistry = {
    p.AttendanceRecorded: [on_attendance_recorded],
    p.AttendanceCorrected: [on_attendance_corrected],
    s.ReferralRequested: [on_referral_requested],
    s.ReferralAccepted: [on_referral_accepted],
    s.ReferralDeclined: [on_referral_declined],
    s.ReferralCompleted: [on_referral_completed],
}
"""The events the projection consumes, for the bootstrap."""
