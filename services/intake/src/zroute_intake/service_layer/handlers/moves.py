"""A move to another municipality (issue 15, W 15(4)): the old municipality exports the
dossier (sealed: AES-256-GCM under the move key the intake services share, bound to the
participant, so it neither reads nor changes in transit) and closes its case as moved; the
new municipality imports it, the participant continues the same route, and a new PIP is
due ten weeks after the move (B 5.3). The export decrypts personal data: it is written to
the access log.

The new municipality may run this service or an intake service of its own (its own
database): there the import creates the participant, the PIP case with its versions and
change log, and the meetings from the dossier's records, then takes the case over."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from pydantic import TypeAdapter
from zroute_contract.events.intake import ParticipantMovedIn
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger
from zroute_runtime.messagebus import HandlerContext

from zroute_intake.adapters.meeting_repo import series_from_record, series_record
from zroute_intake.adapters.participant_repo import participant_from_record, participant_record
from zroute_intake.adapters.pip_repo import case_from_record, case_record
from zroute_intake.adapters.protection import PersonalDataProtector
from zroute_intake.domain import commands
from zroute_intake.domain.access import Access
from zroute_intake.domain.errors import InvalidRequest, NotFound
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.moves import Move
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.pip_case import PipCase, PipChange
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.handlers.participants import ERASURE_TIMER
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork
from zroute_intake.service_layer.views import PERSONAL_FIELDS

FORMAT = "zroute-move-dossier/1"
FIELD = "move-dossier"

_PERSONAL = TypeAdapter(PersonalData)

log = get_logger(__name__)


@dataclass(frozen=True)
class Exported:
    participant: Participant
    document: str
    """The sealed dossier, to hand to the new municipality."""


async def export_dossier(
    cmd: commands.MoveOut, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Exported:
    """Close the case as moved and seal the dossier: participant, broad intake, PIPs,
    meetings and DUO's decisions."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    move = Move(participant.municipality, cmd.to_municipality, cmd.moved_on, cmd.by, now)
    participant.move_out(move, today=local_day(now))
    personal = await uow.participants.personal_data(participant.ref)
    case = await uow.pips.get(participant.ref, participant.programme_id)
    meetings = await uow.meetings.get(participant.ref, participant.programme_id)
    dossier = _dossier(participant, move, personal, case, meetings)
    dossier["records"] = _records(participant, case, await uow.pips.changes(cmd.ref), meetings)
    sealed = _sealer(deps).seal_record(participant.ref, FIELD, json.dumps(dossier).encode())
    await uow.participants.save(participant, now)
    await uow.access_log.record(
        Access(
            participant_ref=participant.ref,
            accessed_at=now,
            actor=cmd.by,
            actor_roles=("caseworker",),
            purpose="move_export",
            fields=PERSONAL_FIELDS,
            request_id=None,
        )
    )
    log.info("dossier_exported", participant_ref=participant.ref, to=cmd.to_municipality)
    envelope = {"format": FORMAT, "participant_ref": participant.ref, "sealed": _b64(sealed)}
    return Exported(participant, _b64(json.dumps(envelope).encode()))


