"""Intake deleted a participant's records (B 9.9): support follows to the same extent."""

from __future__ import annotations

from zroute_contract.events.codes import DeletedRecords
from zroute_contract.events.intake import ParticipantRecordsDeleted
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

log = get_logger(__name__)


async def records_deleted(event: ParticipantRecordsDeleted, ctx: HandlerContext) -> None:
    """``personal_data``: drop the referrals' free text. ``core_data``: delete every row of
    the participant. A redelivery finds nothing left to change."""
    uow: SupportUnitOfWork = ctx.uow
    ref = event.participant_ref
    if event.deleted is DeletedRecords.PERSONAL_DATA:
        await uow.retention.erase_free_text(ref)
        log.info("participant_free_text_erased", participant_ref=ref)
        return
    deleted = await uow.retention.delete_participant(ref)
    log.info("participant_records_deleted", participant_ref=ref, rows=deleted)
