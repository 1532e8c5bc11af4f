"""Gathers the right-of-access document (AVG art. 15) of one participant.

The document holds the personal data, so it is for the caseworker of the participant's
municipality only, and making it is itself written to the access log (purpose
``right_of_access``) before the log is read into the document: the participant sees
this read too.
"""

from __future__ import annotations

from zroute_runtime.auth import Principal, Role
from zroute_runtime.clock import local_day

from zroute_intake.domain import right_of_access as roa
from zroute_intake.domain.errors import Forbidden
from zroute_intake.service_layer import views
from zroute_intake.service_layer.access_reads import record_read
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

PURPOSE = "right_of_access"


async def document(
    uow: IntakeUnitOfWork,
    principal: Principal,
    ref: str,
    language: str,
    *,
    request_id: str | None,
) -> roa.AccessDocument:
    """The participant's document in ``language``; the caller commits the log's row."""
    if Role.CASEWORKER not in principal.roles:
        raise Forbidden("the right-of-access document shows personal data: caseworkers only")
    found = await views.participant(uow, principal, ref)
    personal = await uow.participants.personal_data(ref)
    if personal is not None:
        await record_read(
            uow,
            principal,
            ref,
            purpose=PURPOSE,
            fields=views.PERSONAL_FIELDS,
            request_id=request_id,
        )
    records = roa.Records(
        participant=found,
        personal=personal,
        case=await uow.pips.get(ref, found.programme_id),
        meetings=await uow.meetings.get(ref, found.programme_id),
        accesses=await uow.access_log.for_participant(ref, limit=10_000),
        duo_records=await uow.report.duo_records(ref),
    )
    return roa.document(records, language, local_day(uow.clock.now()))
