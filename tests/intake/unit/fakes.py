"""Intake's fake repositories for the fast handler tier: in memory, behaving like
``adapters/participant_repo.py``, ``pip_repo.py`` and ``timer_repo.py`` where a handler can
tell (reach and version checks, duplicate BSNs, a new PIP case when none is stored)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from zroute_intake.domain.access import Access
from zroute_intake.domain.errors import DuplicateBsn, NotFound
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.pip_case import PipCase
from zroute_intake.service_layer.deps import IntakeDependencies

from tests.fakes import FakeRepository, FakeUnitOfWork, FixedClock


class FakeParticipants(FakeRepository[Participant]):
    def __init__(self, *participants: Participant) -> None:
        super().__init__(*participants, key="ref")
        self.bsns = {p.personal.bsn: p.ref for p in participants if p.personal}

    async def reach(self, ref: str, scope: str | None, *, lock: bool = False) -> Participant:
        participant = await self.get(ref)
        if participant is None:
            raise NotFound(f"no participant {ref}; check the participant reference")
        participant.check_reach(scope)
        return participant

    async def for_change(
        self, ref: str, scope: str | None, expected_version: int | None
    ) -> Participant:
        participant = await self.reach(ref, scope, lock=True)
        participant.check_version(expected_version)
        return participant

    async def add(self, participant: Participant, now: datetime | None = None) -> None:
        assert participant.personal is not None
        existing = self.bsns.get(participant.personal.bsn)
        if existing is not None:
            raise DuplicateBsn(existing)
        self.bsns[participant.personal.bsn] = participant.ref
        participant.version = 1
        await super().add(participant)

    async def save(self, participant: Participant, now: datetime | None = None) -> None:
        participant.version += 1
        await super().save(participant)

    async def personal_data(self, ref: str) -> PersonalData | None:
        participant = self.rows.get(ref)
        return participant.personal if participant else None


class FakeAccessLog:
    def __init__(self) -> None:
        self.records: list[Access] = []

    async def record(self, access: Access) -> None:
        self.records.append(access)


class FakePips(FakeRepository[PipCase]):
    def __init__(self, *cases: PipCase) -> None:
        super().__init__(*cases, key="participant_ref")

    async def get(self, ref: str, programme_id: str = "", **_: Any) -> PipCase:
        case = self.rows.get(ref) or PipCase(participant_ref=ref, programme_id=programme_id)
        return self._seen_now(case)

    async def save(self, case: PipCase, now: datetime | None = None) -> None:
        case.version += 1
        case.changes.clear()
        await super().save(case)


class FakeMeetings(FakeRepository[MeetingSeries]):
    def __init__(self, *series: MeetingSeries) -> None:
        super().__init__(*series, key="participant_ref")

    async def get(self, ref: str, programme_id: str = "", **_: Any) -> MeetingSeries:
        series = self.rows.get(ref) or MeetingSeries(ref, programme_id)
        return self._seen_now(series)

    async def save(self, series: MeetingSeries, now: datetime | None = None) -> None:
        series.version += 1
        series.changes.clear()
        await super().save(series)


class FakeTimers:
    def __init__(self) -> None:
        self.scheduled: dict[tuple[str, str], tuple[datetime, Mapping[str, Any] | None]] = {}

    async def schedule(
        self, *, kind: str, key: str, due_at: datetime, payload: Mapping[str, Any] | None = None
    ) -> None:
        self.scheduled[(kind, key)] = (due_at, payload)

    async def cancel(self, *, kind: str, key: str) -> bool:
        return self.scheduled.pop((kind, key), None) is not None


class FakeInterpreterAnswers:
    """Support's interpreter answers, none unless a test records one."""

    def __init__(self) -> None:
        self.answers: dict[str, list[Any]] = {}

    async def record(self, ref: str, answer: Any) -> None:
        self.answers.setdefault(ref, []).append(answer)

    async def of(self, ref: str) -> list[Any]:
        return list(self.answers.get(ref, []))


def unit_of_work(
    *participants: Participant, clock: FixedClock | None = None, pips: tuple[PipCase, ...] = ()
) -> FakeUnitOfWork:
    """A fake unit of work with intake's repositories (``uow.participants``, ...)."""
    return FakeUnitOfWork(
        clock,
        participants=FakeParticipants(*participants),
        pips=FakePips(*pips),
        meetings=FakeMeetings(),
        timers=FakeTimers(),
        access_log=FakeAccessLog(),
        interpreters=FakeInterpreterAnswers(),
    )


def deps(protector: Any = None) -> IntakeDependencies:
    """The dependencies of a test service (no keys: the handlers under test need none)."""
    return IntakeDependencies(
        protector=protector,
        retention=timedelta(days=30),
        care_coordinators={"programme-demo": "care-coordinator"},
    )
