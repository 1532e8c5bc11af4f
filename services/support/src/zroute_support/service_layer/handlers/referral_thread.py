"""The message thread on a referral between the referrer (caseworker or coordinator) and
the care partner; the care partner writes once it has accepted the referral. Messages
stay in support: no event carries them and no log line quotes them."""

from __future__ import annotations

from uuid import UUID, uuid4

from zroute_runtime.auth import Principal
from zroute_runtime.logging import get_logger

from zroute_support.domain.referral_context import Message, check_text, ensure_readable
from zroute_support.service_layer import access
from zroute_support.service_layer.handlers import referrals
from zroute_support.service_layer.unit_of_work import SupportUnitOfWork

_log = get_logger(__name__)


async def post_message(
    uow: SupportUnitOfWork, principal: Principal, referral_id: UUID, body: str
) -> Message:
    """Add a message to the referral's thread, as the caller's side."""
    referral = await referrals.load(uow, referral_id)
    await access.ensure_participant_municipality(
        uow, principal, referral.participant_ref, "referral"
    )
    if principal.partner_scope() is not None:
        access.ensure_partner(principal, referral.partner_id)
    side = access.side_of(principal, referral.partner_id)
    ensure_readable(side, referral.status)
    text = check_text(body, "message")
    assert text is not None
    message = Message(uuid4(), referral_id, side, principal.subject, text, uow.clock.now())
    await uow.referrals.add_message(message)
    _log.info(
        "referral_message_posted",
        referral_id=str(referral_id),
        message_id=str(message.message_id),
        side=side.value,
    )
    return message
