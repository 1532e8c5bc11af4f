"""Interpreter requests: one per appointment (``uow.interpreters``)."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from zroute_contract.events.codes import InterpreterAppointment
from zroute_runtime.repository import TrackingRepository

from zroute_support.domain.interpreters import Appointment, InterpreterRequest, RequestStatus


def _request(row: asyncpg.Record) -> InterpreterRequest:
    return InterpreterRequest(
        request_id=row["request_id"],
        appointment=Appointment(
            participant_ref=row["participant_ref"],
            programme_id=row["programme_id"],
            kind=InterpreterAppointment(row["appointment"]),
            key=row["appointment_key"],
            starts_at=row["starts_at"],
            language=row["language"],
        ),
        partner_id=row["partner_id"],
        status=RequestStatus(row["status"]),
        requested_at=row["requested_at"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        reason=row["reason"],
        version=row["version"],
    )


class InterpreterRequestRepository(TrackingRepository):
    """Requests are kept per appointment; a rescheduled one updates its row."""

    async def get(
        self, request_id: object, *, for_update: bool = False
    ) -> InterpreterRequest | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM support_interpreter_requests WHERE request_id = $1"
            + (" FOR UPDATE" if for_update else ""),
            request_id,
        )
        return self._seen_now(_request(row)) if row else None

    async def for_appointment(
        self, participant_ref: str, kind: InterpreterAppointment, key: str
    ) -> InterpreterRequest | None:
        """The appointment's request (locked: a reschedule and an answer do not cross)."""
        row = await self.conn.fetchrow(
            "SELECT * FROM support_interpreter_requests WHERE participant_ref = $1"
            " AND appointment = $2 AND appointment_key = $3 FOR UPDATE",
            participant_ref,
            kind.value,
            key,
        )
        return self._seen_now(_request(row)) if row else None

    async def for_participant(self, participant_ref: str) -> list[InterpreterRequest]:
        """The participant's requests (locked), soonest appointment first."""
        rows = await self.conn.fetch(
            "SELECT * FROM support_interpreter_requests WHERE participant_ref = $1"
            " ORDER BY starts_at, request_id FOR UPDATE",
            participant_ref,
        )
        return [self._seen_now(_request(r)) for r in rows]

    async def for_partner(self, partner_id: str | None) -> list[InterpreterRequest]:
        """The requests with a partner (every request when ``partner_id`` is None),
        soonest appointment first."""
        rows = await self.conn.fetch(
            "SELECT * FROM support_interpreter_requests"
            " WHERE $1::text IS NULL OR partner_id = $1 ORDER BY starts_at, request_id",
            partner_id,
        )
        return [_request(r) for r in rows]

    async def save(self, request: InterpreterRequest, now: datetime) -> None:
        """Insert or update the request; its events are collected at commit."""
        self._seen_now(request)
        a = request.appointment
        await self.conn.execute(
            """
            INSERT INTO support_interpreter_requests (request_id, participant_ref,
                programme_id, appointment, appointment_key, starts_at, language, partner_id,
                status, requested_at, decided_by, decided_at, reason, version, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14)
            ON CONFLICT (request_id) DO UPDATE SET starts_at = $6, language = $7,
                partner_id = $8, status = $9, requested_at = $10, decided_by = $11,
                decided_at = $12, reason = $13,
                version = support_interpreter_requests.version + 1, updated_at = $14
            """,
            request.request_id,
            a.participant_ref,
            a.programme_id,
            a.kind.value,
            a.key,
            a.starts_at,
            a.language,
            request.partner_id,
            request.status.value,
            request.requested_at,
            request.decided_by,
            request.decided_at,
            request.reason,
            now,
        )
