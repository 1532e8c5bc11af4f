"""Whether a webhook subscriber may receive an event, checked again at send time.

A right can be withdrawn between the event and the delivery (the partner left the
programme's agreement, was deactivated, or the participant withdrew consent to share
with it), so the check runs on the facts as they are when the message goes out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubscriberFacts:
    subscription_active: bool
    subscriber_partner: str | None  # None for an integrator of the municipality
    partner_active: bool
    addressed_to: str | None  # the partner an addressed event is for
    named_partners: frozenset[str]  # partners the event itself names
    programme_partners: frozenset[str]  # partners in the programme's current agreement
    sharing_withdrawn: bool  # the participant withdrew consent to share with the partner


def refusal(facts: SubscriberFacts) -> str | None:
    """Why the subscriber may not have the event, or None when it may."""
    if not facts.subscription_active:
        return "subscription ended"
    if facts.addressed_to is not None and facts.subscriber_partner != facts.addressed_to:
        return "the event is addressed to another partner"
    if facts.subscriber_partner is None:
        return None
    if not facts.partner_active:
        return "the partner is no longer active"
    if facts.sharing_withdrawn:
        return "the participant withdrew consent to share with the partner"
    if (
        facts.subscriber_partner not in facts.named_partners
        and facts.subscriber_partner not in facts.programme_partners
    ):
        return "the partner has no part in the programme"
    return None
