"""Care pauses (``uow.care_pauses``): rows of ``support_care_pauses``; the unit of work
collects the events of those it handed out or was given."""

from __future__ import annotations

from uuid import UUID

import asyncpg
from zroute_runtime.repository import TrackingRepository

from zroute_support.domain.care_pauses import CarePause, CarePauseKind

_COLUMNS = (
    "pause_id, referral_id, participant_ref, programme_id, kind, paused_from, expected_until,"
    " recorded_by, recorded_at, ended_on, ended_by, ended_at"
)


def _pause(row: asyncpg.Record) -> CarePause:
    return CarePause(
        pause_id=row["pause_id"],
        referral_id=row["referral_id"],
        participant_ref=row["participant_ref"],
        programme_id=row["programme_id"],
        kind=CarePauseKind(row["kind"]),
        paused_from=row["paused_from"],
        by=row["recorded_by"],
        at=row["recorded_at"],
        expected_until=row["expected_until"],
        ended_on=row["ended_on"],
        ended_by=row["ended_by"],
        ended_at=row["ended_at"],
    )


class CarePauseRepository(TrackingRepository):
    async def of_referral(self, referral_id: UUID, *, lock: bool = False) -> list[CarePause]:
        """The referral's care pauses, oldest first."""
        rows = await self.conn.fetch(
            f"SELECT {_COLUMNS} FROM support_care_pauses WHERE referral_id = $1"
            " ORDER BY paused_from, recorded_at" + (" FOR UPDATE" if lock else ""),
            referral_id,
        )
        return [self._seen_now(_pause(r)) for r in rows]

    async def add(self, pause: CarePause) -> None:
        await self.conn.execute(
            f"INSERT INTO support_care_pauses ({_COLUMNS})"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            pause.pause_id, pause.referral_id, pause.participant_ref, pause.programme_id,
            pause.kind.value, pause.paused_from, pause.expected_until, pause.by, pause.at,
            pause.ended_on, pause.ended_by, pause.ended_at,
        )  # fmt: skip
        self._seen_now(pause)

    async def save_end(self, pause: CarePause) -> None:
        await self.conn.execute(
            "UPDATE support_care_pauses SET ended_on = $2, ended_by = $3, ended_at = $4"
            " WHERE pause_id = $1",
            pause.pause_id, pause.ended_on, pause.ended_by, pause.ended_at,
        )  # fmt: skip
        self._seen_now(pause)
