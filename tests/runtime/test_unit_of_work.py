"""The unit of work's first statement in the round trip that begins its transaction
(``UnitOfWork.begin_with``, used by the consumer to claim the inbox row)."""

from __future__ import annotations

import uuid

import pytest
from zroute_runtime import inbox
from zroute_runtime.unit_of_work import UnitOfWork

from tests.runtime.conftest import SOURCE


def claim(event_id: str) -> str:
    return inbox.claim_statement(consumer="probe", event_id=event_id, event_type="t.v1")


async def rows(pool, event_id: str) -> int:
    return await pool.fetchval("SELECT count(*) FROM zr_inbox WHERE event_id = $1::uuid", event_id)


async def test_the_first_statement_claims_once_and_commits_with_the_transaction(pool, clock):
    event_id = str(uuid.uuid4())
    async with UnitOfWork(pool, source=SOURCE, clock=clock).begin_with(claim(event_id)) as uow:
        assert inbox.claimed(uow.first_status)
        assert uow.conn.is_in_transaction()
        # A nested block is a savepoint of this transaction, as with a plain unit of work.
        with pytest.raises(RuntimeError):
            async with uow.conn.transaction():
                await uow.conn.execute("SELECT 1")
                raise RuntimeError("undo the savepoint only")
        await uow.commit()
    assert await rows(pool, event_id) == 1
    async with UnitOfWork(pool, source=SOURCE, clock=clock).begin_with(claim(event_id)) as uow:
        assert not inbox.claimed(uow.first_status)  # the duplicate


async def test_leaving_without_commit_rolls_the_claim_back(pool, clock):
    event_id = str(uuid.uuid4())
    with pytest.raises(RuntimeError):
        async with UnitOfWork(pool, source=SOURCE, clock=clock).begin_with(claim(event_id)):
            raise RuntimeError("the handler failed")
    assert await rows(pool, event_id) == 0
    # The connection went back to the pool outside any transaction.
    async with pool.acquire() as conn:
        assert not conn.is_in_transaction()


def test_the_claim_statement_takes_only_a_uuid_and_quotes_its_text():
    with pytest.raises(ValueError):
        claim("1'); DROP TABLE zr_inbox; --")
    statement = inbox.claim_statement(
        consumer="o'brien", event_id=str(uuid.uuid4()), event_type="t.v1"
    )
    assert "'o''brien'" in statement


@pytest.mark.parametrize("adopt", [True, False], ids=["one-round-trip", "public-path"])
async def test_without_asyncpgs_private_attributes_the_claim_takes_the_public_path(
    pool, clock, monkeypatch, adopt
):
    """``begin_with`` relies on two private attributes of asyncpg, checked at import;
    without them it sends BEGIN and the statement apart, with the same outcome."""
    from zroute_runtime import unit_of_work

    monkeypatch.setattr(unit_of_work, "_CAN_ADOPT", adopt)
    sent: list[str] = []

    def log(record) -> None:
        sent.append(record.query)

    event_id = str(uuid.uuid4())
    async with UnitOfWork(pool, source=SOURCE, clock=clock).begin_with(claim(event_id)) as uow:
        assert inbox.claimed(uow.first_status)
        uow.conn.add_query_logger(log)
        with pytest.raises(RuntimeError):
            async with uow.conn.transaction():
                raise RuntimeError("undo the savepoint only")
        await uow.commit()
        uow.conn.remove_query_logger(log)
    assert await rows(pool, event_id) == 1
    assert any(q.startswith("SAVEPOINT") for q in sent)
    assert unit_of_work._can_adopt()  # the asyncpg in use has them


async def test_each_step_of_a_batch_writes_its_events_with_its_own_cause(pool, clock):
    """Several incoming events in one transaction (the consumer's batch): what each one
    caused keeps its own correlation and cause, in order, and a step's repositories and
    aggregates are its own."""
    from zroute_runtime.context import MessageContext

    from tests.runtime.probe import registered

    first = MessageContext(correlation_id="corr-first", causation_id=str(uuid.uuid4()))
    second = MessageContext(correlation_id="corr-second", causation_id=str(uuid.uuid4()))
    a, b, c = registered(), registered(), registered()
    async with UnitOfWork(pool, source=SOURCE, clock=clock, context=first) as uow:
        uow.emit(a)
        uow.emit(b)
        uow.next_step(second)
        assert uow.context is second
        uow.emit(c)
        ids = await uow.commit()
    rows = await pool.fetch(
        "SELECT event_id::text AS id, body::jsonb AS body FROM zr_outbox"
        " WHERE event_id = ANY($1::uuid[]) ORDER BY sequence",
        ids,
    )
    import json

    bodies = [json.loads(r["body"]) if isinstance(r["body"], str) else r["body"] for r in rows]
    assert [body["data"]["participant_ref"] for body in bodies] == [
        a.participant_ref,
        b.participant_ref,
        c.participant_ref,
    ]
    assert [(body["correlationid"], body["causationid"]) for body in bodies] == [
        (first.correlation_id, first.causation_id),
        (first.correlation_id, first.causation_id),
        (second.correlation_id, second.causation_id),
    ]


def test_one_statement_claims_a_batch_and_its_status_says_whether_all_were_new():
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    statement = inbox.claims_statement(
        consumer="probe", events=[(ids[0], "a.v1"), (ids[1], "it's.v1")]
    )
    assert statement.count("::uuid") == 2
    assert "'it''s.v1'" in statement
    assert inbox.claimed("INSERT 0 2", 2)
    assert not inbox.claimed("INSERT 0 1", 2)  # one of them was a duplicate
    with pytest.raises(ValueError):
        inbox.claims_statement(consumer="probe", events=[("'; DROP TABLE x; --", "a.v1")])