async def import_dossier(
    cmd: commands.MoveIn, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> tuple[Participant, PipCase]:
    """Take the case over: the participant becomes the caller's municipality's, the same
    route goes on, and the new PIP is due ten weeks after the move."""
    ref, dossier = _open(cmd.document, deps)
    participant = await uow.participants.get(ref, for_update=True)
    now = uow.clock.now()
    if participant is None:
        participant = await _take_in(ref, dossier, uow, now)
    moved_on = date.fromisoformat(dossier["move"]["moved_on"])
    due = moved_on + timedelta(weeks=deps.pip_deadline.weeks)
    participant.move_in(cmd.scope, by=cmd.by, at=now, pip_due_on=due)
    case = await uow.pips.get(ref, participant.programme_id, for_update=True)
    case.move_in(moved_on, cmd.by, now)
    await uow.participants.save(participant, now)
    await uow.pips.save(case, now)
    log.info("dossier_imported", participant_ref=ref, to=participant.municipality)
    return participant, case


async def on_moved_in(
    event: ParticipantMovedIn, ctx: HandlerContext, deps: IntakeDependencies
) -> None:
    """An intake service imported a dossier. Here, where it was exported to another intake
    service, the copy in transit is closed as handed over: read only, its personal data
    erased the retention period after the move and its core data deleted after that
    (B 9.9; the obligation goes on there, this municipality's part ended with the move).
    Where the import happened in this service itself (two municipalities on one service)
    the participant is the new municipality's already and nothing changes."""
    uow: IntakeUnitOfWork = ctx.uow
    participant = await uow.participants.get(event.participant_ref, for_update=True)
    if participant is None:
        return  # never known here, or this service imported it from elsewhere
    now = uow.clock.now()
    closed = participant.hand_over(event.to_municipality, by=ctx.envelope.source, at=now)
    if closed is None:
        log.info("moved_in_nothing_to_close", participant_ref=participant.ref)
        return
    await uow.participants.save(participant, now)
    await uow.timers.schedule(
        kind=ERASURE_TIMER,
        key=participant.ref,
        due_at=deps.erasure_due(closed.moved_on),
        payload={"participant_ref": participant.ref},
    )
    log.info("dossier_handed_over", participant_ref=participant.ref, to=event.to_municipality)


async def _take_in(
    ref: str, dossier: dict[str, Any], uow: IntakeUnitOfWork, now: datetime
) -> Participant:
    """Another intake service exported the dossier: store its records here as they stood
    at the export (the move in transit), so the import goes on as within one service."""
    records = dossier.get("records")
    personal = dossier["participant"]["personal"]
    if records is None or personal is None:
        raise NotFound(
            f"no participant {ref} here, and the dossier carries no records to create it "
            "from (exported before records were sealed in): import it where it was exported"
        )
    participant = participant_from_record(
        records["participant"], _PERSONAL.validate_python(personal)
    )
    await uow.participants.add(participant, now)
    programme = participant.programme_id
    await uow.pips.save(case_from_record(ref, programme, records["pip"]), now)
    await uow.meetings.save(series_from_record(ref, programme, records["meetings"]), now)
    log.info("dossier_records_created", participant_ref=ref)
    return await uow.participants.get(ref, for_update=True) or participant


def _records(
    participant: Participant, case: PipCase, changes: list[PipChange], meetings: MeetingSeries
) -> dict[str, Any]:
    """The records as stored, for an intake service that does not know the participant."""
    return {
        "participant": participant_record(participant),
        "pip": case_record(case, changes),
        "meetings": series_record(meetings),
    }


def _sealer(deps: IntakeDependencies) -> PersonalDataProtector:
    return deps.move_sealer or deps.protector


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _open(document: str, deps: IntakeDependencies) -> tuple[str, dict[str, Any]]:
    refused = InvalidRequest(
        "document: the dossier does not open; it was not sealed with this service's move "
        "key or was changed after the export"
    )
    try:
        envelope = json.loads(base64.urlsafe_b64decode(document.encode("ascii")))
        if envelope.get("format") != FORMAT:
            raise refused
        ref = str(envelope["participant_ref"])
        sealed = base64.urlsafe_b64decode(str(envelope["sealed"]).encode("ascii"))
        dossier = json.loads(_open_sealed(ref, sealed, deps))
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, InvalidTag):
        raise refused from None
    if dossier.get("participant_ref") != ref:
        raise refused
    return ref, dossier


def _open_sealed(ref: str, sealed: bytes, deps: IntakeDependencies) -> bytes:
    """Open with the shared move key; a dossier exported before the move key existed was
    sealed with this service's own key."""
    try:
        return _sealer(deps).open_record(ref, FIELD, sealed)
    except InvalidTag:
        return deps.protector.open_record(ref, FIELD, sealed)


def _dump(value: object) -> Any:
    return TypeAdapter(type(value)).dump_python(value, mode="json")


def _dossier(
    participant: Participant,
    move: Move,
    personal: object,
    case: PipCase,
    meetings: MeetingSeries,
) -> dict[str, Any]:
    """Everything the new municipality needs to continue the route, as plain JSON."""
    return {
        "format": FORMAT,
        "participant_ref": participant.ref,
        "move": _dump(move),
        "participant": {
            "programme_id": participant.programme_id,
            "registered_on": participant.registered_on.isoformat(),
            "preferred_language": participant.preferred_language,
            "interpreter_needed": participant.interpreter_needed,
            "personal": _dump(personal) if personal is not None else None,
            "contacts": _dump(participant.contacts),
            "consents": _dump(participant.consents),
            "pauses": _dump(participant.pauses),
        },
        "broad_intake": {
            "appointment": _dump(participant.appointment) if participant.appointment else None,
            "outcomes": _dump(participant.outcomes),
        },
        "pip": {
            "versions": _dump(case.decision.versions),
            "objections": _dump(case.decision.objections),
            "extensions": _dump(case.extensions),
            "release": _dump(case.release) if case.release else None,
        },
        "meetings": {
            "meetings": _dump(meetings.meetings),
            "final": _dump(meetings.final) if meetings.final else None,
        },
    }
