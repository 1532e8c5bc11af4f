"""Care pauses on a referral (issue 17 point 5): the care coordinator records that the
care a referral arranged keeps the participant from the route, and when that ends. The
referral's row is locked first, so that two coordinators cannot both open a pause."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from zroute_runtime.auth import Principal
from zroute_runtime.clock import local_day
from zroute_runtime.logging import get_logger

from zroute_support.domain.care_pauses import CarePause, CarePauseKind
from zroute_support.domain.errors import NotFound
from zroute_support.domain.referrals import Referral
from zroute_support.service_layer import access
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)


async def _referral(uow: SupportUnitOfWork, principal: Principal, referral_id: UUID) -> Referral:
    referral = await uow.referrals.get(referral_id, for_update=True)
    if referral is None:
        raise NotFound(f"unknown referral {referral_id}")
    await access.ensure_participant_municipality(
        uow, principal, referral.participant_ref, "referral"
    )
    return referral


async def start(
    uow: SupportUnitOfWork,
    principal: Principal,
    referral_id: UUID,
    *,
    kind: CarePauseKind,
    paused_from: date,
    expected_until: date | None,
) -> CarePause:
    """Record a care pause; ``care-pause-started`` goes to planning."""
    referral = await _referral(uow, principal, referral_id)
    existing = await uow.care_pauses.of_referral(referral_id)
    now = uow.clock.now()
    pause = CarePause.start(
        referral_status=referral.status,
        open_pauses=sum(1 for p in existing if p.ended_on is None),
        today=local_day(now),
        pause_id=uuid4(),
        referral_id=referral_id,
        participant_ref=referral.participant_ref,
        programme_id=referral.programme_id,
        kind=kind,
        paused_from=paused_from,
        expected_until=expected_until,
        by=principal.subject,
        at=now,
    )
    await uow.care_pauses.add(pause)
    _log.info("care_pause_started", referral_id=str(referral_id), pause_id=str(pause.pause_id))
    return pause


async def end(
    uow: SupportUnitOfWork,
    principal: Principal,
    referral_id: UUID,
    pause_id: UUID,
    *,
    ended_on: date,
) -> CarePause:
    """End a care pause; ``care-pause-ended`` goes to planning."""
    await _referral(uow, principal, referral_id)
    pauses = await uow.care_pauses.of_referral(referral_id)
    pause = next((p for p in pauses if p.pause_id == pause_id), None)
    if pause is None:
        raise NotFound(f"no care pause {pause_id} on this referral")
    now = uow.clock.now()
    pause.end(ended_on, today=local_day(now), by=principal.subject, at=now)
    await uow.care_pauses.save_end(pause)
    _log.info("care_pause_ended", referral_id=str(referral_id), pause_id=str(pause_id))
    return pause


async def of_referral(
    uow: SupportUnitOfWork, principal: Principal, referral_id: UUID
) -> list[CarePause]:
    """The referral's care pauses (the caller's municipality only)."""
    await _referral(uow, principal, referral_id)
    return await uow.care_pauses.of_referral(referral_id)
