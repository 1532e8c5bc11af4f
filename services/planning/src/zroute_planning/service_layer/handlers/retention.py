"""Intake deleted a participant's records (B 9.9): planning follows to the same extent."""

from __future__ import annotations

from zroute_contract.events.codes import DeletedRecords
from zroute_contract.events.intake import ParticipantRecordsDeleted
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


async def records_deleted(
    event: ParticipantRecordsDeleted, ctx: HandlerContext, deps: Deps
) -> None:
    """``personal_data``: drop the free text staff typed about the participant.
    ``core_data``: delete the plan and everything about the participant; the attendance
    lines stay for their hours under a reference nobody knows. A redelivery finds nothing
    left to change."""
    uow: PlanningUnitOfWork = ctx.uow
    ref = event.participant_ref
    if event.deleted is DeletedRecords.PERSONAL_DATA:
        await uow.retention.erase_free_text(ref)
        log.info("participant_free_text_erased", participant_ref=ref)
        return
    deleted = await uow.retention.delete_participant(ref)
    log.info("participant_records_deleted", participant_ref=ref, rows=deleted)
