"""The contact card: a partner's staff pull the participant's name and contact details by
their relation, with the participant's consent; every card given is in the access log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from zroute_contract.types import PartnerId
from zroute_runtime.commands import command

from zroute_intake.domain.contact_card import CardPurpose
from zroute_intake.entrypoints.http.deps import (
    IntakeDeps,
    ParticipantRef,
    PartnerStaff,
    Runtime,
    Service,
)
from zroute_intake.entrypoints.http.schemas import (
    ContactCardOut,
    DateOfBirthCheckIn,
    DateOfBirthCheckOut,
    EmailForMessageOut,
    NameForMessageOut,
)
from zroute_intake.service_layer import views

router = APIRouter(prefix="/participants/{participant_ref}", tags=["contact card"])


@router.get(
    "/contact-card",
    summary="The participant's contact card for your partner",
    responses={
        403: {"description": "No card: the reason (no_relation, no_consent, no_fields)"},
        410: {"description": "The personal data was erased after its retention period"},
    },
)
async def read_contact_card(
    participant_ref: ParticipantRef,
    principal: PartnerStaff,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    purpose: Annotated[CardPurpose, Query(description="Why you need the card; it is logged.")],
) -> ContactCardOut:
    """The fields your relation with the participant shows (configuration), given only
    while your partner has a current relation with them and a consent in force lets their
    data reach your partner. The read is written to the participant's access log; a
    refusal says why and reads no personal data."""
    request_id = getattr(request.state, "request_id", None)
    async with command(runtime, request) as uow:
        card = await views.contact_card_for(
            uow, deps, principal, participant_ref, purpose, request_id=request_id
        )
        if card is None:
            raise HTTPException(410, "the personal data was erased after its retention period")
        await uow.commit()  # the access log's row
    return ContactCardOut.of(card)


@router.get(
    "/name-for-message",
    summary="The participant's name for a message to a partner (the notifications service)",
)
async def read_name_for_message(
    participant_ref: ParticipantRef,
    principal: Service,
    runtime: Runtime,
    deps: IntakeDeps,
    request: Request,
    partner_id: Annotated[PartnerId, Query(description="The partner the message goes to.")],
) -> NameForMessageOut:
    """The name a message to ``partner_id`` may carry, under the same rule as that
    partner's contact card; pulled at send time, never put on the bus. A name given is
    written to the participant's access log (purpose ``name_in_message``); a refusal says
    why and reads no personal data."""
    request_id = getattr(request.state, "request_id", None)
    async with command(runtime, request) as uow:
        found = await views.name_for_message(
            uow, deps, principal, participant_ref, partner_id, request_id=request_id
        )
        await uow.commit()  # the access log's row
    refused = found.refusal
    return NameForMessageOut(
        participant_ref=participant_ref,
        partner_id=partner_id,
        name=found.name,
        refused=refused.reason if refused else None,
        explanation=refused.explanation if refused else None,
        erased=found.erased,
    )


@router.get(
    "/email-for-message",
    summary="The participant's own e-mail address for their message (notifications)",
    responses={404: {"description": "No such participant"}},
)
async def read_email_for_message(
    participant_ref: ParticipantRef,
    principal: Service,
    runtime: Runtime,
    request: Request,
) -> EmailForMessageOut:
    """Where the participant's own message goes by e-mail, read at send time and never
    put on the bus; null when they gave no address. Every read is written to the access
    log with purpose ``participant_message``."""
    request_id = getattr(request.state, "request_id", None)
    async with command(runtime, request) as uow:
        found = await views.email_for_message(
            uow, principal, participant_ref, request_id=request_id
        )
        await uow.commit()  # the access log's row
    return EmailForMessageOut(
        participant_ref=participant_ref, email=found.email, erased=found.erased
    )


@router.post(
    "/date-of-birth-check",
    summary="Whether a date of birth is the participant's (the personal page's second factor)",
)
async def check_date_of_birth(
    participant_ref: ParticipantRef,
    principal: Service,
    runtime: Runtime,
    request: Request,
    body: DateOfBirthCheckIn,
) -> DateOfBirthCheckOut:
    """Yes or no, never the date itself (notifications asks when the participant opens
    their page and the second factor is on). Written to the access log with purpose
    ``page_second_factor``."""
    request_id = getattr(request.state, "request_id", None)
    async with command(runtime, request) as uow:
        matches = await views.date_of_birth_matches(
            uow, principal, participant_ref, body.date_of_birth, request_id=request_id
        )
        await uow.commit()  # the access log's row
    return DateOfBirthCheckOut(matches=bool(matches), erased=matches is None)
