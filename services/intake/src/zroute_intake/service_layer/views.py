"""The reads of the HTTP API and the screens, and who may make them: one module, one
connection style (the unit of work's ``uow.reads``, ``uow.participants``, ``uow.pips`` and
``uow.access_log``), no SQL here and none in a router or a page.

Refusals are the contract's (``NotFound``, ``Forbidden``, ``InvalidRequest``); the runtime's
command path answers them with their 4xx. A read of personal data is written to the access
log in the same unit of work; the caller commits it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zroute_letters.decision import DecisionContent
from zroute_runtime.auth import Principal, Role
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_intake.adapters.reads import Filters, Page, Search
from zroute_intake.domain import contact_card
from zroute_intake.domain.access import Access
from zroute_intake.domain.contact_card import (
    CardPurpose,
    CardRefused,
    CardRefusedError,
    ContactCard,
)
from zroute_intake.domain.errors import Forbidden, InvalidRequest, NotFound
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.name_search import query_parts
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.pip_case import PipCase, PipChange
from zroute_intake.domain.values import CLOSED, Status
from zroute_intake.service_layer import pip_letter as pip_letter_content
from zroute_intake.service_layer.access_reads import record_read
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

__all__ = ["Filters", "Page", "PersonalRead", "Search"]

log = get_logger(__name__)

PERSONAL_FIELDS = ("bsn", "given_names", "family_name", "date_of_birth", "address", "phone")
"""What a read of the personal data shows, as the access log names it."""


async def participant(uow: IntakeUnitOfWork, principal: Principal, ref: str) -> Participant:
    """The participant (no personal data): NotFound without one, Forbidden for a caller
    of another municipality."""
    return await uow.participants.reach(ref, principal.municipality)


async def participants(
    uow: IntakeUnitOfWork, principal: Principal, filters: Filters, limit: int, offset: int
) -> Page:
    """One page of the participants of the caller's municipality (no personal data)."""
    start, end = filters.intake_from, filters.intake_to
    if start and end and end <= start:
        raise InvalidRequest("intake_to must be after intake_from")
    for moment in (start, end):
        if moment is not None and moment.tzinfo is None:
            raise InvalidRequest("intake_from and intake_to need a UTC offset")
    mine = Filters(
        status=filters.status,
        contact_staff_ref=filters.contact_staff_ref,
        intake_from=start,
        intake_to=end,
        municipality=principal.municipality,
    )
    return await uow.reads.participants(mine, limit, offset)


@dataclass(frozen=True)
class PersonalRead:
    """A participant and, for a purpose, their personal data (None once erased)."""

    participant: Participant
    personal: PersonalData | None

    @property
    def erased(self) -> bool:
        return self.personal is None


async def personal_data(
    uow: IntakeUnitOfWork,
    principal: Principal,
    ref: str,
    purpose: str,
    *,
    request_id: str | None,
) -> PersonalRead:
    """The participant with their personal data, read for ``purpose`` by a caseworker and
    written to the access log (nothing is logged when the data was erased)."""
    if Role.CASEWORKER not in principal.roles:
        raise Forbidden("personal data is for caseworkers only; leave out purpose")
    found = await participant(uow, principal, ref)
    personal = await uow.participants.personal_data(ref)
    if personal is not None:
        await record_read(
            uow,
            principal,
            ref,
            purpose=purpose,
            fields=PERSONAL_FIELDS,
            request_id=request_id,
        )
    return PersonalRead(found, personal)


async def access_log(uow: IntakeUnitOfWork, principal: Principal, ref: str) -> list[Access]:
    """Every read of the participant's personal data, newest first."""
    municipality = await uow.reads.municipality_of(ref)
    if municipality is None:
        raise NotFound(f"no participant {ref}")
    if principal.municipality not in (None, municipality):
        raise Forbidden("this participant belongs to another municipality")
    return await uow.access_log.for_participant(ref)


async def reads_of(uow: IntakeUnitOfWork, ref: str) -> list[Access]:
    """The access log of a participant the caller already reached (the dossier)."""
    return await uow.access_log.for_participant(ref)


async def pip(
    uow: IntakeUnitOfWork, principal: Principal, ref: str
) -> tuple[PipCase, list[PipChange]]:
    """The participant's PIP case and who changed it (no lock)."""
    found = await participant(uow, principal, ref)
    case = await uow.pips.get(ref, found.programme_id)
    return case, await uow.pips.changes(ref)


