"""The interpreter partners' answers, one per appointment (``uow.interpreters``), from
support's interpreter-confirmed and interpreter-declined. Codes and times only."""

from __future__ import annotations

import asyncpg
from zroute_contract.events.codes import InterpreterAppointment
from zroute_runtime.repository import TrackingRepository

from zroute_intake.domain.interpreters import InterpreterAnswer, InterpreterStatus


def _answer(row: asyncpg.Record) -> InterpreterAnswer:
    return InterpreterAnswer(
        appointment=InterpreterAppointment(row["appointment"]),
        key=row["appointment_key"],
        request_id=row["request_id"],
        partner_id=row["partner_id"],
        status=InterpreterStatus(row["status"]),
        starts_at=row["starts_at"],
        answered_at=row["answered_at"],
        reason=row["reason"],
    )


class InterpreterAnswerRepository(TrackingRepository):
    async def record(self, ref: str, answer: InterpreterAnswer) -> None:
        """Keep the answer; a later answer (for a rescheduled time) replaces it."""
        await self.conn.execute(
            """
            INSERT INTO intake_interpreter_answers (participant_ref, appointment,
                appointment_key, request_id, partner_id, status, reason, starts_at, answered_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (participant_ref, appointment, appointment_key) DO UPDATE
               SET request_id = $4, partner_id = $5, status = $6, reason = $7,
                   starts_at = $8, answered_at = $9
             WHERE intake_interpreter_answers.answered_at <= EXCLUDED.answered_at
            """,
            ref,
            answer.appointment.value,
            answer.key,
            answer.request_id,
            answer.partner_id,
            answer.status.value,
            answer.reason,
            answer.starts_at,
            answer.answered_at,
        )

    async def of(self, ref: str) -> list[InterpreterAnswer]:
        """The participant's answers."""
        rows = await self.conn.fetch(
            "SELECT * FROM intake_interpreter_answers WHERE participant_ref = $1"
            " ORDER BY starts_at",
            ref,
        )
        return [_answer(r) for r in rows]
