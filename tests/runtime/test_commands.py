"""The one HTTP command path (``zroute_runtime.commands``) and the repositories the unit
of work collects events from (``zroute_runtime.repository``): without broker or database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from fastapi import HTTPException
from starlette.requests import Request
from zroute_contract.errors import Conflict, DomainError, Forbidden, InvalidRequest, NotFound
from zroute_contract.events.base import Event
from zroute_contract.events.codes import LevelBand, WaitReason
from zroute_contract.events.planning import ParticipantWaitlisted
from zroute_contract.types import new_participant_ref
from zroute_runtime.clock import SimulatedClock
from zroute_runtime.commands import http_error, run_command
from zroute_runtime.context import MessageContext
from zroute_runtime.repository import TrackingRepository
from zroute_runtime.unit_of_work import UnitOfWork

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _request(**headers: str) -> Request:
    raw = [(k.lower().replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "POST", "path": "/", "headers": raw})


@dataclass
class _Uow:
    context: MessageContext
    commits: int = 0

    async def __aenter__(self) -> _Uow:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def commit(self) -> None:
        self.commits += 1


@dataclass
class _Runtime:
    made: list[_Uow] = field(default_factory=list)

    def uow(self, context: MessageContext) -> _Uow:
        self.made.append(_Uow(context))
        return self.made[-1]


async def test_a_command_runs_in_the_callers_correlation_and_trace_context_and_commits_once():
    runtime = _Runtime()
    request = _request(X_Correlation_ID="case-4711", traceparent=TRACEPARENT)

    async def handler(uow: _Uow) -> str:
        return "done"

    assert await run_command(runtime, request, handler) == "done"
    [uow] = runtime.made
    assert uow.context.correlation_id == "case-4711"
    assert uow.context.traceparent == TRACEPARENT
    assert uow.commits == 1


async def test_a_refused_command_commits_nothing_and_answers_its_4xx():
    runtime = _Runtime()

    async def handler(uow: _Uow) -> None:
        raise Conflict("the plan is completed")

    with pytest.raises(HTTPException) as refused:
        await run_command(runtime, _request(), handler)
    assert (refused.value.status_code, refused.value.detail) == (409, "the plan is completed")
    assert runtime.made[0].commits == 0


class _Specific(InvalidRequest, Conflict):
    """A domain's own refusal that is both: the first kind in its order decides."""


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidRequest("x"), 422),
        (Conflict("x"), 409),
        (NotFound("x"), 404),
        (Forbidden("x"), 403),
        (DomainError("x"), 400),
        (_Specific("x"), 422),
    ],
)
def test_each_kind_of_domain_refusal_maps_to_one_status(error, status):
    assert http_error(error).status_code == status


class _Thing:
    def __init__(self, *events: Event) -> None:
        self.events = list(events)


class _Things(TrackingRepository):
    def load(self, thing: _Thing) -> _Thing:
        return self._seen_now(thing)


class _Transaction:
    async def start(self) -> None: ...

    async def rollback(self) -> None: ...


class _Conn:
    def transaction(self) -> _Transaction:
        return _Transaction()


class _Pool:
    async def acquire(self) -> _Conn:
        return _Conn()

    async def release(self, conn: _Conn) -> None: ...


def _waitlisted(ref: str) -> Event:
    return ParticipantWaitlisted(
        participant_ref=ref,
        programme_id="programme-amsterdam",
        level_band=LevelBand.A1,
        reason=WaitReason.NO_GROUP_AT_LEVEL,
        since=date(2027, 1, 4),
    )


async def test_the_unit_of_work_collects_the_events_of_every_aggregate_its_repositories_saw():
    first, second = new_participant_ref(), new_participant_ref()
    uow = UnitOfWork(
        _Pool(),  # type: ignore[arg-type]
        source="urn:test",
        clock=SimulatedClock(),
        repositories=lambda conn: {"things": _Things(conn)},
    )
    async with uow:
        thing = uow.things.load(_Thing(_waitlisted(first)))
        uow.things.load(thing)  # seen once, however often it is loaded
        uow.things.load(_Thing(_waitlisted(second)))
        collected = uow.collect_new_events()
    assert [p.payload.participant_ref for p in collected] == [first, second]
    assert thing.events == []
    with pytest.raises(AttributeError):
        uow.nothing  # noqa: B018  (only declared repositories are attributes)