LETTER_FIELDS = ("given_names", "family_name", "address")
"""What the PIP decision letter shows of the personal data, as the access log names it."""


async def pip_letter(
    uow: IntakeUnitOfWork,
    deps: IntakeDependencies,
    principal: Principal,
    ref: str,
    number: int,
    *,
    request_id: str | None,
) -> DecisionContent | None:
    """The content of the decision letter of version ``number``, for a caseworker of the
    participant's municipality, written to the access log (purpose ``pip_letter``); None
    when the personal data was erased."""
    if Role.CASEWORKER not in principal.roles:
        raise Forbidden("the decision letter is for the municipality's caseworkers only")
    found = await participant(uow, principal, ref)
    case = await uow.pips.get(ref, found.programme_id)
    version = case.decision.version(number)
    term = case.term()
    assert term is not None, "an established version has a term"
    sender = deps.letter_sender(found.municipality)
    personal = await uow.participants.personal_data(ref)
    if personal is None:
        return None
    await record_read(
        uow,
        principal,
        ref,
        purpose="pip_letter",
        fields=LETTER_FIELDS,
        request_id=request_id,
    )
    log.info("pip_letter_given", participant_ref=ref, version=number)
    return pip_letter_content.decision_content(
        ref=ref,
        version=version,
        term=term,
        personal=personal,
        language=found.preferred_language,
        contact=found.contact,
        sender=sender,
    )


async def meetings(
    uow: IntakeUnitOfWork, principal: Principal, ref: str
) -> tuple[MeetingSeries, int | None]:
    """The participant's progress meetings and final meeting, and how many the current
    PIP sets (None before it is established)."""
    found = await participant(uow, principal, ref)
    case = await uow.pips.get(ref, found.programme_id)
    current = case.decision.current
    series = await uow.meetings.get(ref, found.programme_id)
    return series, current.content.progress_meetings if current else None


async def caseload(
    uow: IntakeUnitOfWork,
    deps: IntakeDependencies,
    principal: Principal,
    *,
    ref: str | None = None,
    bsn: str | None = None,
    name: str | None = None,
    status: Status | None = None,
    limit: int,
    offset: int,
) -> Page:
    """One page of the caller's caseload, searched by reference, BSN or name (through
    keyed hashes, never in clear; ``domain.name_search``) and status."""
    parts = query_parts(name) if name else None
    search = Search(
        ref=ref,
        bsn_hash=deps.protector.bsn_hash(bsn) if bsn else None,
        name_hashes=[deps.protector.name_part_hash(p) for p in sorted(parts)] if parts else None,
        status=status.value if status else None,
        municipality=principal.municipality,
    )
    return await uow.reads.caseload(search, limit, offset)


async def _relations(uow: IntakeUnitOfWork, found: Participant) -> list[contact_card.Relation]:
    """The partners' relations with the participant while they are on the route: those
    intake knows itself (the partners attending the intake, until its day) and those
    planning and support report (a group, a placement, an accepted referral)."""
    if found.status in CLOSED:
        return []
    reported = await uow.relations.for_participant(found.ref)
    appointment = found.appointment
    if appointment is None:
        return reported
    return [
        *contact_card.attends_intake(
            (attendee.partner_id for attendee in appointment.attendees),
            since=found.registered_on,
            intake_day=local_day(appointment.starts_at),
        ),
        *reported,
    ]


async def _decide(
    uow: IntakeUnitOfWork, deps: IntakeDependencies, partner: str, ref: str
) -> tuple[Participant, contact_card.CardGrant | CardRefused]:
    found = await uow.participants.get(ref)
    if found is None:
        raise NotFound(f"no participant {ref}; check the participant reference")
    today = local_day(uow.clock.now())
    decision = contact_card.decide(
        partner, await _relations(uow, found), found.consents, today, deps.card_fields
    )
    return found, decision


