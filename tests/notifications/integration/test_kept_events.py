"""Every consumed event is kept (``nt_events``) and fed to the read model; for the
commonest events both in one statement (``readmodel.writers.KEEPING``, issue 20). The
shortcut must keep exactly what the two statements kept, and write exactly what the
type's own writer writes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

from zroute_contract.envelope import build_event
from zroute_contract.events import planning
from zroute_contract.events.base import Event
from zroute_contract.types import new_participant_ref
from zroute_notifications.adapters.notification_repo import KEEP_EVENT, kept_event
from zroute_notifications.adapters.readmodel import writers

from tests.notifications import world

NOW = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)


class Counting:
    """A connection that counts the statements sent through it."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.statements = 0

    async def execute(self, *args: Any) -> str:
        self.statements += 1
        return await self.conn.execute(*args)


def attendance(ref: str, status: str = "present", hours: float = 2.5) -> Event:
    return world.event(
        planning.AttendanceRecorded,
        ref,
        session_id=uuid.uuid4(),
        session_on=date(2027, 1, 4),
        kind="language",
        teaching_form="classroom",
        status=status,
        hours=hours,
    )


def envelope_of(event: Event) -> Any:
    return build_event(
        event,
        source=world.SOURCE,
        sequence=1,
        correlation_id="c-kept",
        subject=getattr(event, "participant_ref", None),
    )


async def rows(conn: Any, event_id: str, ref: str) -> tuple[list[dict[str, Any]], ...]:
    kept = await conn.fetch(
        "SELECT event_id, event_type, time, subject, programme_id, body, received_at"
        " FROM nt_events WHERE event_id = $1::uuid",
        event_id,
    )
    lines = await conn.fetch(
        "SELECT session_id, participant_ref, programme_id, session_on, kind, status, hours"
        " FROM nt_attendance WHERE participant_ref = $1",
        ref,
    )
    return [dict(r) for r in kept], [dict(r) for r in lines]


async def test_an_attendance_line_and_its_event_are_written_in_one_statement(services, smtp):
    runtime = await world.start(services, smtp.port)
    ref = new_participant_ref()
    event = attendance(ref)
    envelope = envelope_of(event)
    async with runtime.pool.acquire() as conn, conn.transaction():
        counting = Counting(conn)
        await writers.keep_and_apply(counting, kept_event(envelope, NOW), event)  # type: ignore[arg-type]
        assert counting.statements == 1
        kept, lines = await rows(conn, envelope.id, ref)
        assert len(kept) == 1 and len(lines) == 1
        assert kept[0]["body"] == json.loads(envelope.to_json())
        assert kept[0]["event_type"] == envelope.type and kept[0]["subject"] == ref
        assert kept[0]["programme_id"] == world.PROGRAMME and kept[0]["received_at"] == NOW
        assert lines[0]["status"] == "present" and float(lines[0]["hours"]) == 2.5

        # Delivered again: nothing kept twice, the line as it was.
        await writers.keep_and_apply(counting, kept_event(envelope, NOW), event)  # type: ignore[arg-type]
        assert await rows(conn, envelope.id, ref) == (kept, lines)


async def test_every_keeping_writer_does_what_its_writer_and_the_keeping_statement_do(
    services, smtp
):
    """Per ``KEEPING`` type, the one statement against ``KEEP_EVENT`` then the type's
    ``WRITERS`` entry: the same rows, a new line and a changed one (a correction of status
    and hours arrives as a new attendance event for the same session)."""
    runtime = await world.start(services, smtp.port)
    assert set(writers.KEEPING) <= set(writers.WRITERS)
    for cls in writers.KEEPING:
        assert cls is planning.AttendanceRecorded, "add a sample for the new KEEPING type"
        ref = new_participant_ref()
        first = attendance(ref)
        changed = cls.model_validate(
            first.model_dump() | {"status": "absent_with_reason", "hours": 0}
        )
        envelopes = [envelope_of(first), envelope_of(changed)]
        results = []
        for combined in (True, False):
            async with runtime.pool.acquire() as conn:
                transaction = conn.transaction()
                await transaction.start()
                try:
                    for event, envelope in zip((first, changed), envelopes, strict=True):
                        kept = kept_event(envelope, NOW)
                        if combined:
                            await writers.keep_and_apply(conn, kept, event)
                        else:
                            await conn.execute(KEEP_EVENT, *kept)
                            await writers.WRITERS[cls](conn, event)
                        got_kept, lines = await rows(conn, envelope.id, ref)
                        body = got_kept[0].pop("body")
                        assert body == json.loads(envelope.to_json())
                        results.append((combined, got_kept, lines))
                finally:
                    await transaction.rollback()
        with_one, with_two = results[:2], results[2:]
        assert [r[1:] for r in with_one] == [r[1:] for r in with_two]
        assert with_one[1][2][0]["status"] == "absent_with_reason"


async def test_an_event_without_a_keeping_writer_is_still_kept_and_applied(services, smtp):
    runtime = await world.start(services, smtp.port)
    ref = new_participant_ref()
    event = world.registered(ref)
    assert type(event) not in writers.KEEPING and type(event) in writers.WRITERS
    envelope = envelope_of(event)
    async with runtime.pool.acquire() as conn, conn.transaction():
        await writers.keep_and_apply(conn, kept_event(envelope, NOW), event)
        kept = await conn.fetchval(
            "SELECT body FROM nt_events WHERE event_id = $1::uuid", envelope.id
        )
        assert kept == json.loads(envelope.to_json())
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM nt_participants WHERE participant_ref = $1", ref
            )
            == 1
        )
