"""A small programme to feed the notifications service with: partners, an agreement, a
contact person, and helpers to publish events the way the other services do."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import aio_pika
import httpx
from zroute_contract.envelope import build_event
from zroute_contract.events import intake, support
from zroute_contract.events.base import Event
from zroute_contract.types import new_participant_ref
from zroute_runtime.auth import Role

from tests.contract.samples import sample_event
from tests.helpers import token

SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-test"
PROGRAMME = "prog-a"
LEAD = "lead-org"
SCHOOL = "school"
WORKPLACES = "workplaces"
CARE = "care-one"
COACH = "coach-anna"  # the contact person, at the lead partner, reads English
DAY = date(2027, 1, 4)


def settings_for(services: Any, smtp_port: int, **overrides: Any) -> Any:
    from zroute_notifications.settings import Settings

    values: dict[str, Any] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "smtp_timeout_s": 5.0,
        "delivery_retry_delays_s": [60, 120],
        "webhook_timeout_s": 5.0,
        # The test receivers listen on plain http on loopback: allowed here by name only.
        "webhook_allow_http": True,
        "webhook_allowed_targets": ["127.0.0.1"],
        "operator_email": None,
        "service_urls": {
            "intake": "http://intake.test",
            "planning": "http://planning.test",
            "support": "http://support.test",
            "notifications": "http://notifications.test",
        },
    } | overrides
    return services.settings(Settings, **values)


async def start(services: Any, smtp_port: int, **overrides: Any) -> Any:
    from zroute_notifications.bootstrap import definition

    settings = settings_for(services, smtp_port, **overrides)
    return await services.start(definition(settings), settings)


def client(runtime: Any, roles: list[Role] | None = None, **claims: Any) -> httpx.AsyncClient:
    bearer = token(roles or [Role.OPERATOR], **claims)
    return httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{runtime.http_port}",
        headers={"Authorization": f"Bearer {bearer}"},
    )


@dataclass
class Feed:
    """Publishes CloudEvents on the service's exchange, as the producers' relays do."""

    connection: aio_pika.abc.AbstractConnection
    exchange: str
    sequence: itertools.count = field(default_factory=lambda: itertools.count(1))
    published: list[str] = field(default_factory=list)

    async def publish(self, payload: Event, *, event_id: str | None = None) -> str:
        envelope = build_event(
            payload,
            source=SOURCE,
            sequence=next(self.sequence),
            correlation_id="c-test",
            subject=getattr(payload, "participant_ref", None),
            event_id=event_id,
        )
        channel = await self.connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(self.exchange)
        await exchange.publish(
            aio_pika.Message(envelope.to_json(), message_id=envelope.id),
            routing_key=payload.routing_key(),
        )
        await channel.close()
        self.published.append(envelope.id)
        return envelope.id

    async def all_handled(self, runtime: Any) -> None:
        """Wait until the service has handled every event published so far."""
        from tests.helpers import wait_for

        ids = list(dict.fromkeys(self.published))

        async def handled() -> bool:
            count = await runtime.pool.fetchval(
                "SELECT count(*) FROM nt_events WHERE event_id = ANY($1::uuid[])", ids
            )
            return count == len(ids)

        await wait_for(handled, what=f"{len(ids)} events handled")


def agreement(**overrides: Any) -> support.AgreementRecorded:
    values = {
        "agreement_id": uuid.uuid4(),
        "programme_id": PROGRAMME,
        "municipality": "GM0363",
        "version": 1,
        "valid_from": date(2027, 1, 1),
        "valid_until": None,
        "lead_partner_id": LEAD,
        "assignments": [
            {"task": "intake", "partner_id": LEAD},
            {"task": "language_teaching", "partner_id": SCHOOL},
            {"task": "participation_placement", "partner_id": WORKPLACES},
            {"task": "care_referral_mental_health", "partner_id": CARE},
        ],
    } | overrides
    return support.AgreementRecorded.model_validate(values)


def contact(ref: str, staff_ref: str = COACH) -> intake.ContactPersonAssigned:
    return sample_event(
        intake.ContactPersonAssigned,
        participant_ref=ref,
        programme_id=PROGRAMME,
        contact={"staff_ref": staff_ref, "role": "partner_coach", "partner_id": LEAD},
        reason="first_assignment",
        previous=None,
        assigned_from=DAY,
    )


def registered(ref: str) -> intake.ParticipantRegistered:
    return sample_event(intake.ParticipantRegistered, participant_ref=ref, programme_id=PROGRAMME)


def event(cls: type[Event], ref: str, **overrides: Any) -> Event:
    return sample_event(cls, participant_ref=ref, programme_id=PROGRAMME, **overrides)


async def seed_directory(runtime: Any) -> None:
    async with client(runtime) as http:
        for kind, ref, email, language in [
            ("staff", COACH, "anna@lead.test", "en"),
            ("partner", LEAD, "office@lead.test", "nl"),
            ("partner", WORKPLACES, "desk@workplaces.test", "nl"),
            ("partner", CARE, "intake@care.test", "nl"),
            ("partner", SCHOOL, "office@school.test", "en"),
        ]:
            response = await http.put(
                f"/directory/{kind}/{ref}", json={"email": email, "language": language}
            )
            assert response.status_code == 200, response.text


async def programme_with_participant(feed: Feed, runtime: Any) -> str:
    """Agreement, a registered participant with a contact person; returns the ref."""
    from tests.helpers import wait_for

    ref = new_participant_ref()
    agreed = await feed.publish(agreement())

    # The agreement has no participant, so it travels in another lane than the
    # participant's events: wait for it, or a contact person handled first finds no lead
    # partner to tell (a second operator alert in the delivery tests, 2 runs in 5).
    async def agreement_kept() -> bool:
        return bool(
            await runtime.pool.fetchval(
                "SELECT count(*) FROM nt_events WHERE event_id = $1::uuid", agreed
            )
        )

    await wait_for(agreement_kept, what="the agreement in the read model")
    await feed.publish(registered(ref))
    await feed.publish(contact(ref))

    async def known() -> bool:
        return bool(
            await runtime.pool.fetchval(
                "SELECT count(*) FROM nt_contacts WHERE participant_ref = $1", ref
            )
        )

    await wait_for(known, what="the contact person in the read model")
    return ref


async def notifications(runtime: Any, event_id: str) -> list[dict[str, Any]]:
    rows = await runtime.pool.fetch(
        "SELECT * FROM nt_notifications WHERE $1::uuid = ANY(event_ids) ORDER BY created_at, id",
        event_id,
    )
    return [dict(r) for r in rows]