async def contact_card_for(
    uow: IntakeUnitOfWork,
    deps: IntakeDependencies,
    principal: Principal,
    ref: str,
    purpose: CardPurpose,
    *,
    request_id: str | None,
) -> ContactCard | None:
    """The participant's contact card as the caller's partner may see it today, written to
    the access log; None when the personal data was erased. A refusal
    (:class:`CardRefusedError`: no relation, no consent) is decided on the pseudonymous
    record alone and decrypts nothing."""
    partner = principal.partner_id
    if partner is None:
        raise Forbidden("a contact card is for a partner's staff: your token names no partner")
    found, decision = await _decide(uow, deps, partner, ref)
    if isinstance(decision, CardRefused):
        log.info("contact_card_refused", participant_ref=ref, reason=decision.reason.value)
        raise CardRefusedError(decision)
    personal = await uow.participants.personal_data(ref)
    if personal is None:
        return None
    shown = contact_card.card(
        ref,
        decision,
        personal,
        preferred_language=found.preferred_language,
        interpreter_needed=found.interpreter_needed,
    )
    await record_read(
        uow,
        principal,
        ref,
        purpose=purpose.value,
        fields=tuple(sorted(field.value for field in decision.fields)),
        request_id=request_id,
    )
    log.info("contact_card_given", participant_ref=ref, relation=decision.relation.value)
    return shown


@dataclass(frozen=True)
class NameForMessage:
    """The participant's name for a message to ``partner_id``, or why it is not given."""

    name: str | None
    refusal: CardRefused | None = None
    erased: bool = False


async def name_for_message(
    uow: IntakeUnitOfWork,
    deps: IntakeDependencies,
    principal: Principal,
    ref: str,
    partner_id: str,
    *,
    request_id: str | None,
) -> NameForMessage:
    """The name a message to ``partner_id`` may carry: given under the same rule as that
    partner's contact card (a current relation, a consent in force) and written to the
    access log with the calling service as the actor; a refusal reads no personal data."""
    _, decision = await _decide(uow, deps, partner_id, ref)
    decision = contact_card.name_only(decision)
    if isinstance(decision, CardRefused):
        log.info("name_for_message_refused", participant_ref=ref, reason=decision.reason.value)
        return NameForMessage(name=None, refusal=decision)
    personal = await uow.participants.personal_data(ref)
    if personal is None:
        return NameForMessage(name=None, erased=True)
    await record_read(
        uow,
        principal,
        ref,
        purpose=CardPurpose.NAME_IN_MESSAGE.value,
        fields=(contact_card.CardField.NAME.value,),
        request_id=request_id,
    )
    log.info("name_for_message_given", participant_ref=ref, relation=decision.relation.value)
    return NameForMessage(name=f"{personal.given_names} {personal.family_name}")


EMAIL_PURPOSE = "participant_message"
"""Why notifications reads the participant's e-mail address: to send them their message."""


@dataclass(frozen=True)
class EmailForMessage:
    """The participant's own e-mail address at send time (None: none given, or erased)."""

    email: str | None = field(repr=False)
    erased: bool = False


async def email_for_message(
    uow: IntakeUnitOfWork, principal: Principal, ref: str, *, request_id: str | None
) -> EmailForMessage:
    """The participant's e-mail address for a message to the participant themselves
    (issue 18): pulled by notifications at send time, never on the bus. Reading it
    decrypts the personal data, so every read is in the access log (purpose
    ``participant_message``), whether or not an address was given."""
    if await uow.participants.get(ref) is None:
        raise NotFound(f"no participant {ref}; check the participant reference")
    personal = await uow.participants.personal_data(ref)
    if personal is None:
        return EmailForMessage(email=None, erased=True)
    await record_read(
        uow,
        principal,
        ref,
        purpose=EMAIL_PURPOSE,
        fields=("email",),
        request_id=request_id,
    )
    log.info("email_for_message_read", participant_ref=ref, has_address=bool(personal.email))
    return EmailForMessage(email=personal.email)


SECOND_FACTOR_PURPOSE = "page_second_factor"
"""Why notifications compares a date of birth: the personal page's second factor."""


async def date_of_birth_matches(
    uow: IntakeUnitOfWork, principal: Principal, ref: str, answer: date, *, request_id: str | None
) -> bool | None:
    """Whether ``answer`` is the participant's date of birth (None once erased): the
    personal page's second factor (issue 18). Only the yes or no leaves intake; the
    comparison is written to the access log."""
    if await uow.participants.get(ref) is None:
        raise NotFound(f"no participant {ref}; check the participant reference")
    personal = await uow.participants.personal_data(ref)
    if personal is None:
        return None
    await record_read(
        uow,
        principal,
        ref,
        purpose=SECOND_FACTOR_PURPOSE,
        fields=("date_of_birth",),
        request_id=request_id,
    )
    matches = personal.date_of_birth == answer
    log.info("date_of_birth_checked", participant_ref=ref, matches=matches)
    return matches
