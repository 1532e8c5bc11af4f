"""The fast handler tier: notifications' handlers on a fake unit of work and in-memory
repositories, no broker and no database (the same rules are proven for real in
tests/notifications/integration)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from zroute_contract.envelope import build_event
from zroute_contract.events import planning, support
from zroute_contract.events.base import Event
from zroute_contract.events.codes import CheckInOutcome, DeliveryFailure
from zroute_contract.events.notifications import NotificationFailed
from zroute_contract.types import new_participant_ref
from zroute_notifications.adapters.webhook import WebhookSender
from zroute_notifications.bootstrap import build_deps
from zroute_notifications.domain.commands import Resend
from zroute_notifications.domain.errors import NotResendable
from zroute_notifications.service_layer import outcomes
from zroute_notifications.service_layer.handlers import delivery, messages, notifications, received
from zroute_notifications.settings import Settings
from zroute_runtime.auth import Principal, Role
from zroute_runtime.context import MessageContext
from zroute_runtime.messagebus import HandlerContext
from zroute_runtime.timers import DueTimer

from tests.notifications import world
from tests.notifications.unit.fakes import unit_of_work

DEPS = build_deps(Settings())
OPERATOR = Principal(subject="op-1", roles=frozenset({Role.OPERATOR}))


def _context(uow: Any, event: Event) -> HandlerContext:
    envelope = build_event(
        event,
        source=world.SOURCE,
        sequence=1,
        correlation_id="c-fast",
        subject=getattr(event, "participant_ref", None),
        time=uow.clock.now(),
    )
    return HandlerContext(envelope=envelope, routing_key="test", uow=uow)


async def _handle(uow: Any, event: Event) -> HandlerContext:
    """What the bootstrap registers for an event without handlers of its own."""
    ctx = _context(uow, event)
    await received.record(event, ctx, deps=DEPS)
    await messages.plan_messages(event, ctx, deps=DEPS)
    return ctx


def _with_contact(uow: Any) -> str:
    ref = new_participant_ref()
    uow.readmodel.contacts[ref] = {
        "staff_ref": world.COACH,
        "partner_id": world.LEAD,
        "caseworker_ref": None,
    }
    uow.directory.addresses[("staff", world.COACH)] = {"email": "anna@lead.test", "language": "en"}
    return ref


async def test_an_event_the_matrix_sends_by_email_yields_a_delivery_due_now():
    uow = unit_of_work()
    ref = _with_contact(uow)
    await _handle(uow, world.event(planning.PlanPaused, ref))
    [mail] = uow.notifications.of(channel="email")
    assert mail["recipient_kind"] == "staff" and mail["recipient_ref"] == world.COACH
    assert mail["language"] == "en" and mail["subject"]
    assert mail["due_at"] == uow.clock.now()
    assert {"kind": outcomes.DELIVER, "key": f"{mail['id']}:0"}.items() <= next(
        t for t in uow.timers.scheduled if t["kind"] == outcomes.DELIVER
    ).items()
    assert len(uow.readmodel.applied) == 1 and uow.events == []


async def test_an_event_no_rule_names_yields_no_delivery():
    uow = unit_of_work()
    ref = _with_contact(uow)
    await _handle(uow, world.registered(ref))
    assert uow.notifications.rows == {} and uow.timers.scheduled == []
    assert len(uow.readmodel.applied) == 1  # the read model learns of it all the same


class _RecordingSender(WebhookSender):
    def __init__(self) -> None:
        super().__init__(
            1.0,
            origin="test",
            request_rate=None,
            policy=DEPS.webhooks.policy,
            box=DEPS.webhooks.box,
        )
        self.posted: list[str] = []

    async def post(self, url: str, body: bytes, **_: Any) -> Any:  # type: ignore[override]
        self.posted.append(url)
        raise AssertionError("a webhook went out although consent was withdrawn")


async def test_a_withdrawn_consent_to_share_blocks_the_webhook_at_send_time():
    uow = unit_of_work()
    ref = _with_contact(uow)
    uow.readmodel.agreements[world.PROGRAMME] = {
        "lead_partner_id": world.LEAD,
        "assignments": [{"task": "participation_placement", "partner_id": world.WORKPLACES}],
    }
    sub_id = uuid.uuid4()
    uow.directory.subscriptions[sub_id] = {
        "id": sub_id,
        "partner_id": world.WORKPLACES,
        "url": "https://workplaces.test/hook",
        "event_types": [planning.PlacementRequested.spec.type],
        "active": True,
        "allowed_rate": None,
        "ended_reason": None,
    }
    await _handle(uow, world.event(planning.PlacementRequested, ref))
    [hook] = uow.notifications.of(channel="webhook")
    assert hook["subscription_id"] == sub_id
    uow.readmodel.withdrawn.add((ref, world.WORKPLACES))  # withdrawn before the send

    sender = _RecordingSender()
    deps = type(DEPS)(**{**DEPS.__dict__, "webhooks": sender})
    timer = DueTimer(
        1,
        outcomes.DELIVER,
        f"{hook['id']}:0",
        uow.clock.now(),
        {"notification_id": str(hook["id"])},
    )
    await delivery.deliver(timer, uow, deps=deps)
    await uow.commit()

    assert sender.posted == []
    assert uow.notifications.rows[hook["id"]]["status"] == "failed"
    [failed] = [e for e in uow.events if isinstance(e, NotificationFailed)]
    assert failed.reason is DeliveryFailure.NOT_AUTHORISED and failed.retriable is False


async def test_a_resend_of_a_message_that_did_not_fail_is_refused_and_changes_nothing():
    uow = unit_of_work()
    ref = _with_contact(uow)
    await _handle(uow, world.event(planning.PlanPaused, ref))
    [mail] = uow.notifications.of(channel="email")
    timers = len(uow.timers.scheduled)
    with pytest.raises(NotResendable, match="pending, not failed"):
        await notifications.resend(uow, OPERATOR, Resend(mail["id"]))
    assert uow.notifications.rows[mail["id"]]["status"] == "pending"
    assert len(uow.timers.scheduled) == timers


async def test_a_resend_puts_the_failed_message_back_due_now_in_the_callers_correlation():
    uow = unit_of_work()
    ref = _with_contact(uow)
    await _handle(uow, world.event(planning.PlanPaused, ref))
    [mail] = uow.notifications.of(channel="email")
    await uow.notifications.mark(mail["id"], status="failed", attempts=1, reason="smtp_rejected")
    uow.context = MessageContext(correlation_id="case-fast-4711")
    row = await notifications.resend(uow, OPERATOR, Resend(mail["id"]))
    assert row["status"] == "pending" and row["due_at"] == uow.clock.now()
    timer = uow.timers.scheduled[-1]
    assert timer["kind"] == outcomes.DELIVER and timer["key"] == f"{mail['id']}:1"
    assert timer["payload"]["correlation_id"] == "case-fast-4711"


async def test_the_employer_hears_of_a_placement_ended_and_the_coachs_partner_of_a_concern():
    """Issue 17: the placement's life cycle reaches the employer, and a concern or an
    overdue check-in reaches the job coach's partner, through the matrix."""
    uow = unit_of_work()
    ref = _with_contact(uow)
    uow.directory.addresses[("employer", "bakery-west")] = {"email": "e@b.test", "language": "nl"}
    uow.directory.addresses[("partner", "coaches")] = {"email": "c@c.test", "language": "nl"}
    placement = {"placement_id": uuid.uuid4(), "placement_request_id": uuid.uuid4()}
    ended = support.PlacementEnded(
        participant_ref=ref,
        programme_id=world.PROGRAMME,
        **placement,
        partner_id=world.WORKPLACES,
        employer_id="bakery-west",
        ended_on=date(2027, 4, 1),
        reason="employer_dropped_out",
    )
    await _handle(uow, ended)
    [to_employer] = uow.notifications.of(recipient_kind="employer")
    assert to_employer["recipient_ref"] == "bakery-west" and to_employer["channel"] == "email"
    for alert in (
        support.PlacementConcernRaised(
            participant_ref=ref,
            programme_id=world.PROGRAMME,
            placement_id=placement["placement_id"],
            partner_id="coaches",
            job_coach="coach-7",
            held_on=date(2027, 3, 10),
            outcome=CheckInOutcome.CONCERNS,
        ),
        support.CheckInOverdue(
            participant_ref=ref,
            programme_id=world.PROGRAMME,
            **placement,
            partner_id="coaches",
            job_coach="coach-7",
            due_on=date(2027, 3, 15),
            every_days=14,
            level=1,
        ),
    ):
        await _handle(uow, alert)
    to_partner = uow.notifications.of(recipient_kind="partner", recipient_ref="coaches")
    assert {n["channel"] for n in to_partner} == {"email", "inbox"}
    assert len(to_partner) == 2  # the concern at once, by mail and in the inbox
    # An overdue check-in is routine: the day's digest, by mail and in the inbox (issue 20).
    overdue = [d for d in uow.notifications.digest if d["recipient"].ref == "coaches"]
    assert {(d["channel"], d["timing"]) for d in overdue} == {
        ("email", "daily_digest"),
        ("inbox", "daily_digest"),
    }
