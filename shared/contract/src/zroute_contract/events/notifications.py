"""Events the notifications service publishes (operated by the municipality): the
outcome of every delivery, so that failures are visible and an integrator or a
dashboard can follow the communication lines (lesson L3).

A recipient is named by role and organisation, never by address: addresses live in
the notifications service only.
"""

from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from zroute_contract.events.base import Event, EventSpec
from zroute_contract.events.codes import (
    Channel,
    DeliveryFailure,
    MessageLanguage,
    RecipientRole,
    Timing,
)
from zroute_contract.events.parts import EventPart, UniqueTuple
from zroute_contract.types import ParticipantRef, PartnerId, ProgrammeId, StaffRef


class Recipient(EventPart):
    """Who a message was for, by role; the organisation and person where the role
    resolved to one."""

    role: RecipientRole = Field(description="The role the communication matrix names.")
    partner_id: PartnerId | None = Field(
        default=None, description="The recipient's partner, when the recipient is at a partner."
    )
    staff_ref: StaffRef | None = Field(
        default=None, description="The staff member, when the role resolved to a person."
    )
    subscription_id: UUID | None = Field(
        default=None, description="The webhook subscription, for channel webhook."
    )


class NotificationOutcome(Event):
    """Base of the delivery outcome events: which message, to whom, how."""

    notification_id: UUID = Field(description="The message (one per event and recipient).")
    event_ids: UniqueTuple[UUID] = Field(
        min_length=1,
        max_length=1000,
        description="The events the message was about (many for a digest).",
    )
    programme_id: ProgrammeId | None = Field(
        default=None, description="The programme, when the message belongs to one."
    )
    participant_ref: ParticipantRef | None = Field(
        default=None, description="The participant, when the message is about one (the subject)."
    )
    recipient: Recipient = Field(description="Who the message was for.")
    channel: Channel = Field(description="How it was delivered.")
    timing: Timing = Field(description="At once, in a digest or as a reminder.")
    language: MessageLanguage = Field(description="The language of the message.")
    attempts: int = Field(ge=1, le=1000, description="Delivery attempts made.")

    @model_validator(mode="after")
    def _webhook_subscription(self) -> Self:
        if self.channel is Channel.WEBHOOK and self.recipient.subscription_id is None:
            raise ValueError("a webhook delivery names its recipient.subscription_id")
        return self


class NotificationSent(NotificationOutcome):
    """A message was delivered (accepted by the mail server, the webhook receiver, or
    placed in the inbox)."""

    spec = EventSpec(
        type="nl.zroute.notifications.notification-sent.v1",
        routing_key="notifications.notification.sent",
        producer="notifications",
        consumers=(),
        summary="A message was delivered to a recipient on a channel.",
    )


class NotificationFailed(NotificationOutcome):
    """A message could not be delivered for good; the operator is alerted and can re-send."""

    spec = EventSpec(
        type="nl.zroute.notifications.notification-failed.v1",
        routing_key="notifications.notification.failed",
        producer="notifications",
        consumers=(),
        summary="A message could not be delivered after its retries, with the reason.",
    )

    reason: DeliveryFailure = Field(description="Why delivery failed.")
    retriable: bool = Field(description="True when a re-send may succeed.")
