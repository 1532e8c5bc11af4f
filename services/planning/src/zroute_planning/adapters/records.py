"""Rows other than plans: preconditions, programmes, schedules, hours, reviews, follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import asyncpg
from zroute_contract.events.codes import HoursKind, PreconditionKind


async def record_precondition(
    conn: asyncpg.Connection,
    precondition_id: UUID,
    participant_ref: str,
    kind: PreconditionKind,
    *,
    arranged: bool,
    on: date,
) -> None:
    await conn.execute(
        "INSERT INTO planning_preconditions VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (precondition_id) DO UPDATE SET arranged = $4, changed_on = $5",
        precondition_id,
        participant_ref,
        kind.value,
        arranged,
        on,
    )


async def arranged_kinds(conn: asyncpg.Connection, participant_ref: str) -> set[PreconditionKind]:
    rows = await conn.fetch(
        "SELECT DISTINCT kind FROM planning_preconditions WHERE participant_ref = $1 AND arranged",
        participant_ref,
    )
    return {PreconditionKind(r["kind"]) for r in rows}


async def teaching_partner(conn: asyncpg.Connection, programme_id: str, default: str) -> str:
    value = await conn.fetchval(
        "SELECT teaching_partner FROM planning_programmes WHERE programme_id = $1", programme_id
    )
    return value or default


async def hours_to_date(conn: asyncpg.Connection, participant_ref: str) -> dict[HoursKind, float]:
    rows = await conn.fetch(
        "SELECT kind, sum(hours) AS hours FROM planning_attendance"
        " WHERE participant_ref = $1 GROUP BY kind",
        participant_ref,
    )
    hours = dict.fromkeys(HoursKind, 0.0)
    for row in rows:
        hours[HoursKind(row["kind"])] = float(row["hours"])
    return hours


async def follow_up_id(conn: asyncpg.Connection, participant_ref: str) -> UUID | None:
    result: UUID | None = await conn.fetchval(
        "SELECT follow_up_id FROM planning_follow_ups WHERE participant_ref = $1", participant_ref
    )
    return result


async def reviewed_since(conn: asyncpg.Connection, participant_ref: str, since: date) -> bool:
    """True when a review is open, or one was held on or after ``since``."""
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM planning_reviews WHERE participant_ref = $1"
            " AND (held_on IS NULL OR held_on >= $2) LIMIT 1",
            participant_ref,
            since,
        )
    )


async def participant_known(conn: asyncpg.Connection, participant_ref: str) -> bool:
    """Whether planning has seen the participant (registered, or its intake completed)."""
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM planning_participants WHERE participant_ref = $1", participant_ref
        )
    )


async def record_participant(
    conn: asyncpg.Connection,
    participant_ref: str,
    programme_id: str,
    municipality: str,
    *,
    registered_on: date | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO planning_participants VALUES ($1, $2, $3, $4) ON CONFLICT"
        " (participant_ref) DO UPDATE SET programme_id = $2, municipality = $3,"
        " registered_on = coalesce($4, planning_participants.registered_on)",
        participant_ref,
        programme_id,
        municipality,
        registered_on,
    )


async def municipality_of(conn: asyncpg.Connection, participant_ref: str) -> str | None:
    result: str | None = await conn.fetchval(
        "SELECT municipality FROM planning_participants WHERE participant_ref = $1",
        participant_ref,
    )
    return result


async def partner_can_teach(conn: asyncpg.Connection, partner_id: str) -> bool:
    """False when the registry knows the partner as inactive or not teaching language;
    True when it can, or when support has not told us about it (nothing to hold against)."""
    row = await conn.fetchrow(
        "SELECT capabilities, active FROM planning_partners WHERE partner_id = $1", partner_id
    )
    return row is None or (row["active"] and "language_teaching" in row["capabilities"])


async def timer_due(conn: asyncpg.Connection, *, kind: str, key: str) -> datetime | None:
    """When a pending timer of ours is due (read only; the runtime owns the table)."""
    result: datetime | None = await conn.fetchval(
        "SELECT due_at FROM zr_timers WHERE kind = $1 AND key = $2 AND fired_at IS NULL"
        " AND cancelled_at IS NULL",
        kind,
        key,
    )
    return result


async def programme_municipalities(conn: asyncpg.Connection, programme_id: str) -> set[str]:
    """The municipalities of a programme's participants (one, for a municipal programme)."""
    rows = await conn.fetch(
        "SELECT DISTINCT municipality FROM planning_participants WHERE programme_id = $1",
        programme_id,
    )
    return {r["municipality"] for r in rows}


async def registered_teaching_partner(conn: asyncpg.Connection, programme_id: str) -> str | None:
    """The teaching partner the programme's agreement names; None without an agreement."""
    result: str | None = await conn.fetchval(
        "SELECT teaching_partner FROM planning_programmes WHERE programme_id = $1", programme_id
    )
    return result
