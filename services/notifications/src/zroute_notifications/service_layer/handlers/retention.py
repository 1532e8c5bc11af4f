"""Intake deleted a participant's records (B 9.9): notifications follows to the same
extent. It runs after the event was kept (``received.record``), so the core data's
deletion takes the event itself too."""

from __future__ import annotations

from zroute_contract.events.codes import DeletedRecords
from zroute_contract.events.intake import ParticipantRecordsDeleted
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.handlers import unit_of_work

log = get_logger(__name__)


async def records_deleted(
    event: ParticipantRecordsDeleted, ctx: HandlerContext, *, deps: Deps
) -> None:
    """``personal_data``: the letters, links and messages go, and the wording of the
    messages about the participant. ``core_data``: every row about them. A redelivery
    finds nothing left to change."""
    uow = unit_of_work(ctx)
    ref = event.participant_ref
    if event.deleted is DeletedRecords.PERSONAL_DATA:
        await uow.retention.erase_personal_data(ref)
        log.info("participant_personal_data_erased", participant_ref=ref)
        return
    deleted = await uow.retention.delete_participant(ref)
    log.info("participant_records_deleted", participant_ref=ref, rows=deleted)
