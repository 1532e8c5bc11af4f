"""A programme to test against: partners, an agreement, participants; helpers to feed
events in and drive the HTTP API."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import aio_pika
import httpx
from zroute_contract.envelope import build_event
from zroute_contract.events.base import Event
from zroute_contract.events.codes import (
    AssignmentReason,
    ConsentPurpose,
    ContactRole,
    PartnerCapability,
    RouteTask,
)
from zroute_contract.events.intake import (
    ConsentRecorded,
    ContactPersonAssigned,
    ParticipantRegistered,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_runtime.auth import Role

from tests.helpers import Capture, token, wait_for

SOURCE = "urn:nld:oin:00000001002220647000:systeem:zroute-intake"
PROGRAMME = "amsterdam-z"
GM = "GM0363"
CAP = PartnerCapability

PARTNERS: dict[str, tuple[PartnerCapability, ...]] = {
    "coordinator": (CAP.INTERPRETING,),
    "school": (CAP.LANGUAGE_TEACHING, CAP.KNM),
    "work-a": (CAP.PARTICIPATION_WORKPLACES,),
    "work-b": (CAP.PARTICIPATION_WORKPLACES,),
    "coaches": (CAP.JOB_COACHING,),
    "care-a": (CAP.MENTAL_HEALTH_CARE, CAP.PHYSICAL_CARE, CAP.DEBT_FINANCE),
    "care-b": (CAP.MENTAL_HEALTH_CARE,),
    "kids": (CAP.CHILDCARE, CAP.TRANSPORT),
}
RESPONSIBLE = {
    RouteTask.INTAKE: "coordinator",
    RouteTask.LANGUAGE_TEACHING: "school",
    RouteTask.KNM: "school",
    RouteTask.MAP: "work-a",
    RouteTask.PARTICIPATION_PLACEMENT: "work-a",
    RouteTask.JOB_COACHING: "coaches",
    RouteTask.CARE_REFERRAL_PHYSICAL: "care-a",
    RouteTask.CARE_REFERRAL_MENTAL_HEALTH: "care-a",
    RouteTask.CARE_REFERRAL_DEBT_FINANCE: "care-a",
    RouteTask.CHILDCARE: "kids",
    RouteTask.TRANSPORT: "kids",
    RouteTask.INTERPRETER: "coordinator",
    RouteTask.PROGRESS_CONSULTATION: "coordinator",
    RouteTask.FOLLOW_UP: "coordinator",
}
EMPLOYERS = ("bakery-de-ster", "bakery-oost")
"""The employers ``setup`` registers."""
CONTACT = ContactPersonRef(staff_ref="cw-anna", role=ContactRole.CASEWORKER, municipality=GM)


class Scenario:
    def __init__(self, runtime, seen: Capture, connection) -> None:
        self.runtime = runtime
        self.seen = seen
        self.connection = connection
        self.sequence = 0
        self._clients: list[httpx.AsyncClient] = []

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()

    # -- HTTP -------------------------------------------------------------------------
    def client(
        self,
        role: Role = Role.COORDINATOR,
        partner_id: str | None = None,
        *,
        municipality: str | None = None,
        subject: str = "staff-test",
    ) -> httpx.AsyncClient:
        bearer = token([role], partner_id=partner_id, subject=subject, municipality=municipality)
        client = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{self.runtime.http_port}",
            headers={"Authorization": f"Bearer {bearer}"},
        )
        self._clients.append(client)
        return client

    def partner(self, partner_id: str, subject: str = "staff-test") -> httpx.AsyncClient:
        return self.client(Role.PARTNER_STAFF, partner_id, subject=subject)

    async def register_partners(self, capacity: dict[str, dict[str, int]] | None = None) -> None:
        coordinator = self.client()
        for pid, caps in PARTNERS.items():
            body = {
                "partner_id": pid,
                "organisation": f"Partner {pid}",
                "municipalities": [GM],
                "capabilities": [c.value for c in caps],
                "capacity": (capacity or {}).get(pid, {}),
                "contact_points": [{"channel": "email", "address": f"desk@{pid}.example"}],
            }
            response = await coordinator.post("/partners", json=body)
            assert response.status_code == 201, response.text

    def agreement_body(self, responsible: dict[RouteTask, str] | None = None, **kw: Any) -> dict:
        assign = RESPONSIBLE | (responsible or {})
        return {
            "municipality": GM,
            "valid_from": kw.get("valid_from", "2027-01-01"),
            "valid_until": kw.get("valid_until"),
            "lead_partner_id": kw.get("lead", "coordinator"),
            "assignments": [{"task": t.value, "partner_id": p} for t, p in assign.items()],
        }

    async def record_agreement(self, **kw: Any) -> dict:
        response = await self.client().post(
            f"/programmes/{PROGRAMME}/agreements", json=self.agreement_body(**kw)
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def register_employers(self, *employer_ids: str) -> None:
        """Employers in the registry (a placement must name a registered one)."""
        coordinator = self.client()
        for employer_id in employer_ids or EMPLOYERS:
            response = await coordinator.post(
                "/employers",
                json={
                    "employer_id": employer_id,
                    "name": employer_id.replace("-", " ").title(),
                    "municipalities": [GM],
                    "contact_points": [
                        {"channel": "email", "address": f"contact@{employer_id}.example"}
                    ],
                },
            )
            assert response.status_code == 201, response.text

    async def setup(self, capacity: dict[str, dict[str, int]] | None = None) -> None:
        await self.register_partners(capacity)
        await self.register_employers()
        await self.record_agreement()

    # -- events in ----------------------------------------------------------------------
    async def publish(self, payload: Event, *, routing_key: str | None = None) -> str:
        self.sequence += 1
        envelope = build_event(
            payload,
            source=SOURCE,
            sequence=self.sequence,
            correlation_id=f"c-{uuid.uuid4().hex[:8]}",
            subject=getattr(payload, "participant_ref", None),
        )
        channel = await self.connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(self.runtime.topology.exchange)
        await exchange.publish(
            aio_pika.Message(envelope.to_json(), message_id=envelope.id),
            routing_key=routing_key or payload.routing_key(),
        )
        await channel.close()
        return envelope.id

    async def handled(self, event_id: str) -> None:
        """Wait until the service has handled (committed) the event."""

        async def done() -> bool:
            return bool(
                await self.runtime.pool.fetchval(
                    "SELECT count(*) FROM zr_inbox WHERE event_id = $1::uuid", event_id
                )
            )

        await wait_for(done, what=f"event {event_id} handled")

    async def feed(self, payload: Event) -> None:
        await self.handled(await self.publish(payload))

    async def participant(
        self,
        *,
        contact: bool = True,
        programme_id: str = PROGRAMME,
        municipality: str = GM,
        ref: str | None = None,
    ) -> str:
        """A registered participant (of the default programme and municipality unless
        named), with the caseworker as contact person unless ``contact`` is false; ``ref``
        when intake registered them for real beside support."""
        ref = ref or f"zr-{uuid.uuid4().hex}"
        await self.feed(
            ParticipantRegistered(
                participant_ref=ref,
                programme_id=programme_id,
                municipality=municipality,
                registered_on=date(2027, 1, 4),
                preferred_language="ti",
                interpreter_needed=True,
            )
        )
        if contact:
            await self.feed(
                ContactPersonAssigned(
                    participant_ref=ref,
                    programme_id=programme_id,
                    contact=CONTACT.model_copy(update={"municipality": municipality}),
                    assigned_from=date(2027, 1, 4),
                    reason=AssignmentReason.FIRST_ASSIGNMENT,
                )
            )
        return ref

    async def consent(
        self, ref: str, signal_ids: tuple[uuid.UUID, ...] = (), *, programme_id: str = PROGRAMME
    ) -> uuid.UUID:
        consent_id = uuid.uuid4()
        await self.feed(
            ConsentRecorded(
                participant_ref=ref,
                programme_id=programme_id,
                consent_id=consent_id,
                purpose=ConsentPurpose.CARE_REFERRAL,
                care_signal_ids=signal_ids,
                given_on=date(2027, 1, 4),
            )
        )
        return consent_id

    # -- events out ---------------------------------------------------------------------
    async def emitted(self, name: str, count: int = 1, **match: Any) -> list[dict[str, Any]]:
        """Wait for ``count`` support events named ``name`` whose data match ``match``."""
        event_type = f"nl.zroute.support.{name}.v1"

        def found() -> list[dict[str, Any]]:
            hits = [
                b
                for b in self.seen.of_type(event_type)
                if all(b["data"].get(k) == v for k, v in match.items())
            ]
            return hits if len(hits) >= count else []

        return await wait_for(found, what=f"{count} x {name} {match}")


HEALTH_VALUES = ("physical_care", "mental_health_care", "debt_finance")
HEALTH_KEYS = {"category", "severity", "urgency", "signal_id", "signals"}


def assert_no_health_detail_on_public_events(seen: Capture) -> int:
    """Every event about a participant whose routing key is not addressed (three words)
    carries no care category, severity, urgency or signal, at any depth; returns how many
    were scanned. (Partner events name care *capabilities*: no participant's detail.)"""

    def keys(node: Any) -> set[str]:
        if isinstance(node, dict):
            return set(node) | {k for v in node.values() for k in keys(v)}
        if isinstance(node, list):
            return {k for v in node for k in keys(v)}
        return set()

    scanned = 0
    for message in seen.messages:
        if len(message.routing_key.split(".")) != 3:
            continue
        body = message.body.decode()
        if json.loads(body).get("subject") is None:
            continue
        assert not [v for v in HEALTH_VALUES if v in body], (message.routing_key, body)
        assert not keys(json.loads(body)["data"]) & HEALTH_KEYS, (message.routing_key, body)
        scanned += 1
    return scanned
