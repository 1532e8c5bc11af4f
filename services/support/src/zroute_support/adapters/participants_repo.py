"""What support knows of participants: programme, contact person, consents, care signals
and weekly schedule. Nothing personal: the reference, codes and dates only."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import asyncpg
from zroute_contract.events.codes import (
    CareCategory,
    ConsentPurpose,
    NeedSeverity,
    Urgency,
    Weekday,
)
from zroute_contract.events.parts import ContactPersonRef
from zroute_runtime.repository import TrackingRepository

from zroute_support.domain.consents import Consent
from zroute_support.domain.participants import CareSignal, Participant


def of_municipality(param: str) -> str:
    """A SQL condition for a table with a ``participant_ref`` column: true when the query
    parameter ``param`` (such as ``"$3"``) is NULL or is the participant's municipality.

    Referrals, placements, preconditions and waiting entries have no municipality of their
    own; this is how a list is limited to one municipality in the query itself.
    """
    return (
        f"({param}::text IS NULL OR participant_ref IN"
        f" (SELECT participant_ref FROM support_participants WHERE municipality = {param}))"
    )


def _consent(row: asyncpg.Record) -> Consent:
    return Consent(
        consent_id=row["consent_id"],
        participant_ref=row["participant_ref"],
        purpose=ConsentPurpose(row["purpose"]),
        care_signal_ids=tuple(row["care_signal_ids"]),
        given_on=row["given_on"],
        valid_until=row["valid_until"],
        withdrawn_on=row["withdrawn_on"],
    )


class ParticipantRepository(TrackingRepository):
    """Participants (``uow.participants``): registration, contact, consents, signals and
    the weekly schedule."""

    async def get(self, ref: str) -> Participant | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM support_participants WHERE participant_ref = $1", ref
        )
        if row is None:
            return None
        contact = ContactPersonRef.model_validate(row["contact"]) if row["contact"] else None
        return Participant(
            ref,
            row["programme_id"],
            row["municipality"],
            contact,
            row["withdrawn_on"],
            row["lead_partner_id"],
            row["preferred_language"],
            row["interpreter_needed"],
        )

    async def set_lead_partner(
        self, ref: str, partner_id: str | None, reason: str, by: str, at: datetime
    ) -> None:
        """The participant's own lead partner (None: back to the programme's), with who
        set it, when and why."""
        await self.conn.execute(
            "UPDATE support_participants SET lead_partner_id = $2, lead_partner_reason = $3,"
            " lead_partner_set_by = $4, lead_partner_set_at = $5 WHERE participant_ref = $1",
            ref,
            partner_id,
            reason,
            by,
            at,
        )

    async def register(
        self,
        ref: str,
        programme_id: str,
        municipality: str,
        on: date,
        language: tuple[str, bool] | None = None,
    ) -> None:
        """Record a participant not known yet; ``language``: the preferred language and
        whether an interpreter is needed (codes from registration). A known participant's
        programme and municipality change only by a move (``move``): a registration that
        arrives again later (a replay from a dead-letter queue, a re-publish) must not undo
        a move, so it may only fill in the language codes it does not know (nor undo a
        later ``personal-data-changed``)."""
        preferred, needed = language if language else (None, None)
        await self.conn.execute(
            """
            INSERT INTO support_participants (participant_ref, programme_id, municipality,
                registered_on, preferred_language, interpreter_needed)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (participant_ref) DO UPDATE SET
                preferred_language = COALESCE(support_participants.preferred_language, $5),
                interpreter_needed = COALESCE(support_participants.interpreter_needed, $6)
            """,
            ref,
            programme_id,
            municipality,
            on,
            preferred,
            needed,
        )

    async def change_languages(self, ref: str, preferred: str | None, needed: bool | None) -> None:
        """Intake changed the preferred language or the interpreter need (None: unchanged)."""
        await self.conn.execute(
            """
            UPDATE support_participants SET
                preferred_language = COALESCE($2, preferred_language),
                interpreter_needed = COALESCE($3, interpreter_needed)
            WHERE participant_ref = $1
            """,
            ref,
            preferred,
            needed,
        )

    async def move(self, ref: str, municipality: str) -> None:
        """The participant is ``municipality``'s after a move to it."""
        await self.conn.execute(
            "UPDATE support_participants SET municipality = $2 WHERE participant_ref = $1",
            ref,
            municipality,
        )

    async def set_contact(self, ref: str, contact: ContactPersonRef) -> None:
        await self.conn.execute(
            "UPDATE support_participants SET contact = $2 WHERE participant_ref = $1",
            ref,
            contact.model_dump(mode="json"),
        )

    async def withdraw(self, ref: str, on: date) -> None:
        await self.conn.execute(
            "UPDATE support_participants SET withdrawn_on = $2 WHERE participant_ref = $1", ref, on
        )

    # -- consents ---------------------------------------------------------------------
    async def add_consent(self, consent: Consent) -> None:
        await self.conn.execute(
            """
            INSERT INTO support_consents (consent_id, participant_ref, purpose, care_signal_ids,
                given_on, valid_until) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (consent_id) DO UPDATE SET care_signal_ids = $4, valid_until = $6
            """,
            consent.consent_id,
            consent.participant_ref,
            consent.purpose.value,
            list(consent.care_signal_ids),
            consent.given_on,
            consent.valid_until,
        )

    async def withdraw_consent(self, consent_id: UUID, on: date) -> bool:
        """False when the consent is not known here (yet)."""
        status: str = await self.conn.execute(
            "UPDATE support_consents SET withdrawn_on = $2 WHERE consent_id = $1", consent_id, on
        )
        return status == "UPDATE 1"

    async def consents(self, ref: str) -> list[Consent]:
        rows = await self.conn.fetch(
            "SELECT * FROM support_consents WHERE participant_ref = $1 ORDER BY given_on", ref
        )
        return [_consent(r) for r in rows]

    # -- care signals -----------------------------------------------------------------
    async def replace_signals(self, ref: str, signals: list[CareSignal]) -> None:
        await self.conn.execute(
            "UPDATE support_care_signals SET current = false WHERE participant_ref = $1", ref
        )
        for s in signals:
            await self.conn.execute(
                """
                INSERT INTO support_care_signals (participant_ref, signal_id, category, severity,
                    urgency, consent_id, current) VALUES ($1, $2, $3, $4, $5, $6, true)
                ON CONFLICT (participant_ref, signal_id) DO UPDATE SET category = $3,
                    severity = $4, urgency = $5, consent_id = $6, current = true
                """,
                ref,
                s.signal_id,
                s.category.value,
                s.severity.value,
                s.urgency.value,
                s.consent_id,
            )

    async def current_signals(self, ref: str) -> list[CareSignal]:
        rows = await self.conn.fetch(
            "SELECT * FROM support_care_signals WHERE participant_ref = $1 AND current"
            " ORDER BY signal_id",
            ref,
        )
        return [
            CareSignal(
                r["signal_id"],
                CareCategory(r["category"]),
                NeedSeverity(r["severity"]),
                Urgency(r["urgency"]),
                r["consent_id"],
            )
            for r in rows
        ]

    # -- schedules --------------------------------------------------------------------
    async def set_schedule(
        self, ref: str, plan_id: UUID, valid_from: date, weekdays: list[Weekday]
    ) -> None:
        await self.conn.execute(
            """
            INSERT INTO support_schedules (participant_ref, plan_id, valid_from, weekdays)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (participant_ref) DO UPDATE SET plan_id = $2, valid_from = $3,
                weekdays = $4
            """,
            ref,
            plan_id,
            valid_from,
            [d.value for d in weekdays],
        )

    async def scheduled_days(self, ref: str) -> tuple[Weekday, ...]:
        """The weekdays of the published schedule; before there is one, those of the
        schedule that will be published (the participant's group, issue 17)."""
        days = await self.conn.fetchval(
            "SELECT weekdays FROM support_schedules WHERE participant_ref = $1", ref
        )
        if days is None:
            days = await self.conn.fetchval(
                "SELECT weekdays FROM support_planned_days WHERE participant_ref = $1", ref
            )
        return tuple(Weekday(d) for d in days or ())

    async def record_group(self, group_id: UUID, weekdays: list[Weekday], starts_on: date) -> None:
        """A group's weekly days (from group-formed)."""
        await self.conn.execute(
            "INSERT INTO support_groups (group_id, weekdays, starts_on) VALUES ($1, $2, $3)"
            " ON CONFLICT (group_id) DO UPDATE SET weekdays = $2, starts_on = $3",
            group_id,
            [d.value for d in weekdays],
            starts_on,
        )

    async def plan_days(self, ref: str, group_id: UUID, planned_from: date) -> bool:
        """The participant is in ``group_id`` from ``planned_from``: its days are the ones
        to come; False while the group's days are not known yet."""
        status = await self.conn.execute(
            """
            INSERT INTO support_planned_days (participant_ref, group_id, weekdays, planned_from)
            SELECT $1, group_id, weekdays, $3 FROM support_groups WHERE group_id = $2
            ON CONFLICT (participant_ref) DO UPDATE SET group_id = EXCLUDED.group_id,
                weekdays = EXCLUDED.weekdays, planned_from = EXCLUDED.planned_from
            """,
            ref,
            group_id,
            planned_from,
        )
        return bool(status.endswith(" 1"))

    async def unplan_days(self, ref: str, group_id: UUID) -> None:
        """The participant left ``group_id``: its days are no longer to come."""
        await self.conn.execute(
            "DELETE FROM support_planned_days WHERE participant_ref = $1 AND group_id = $2",
            ref,
            group_id,
        )
