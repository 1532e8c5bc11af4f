"""Who a matrix rule names for one event: one named step per role, read from the read
model (``uow.readmodel``) and the subscriptions (``uow.directory``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from zroute_contract.events.base import event_class
from zroute_contract.events.codes import RecipientRole
from zroute_runtime.clock import local_day
from zroute_runtime.messagebus import AwaitingPredecessor

from zroute_notifications.domain.matrix import Target
from zroute_notifications.domain.recipients import (
    OPERATOR,
    Recipient,
    participants_of,
    partner,
    staff,
)
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork


class Question:
    """One event's facts a resolver reads: the rule, the event type, its data and the moment."""

    def __init__(self, target: Target, event_type: str, data: dict[str, Any], now: datetime):
        self.target = target
        self.role = target.role
        self.event_type = event_type
        self.data = data
        self.now = now


Resolver = Callable[[NotificationsUnitOfWork, Question], Awaitable[list[Recipient]]]


async def resolve(
    uow: NotificationsUnitOfWork,
    target: Target,
    event_type: str,
    data: dict[str, Any],
    now: datetime,
) -> list[Recipient]:
    """The people or organisations ``target.role`` names for this event (each once)."""
    resolver = RESOLVERS.get(target.role)
    if resolver is None:
        return []
    found = await resolver(uow, Question(target, event_type, data, now))
    return list(dict.fromkeys(found))


async def _participant_staff(uow: NotificationsUnitOfWork, q: Question) -> list[Recipient]:
    """The contact person or the caseworker of each participant the event is about."""
    found: list[Recipient] = []
    for ref in participants_of(q.data):
        row = await uow.readmodel.contact(ref)
        if row is None:
            # Intake assigns the first contact person in the transaction that
            # registers the participant: none known means contact-person-assigned
            # has not arrived yet (a retry queue holds it). Wait for it.
            raise AwaitingPredecessor(f"no contact person known for participant {ref}")
        if q.role is RecipientRole.CONTACT_PERSON:
            found.append(staff(q.role, row["staff_ref"], row["partner_id"]))
        elif row["caseworker_ref"]:
            found.append(staff(q.role, row["caseworker_ref"], None))
    return found


async def _programme_partners(uow: NotificationsUnitOfWork, q: Question) -> list[Recipient]:
    """The lead partner, or the partners responsible for the rule's task, of the agreement
    in force on the local day; for an event addressed to one partner, that partner."""
    addressed = _addressed_partner(q)
    if q.role is RecipientRole.RESPONSIBLE_PARTNER and addressed is not None:
        # The event names the partner it is for: a request withdrawn because the task
        # division changed (``partner_changed``) is for the partner asked before, not the
        # one the agreement names today.
        return [partner(q.role, addressed)]
    agreement = await uow.readmodel.current_agreement(q.data["programme_id"], local_day(q.now))
    if agreement is None:
        return []
    if q.role is RecipientRole.LEAD_PARTNER:
        return await _lead_partners(uow, q, agreement["lead_partner_id"])
    if q.target.task is None:
        return []
    return [
        partner(q.role, a["partner_id"])
        for a in agreement["assignments"]
        if a["task"] == q.target.task.value
    ]


async def task_not_offered(
    uow: NotificationsUnitOfWork, target: Target, data: dict[str, Any], now: datetime
) -> bool:
    """Whether the agreement in force leaves ``target``'s task to nobody: the programme
    marked it not offered (issue 17), so a rule for its responsible partner has nobody to
    tell, and that is no failure. An agreement names every task it offers."""
    if target.role is not RecipientRole.RESPONSIBLE_PARTNER or target.task is None:
        return False
    programme = data.get("programme_id")
    if not programme:
        return False
    agreement = await uow.readmodel.current_agreement(programme, local_day(now))
    if agreement is None:
        return False
    return all(a["task"] != target.task.value for a in agreement["assignments"])


def _addressed_partner(q: Question) -> str | None:
    """The partner an addressed event names (its ``spec.addressed_by`` field), if any."""
    try:
        field = event_class(q.event_type).spec.addressed_by
    except KeyError:
        return None
    value = q.data.get(field) if field else None
    return value if isinstance(value, str) and value else None


async def _lead_partners(
    uow: NotificationsUnitOfWork, q: Question, programme_lead: str
) -> list[Recipient]:
    """Each participant's own lead partner where support set one (issue 17), else the
    programme's; the programme's for an event about no participant."""
    refs = participants_of(q.data)
    if not refs:
        return [partner(q.role, programme_lead)]
    found = []
    for ref in refs:
        _, own = await uow.readmodel.own_lead_partner(ref)
        found.append(partner(q.role, own or programme_lead))
    return found


async def _care_partner(uow: NotificationsUnitOfWork, q: Question) -> list[Recipient]:
    return [partner(q.role, q.data["partner_id"])]


async def _job_coach_partner(uow: NotificationsUnitOfWork, q: Question) -> list[Recipient]:
    """The partner the job coach works for (the event's ``partner_id`` on job-coach
    alerts: a concern raised, a check-in overdue)."""
    return [partner(q.role, q.data["partner_id"])]


async def _placement_people(uow: NotificationsUnitOfWork, q: Question) -> list[Recipient]:
    """The job coach or the employer: named by the event, else by the last placement."""
    data, role = q.data, q.role
    coach, coach_partner, employer = (
        data.get("job_coach"),
        data.get("partner_id"),
        data.get("employer_id"),
    )
    if (role is RecipientRole.JOB_COACH and not coach) or (
        role is RecipientRole.EMPLOYER and not employer
    ):
        row = await uow.readmodel.placement(data.get("participant_ref", ""))
        if row is not None:
            coach, coach_partner = row["job_coach"], row["job_coach_partner_id"]
            employer = row["employer_id"]
    if role is RecipientRole.JOB_COACH:
        return [staff(role, coach, coach_partner)] if coach else []
    return [Recipient(role, "employer", employer)] if employer else []


async def _operator(uow: NotificationsUnitOfWork, q: Question) -> list[Recipient]:
    return [OPERATOR]


async def _subscribers(uow: NotificationsUnitOfWork, q: Question) -> list[Recipient]:
    subs = await uow.directory.matching_subscriptions(q.event_type, participants_of(q.data), None)
    return [subscriber(q.role, s) for s in subs]


def subscriber(role: RecipientRole, sub: Any) -> Recipient:
    """A webhook subscription as a recipient."""
    return Recipient(
        role,
        "subscription",
        str(sub["id"]),
        partner_id=sub["partner_id"],
        subscription_id=sub["id"],
    )


RESOLVERS: dict[RecipientRole, Resolver] = {
    RecipientRole.CONTACT_PERSON: _participant_staff,
    RecipientRole.CASEWORKER: _participant_staff,
    RecipientRole.LEAD_PARTNER: _programme_partners,
    RecipientRole.RESPONSIBLE_PARTNER: _programme_partners,
    RecipientRole.CARE_PARTNER: _care_partner,
    RecipientRole.JOB_COACH: _placement_people,
    RecipientRole.JOB_COACH_PARTNER: _job_coach_partner,
    RecipientRole.EMPLOYER: _placement_people,
    RecipientRole.OPERATOR: _operator,
    RecipientRole.SUBSCRIBER: _subscribers,
}
"""Which step finds the holders of each role."""
