"""Consent (toestemming) per purpose: record and withdraw."""

from __future__ import annotations

from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_intake.domain import commands
from zroute_intake.domain.participant import Participant
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

log = get_logger(__name__)


async def record_consent(
    cmd: commands.RecordConsent, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Record a consent for a care referral or for sharing with a named partner."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    participant.record_consent(
        cmd.consent,
        today=local_day(now),
        care_partner_id=deps.care_partner_for(participant.programme_id),
    )
    await uow.participants.save(participant, now)
    log.info(
        "consent_recorded",
        participant_ref=participant.ref,
        consent_id=str(cmd.consent.consent_id),
        purpose=cmd.consent.purpose.value,
    )
    return participant


async def withdraw_consent(
    cmd: commands.WithdrawConsent, uow: IntakeUnitOfWork, deps: IntakeDependencies
) -> Participant:
    """Withdraw a consent; what relied on it stops when the event arrives."""
    participant = await uow.participants.for_change(cmd.ref, cmd.scope, cmd.expected_version)
    now = uow.clock.now()
    participant.withdraw_consent(
        cmd.consent_id,
        today=local_day(now),
        care_partner_id=deps.care_partner_for(participant.programme_id),
    )
    await uow.participants.save(participant, now)
    log.info("consent_withdrawn", participant_ref=participant.ref, consent_id=str(cmd.consent_id))
    return participant
