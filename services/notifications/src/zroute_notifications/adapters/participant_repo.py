"""The participant as a recipient (``uow.participants``, SQL): what the read model knows
of them (language, week, next appointment, contact person), the messages and letters
written for them, and their personal-page links."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from zroute_runtime.repository import TrackingRepository

from zroute_notifications.domain.second_factor import Attempts


class ParticipantRepository(TrackingRepository):
    """The participant's side of the read model, messages, letters and links."""

    async def profile(self, ref: str) -> asyncpg.Record | None:
        """Language, municipality and the contact person's name and phone (staff directory)."""
        return await self.conn.fetchrow(
            """
            SELECT p.participant_ref, p.preferred_language, p.municipality, c.staff_ref,
                   d.name AS contact_name, d.phone AS contact_phone
            FROM nt_participants p
            LEFT JOIN nt_contacts c ON c.participant_ref = p.participant_ref
            LEFT JOIN nt_directory d ON d.kind = 'staff' AND d.ref = c.staff_ref
            WHERE p.participant_ref = $1
            """,
            ref,
        )

    async def schedule(self, ref: str) -> dict[str, Any] | None:
        row = await self.conn.fetchrow(
            "SELECT phase, valid_from, sessions FROM nt_schedules WHERE participant_ref = $1", ref
        )
        if row is None:
            return None
        sessions = row["sessions"]
        return {
            "phase": row["phase"],
            "valid_from": row["valid_from"],
            "sessions": json.loads(sessions) if isinstance(sessions, str) else sessions,
        }

    async def appointment(self, ref: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT starts_at, location_id FROM nt_appointments WHERE participant_ref = $1", ref
        )

    async def add_message(self, **values: Any) -> bool:
        """One message for the participant; False when the event wrote it already."""
        status = await self.conn.execute(
            """
            INSERT INTO nt_participant_messages (id, event_id, participant_ref, kind, language,
                direction, subject, body, subject_nl, body_nl, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (event_id, kind) DO NOTHING
            """,
            values["id"],
            values["event_id"],
            values["participant_ref"],
            values["kind"],
            values["language"],
            values["direction"],
            values["subject"],
            values["body"],
            values["subject_nl"],
            values["body_nl"],
            values["created_at"],
        )
        return bool(status.endswith(" 1"))

    async def messages(self, ref: str, limit: int = 10) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT * FROM nt_participant_messages WHERE participant_ref = $1"
            " ORDER BY created_at DESC, id LIMIT $2",
            ref,
            limit,
        )
        return rows

    async def add_link(self, link_id: str, ref: str, expires_at: datetime, now: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO nt_page_links (link_id, participant_ref, expires_at, created_at)"
            " VALUES ($1, $2, $3, $4)",
            link_id,
            ref,
            expires_at,
            now,
        )

    async def link(self, link_id: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM nt_page_links WHERE link_id = $1", link_id)

    async def attempts(self, link_id: str) -> Attempts:
        """Wrong dates of birth so far on this link (the second factor)."""
        row = await self.conn.fetchrow(
            "SELECT failures, locked_until FROM nt_page_attempts WHERE link_id = $1", link_id
        )
        return Attempts(row["failures"], row["locked_until"]) if row else Attempts()

    async def save_attempts(self, link_id: str, attempts: Attempts, now: datetime) -> None:
        """The count after an answer (reset to none after a right one)."""
        await self.conn.execute(
            "INSERT INTO nt_page_attempts (link_id, failures, locked_until, updated_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT (link_id) DO UPDATE"
            " SET failures = EXCLUDED.failures, locked_until = EXCLUDED.locked_until,"
            " updated_at = EXCLUDED.updated_at",
            link_id,
            attempts.failures,
            attempts.locked_until,
            now,
        )

    async def revoke_links(self, ref: str, now: datetime) -> int:
        """Revoke every link of the participant still in force; how many."""
        status = await self.conn.execute(
            "UPDATE nt_page_links SET revoked_at = $2"
            " WHERE participant_ref = $1 AND revoked_at IS NULL",
            ref,
            now,
        )
        return int(status.split()[-1])

    async def add_letter(self, **values: Any) -> bool:
        """One start letter, its ``content`` (JSON) kept to print it when it is asked for
        (or its ``pdf``); False when the event produced it already."""
        content = values.get("content")
        status = await self.conn.execute(
            """
            INSERT INTO nt_letters (id, event_id, participant_ref, languages, link_id, pdf,
                created_at, content_digest, content)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) ON CONFLICT (event_id) DO NOTHING
            """,
            values["id"],
            values["event_id"],
            values["participant_ref"],
            list(values["languages"]),
            values["link_id"],
            values.get("pdf"),
            values["created_at"],
            values.get("content_digest"),
            None if content is None else json.dumps(content),
        )
        return bool(status.endswith(" 1"))

    async def keep_pdf(self, letter_id: UUID, pdf: bytes) -> None:
        """The letter's PDF, rendered when it was first asked for: kept, so it is printed
        once and the same bytes are given again."""
        await self.conn.execute(
            "UPDATE nt_letters SET pdf = $2 WHERE id = $1 AND pdf IS NULL", letter_id, pdf
        )

    async def current_letter_digest(self, ref: str, now: datetime) -> str | None:
        """The content digest of the participant's newest letter whose link still works
        (neither revoked nor expired at ``now``); None when there is none."""
        digest: str | None = await self.conn.fetchval(
            "SELECT l.content_digest FROM nt_letters l"
            " JOIN nt_page_links k ON k.link_id = l.link_id"
            " WHERE l.participant_ref = $1 AND k.revoked_at IS NULL AND k.expires_at > $2"
            " ORDER BY l.written_seq DESC LIMIT 1",
            ref,
            now,
        )
        return digest

    async def has_letter(self, event_id: str) -> bool:
        return bool(
            await self.conn.fetchval("SELECT 1 FROM nt_letters WHERE event_id = $1::uuid", event_id)
        )

    async def letters(self, ref: str) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await self.conn.fetch(
            "SELECT l.id, l.participant_ref, l.languages, l.created_at, k.expires_at,"
            " k.revoked_at, p.municipality FROM nt_letters l"
            " JOIN nt_page_links k ON k.link_id = l.link_id"
            " LEFT JOIN nt_participants p ON p.participant_ref = l.participant_ref"
            " WHERE l.participant_ref = $1 ORDER BY l.created_at DESC, l.written_seq DESC",
            ref,
        )
        return rows

    async def letter(self, letter_id: UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT l.*, p.municipality FROM nt_letters l"
            " LEFT JOIN nt_participants p ON p.participant_ref = l.participant_ref"
            " WHERE l.id = $1",
            letter_id,
        )
