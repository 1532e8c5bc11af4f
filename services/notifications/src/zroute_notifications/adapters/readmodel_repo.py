"""The read model on the unit of work (``uow.readmodel``): fed by the events of intake,
planning and support (``readmodel.writers.WRITERS``), asked who holds a role and what a
subscriber may have (``readmodel.queries``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg
from zroute_contract.envelope import CloudEvent
from zroute_contract.events.base import Event
from zroute_runtime.repository import TrackingRepository

from zroute_notifications.adapters.notification_repo import kept_event
from zroute_notifications.adapters.readmodel import queries, writers


class ReadModelRepository(TrackingRepository):
    """The read model's writers and questions on one connection."""

    async def keep_and_apply(self, envelope: CloudEvent, event: Event, now: datetime) -> None:
        """Keep the received event (``nt_events``) and update the read model with it, in one
        statement where the event's writer can take the keeping along (a redelivery
        changes nothing)."""
        await writers.keep_and_apply(self.conn, kept_event(envelope, now), event)

    async def apply(self, event: Event) -> None:
        """Update the read model with ``event`` (events it does not use change nothing)."""
        await writers.apply(self.conn, event)

    async def contact(self, participant_ref: str) -> asyncpg.Record | None:
        return await queries.contact(self.conn, participant_ref)

    async def current_agreement(self, programme_id: str, today: date) -> dict[str, Any] | None:
        return await queries.current_agreement(self.conn, programme_id, today)

    async def own_lead_partner(self, participant_ref: str) -> tuple[bool, str | None]:
        """(True, partner) when support set the participant's own lead partner (partner
        None: back to the programme's); (False, None) when it never did."""
        return await queries.own_lead_partner(self.conn, participant_ref)

    async def placement(self, participant_ref: str) -> asyncpg.Record | None:
        return await queries.placement(self.conn, participant_ref)

    async def partner_active(self, partner_id: str) -> bool:
        return await queries.partner_active(self.conn, partner_id)

    async def sharing_withdrawn(self, participant_ref: str, partner_id: str) -> bool:
        return await queries.sharing_withdrawn(self.conn, participant_ref, partner_id)

    async def programme_figures(self, programme_id: str) -> queries.ProgrammeFigures:
        """The participants, attendance and open items the consultation overview counts."""
        return await queries.programme_figures(self.conn, programme_id)
