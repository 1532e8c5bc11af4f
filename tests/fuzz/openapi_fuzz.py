"""Schemathesis against a running service's OpenAPI document.

Every operation of ``/openapi.json`` is called with schema-conforming (positive) and
schema-violating (negative) requests, as a caller holding every staff role the endpoint
may need. For each request:

* the answer is never a 5xx;
* a refused request (4xx) leaves the service's database as it was: every table of the
  service and the runtime compared by content, the outbox and the timers by row count
  (their rows are updated by the relay and the timer runner in the background).

Path parameters come from the schema and, with equal weight, from ids the test seeded
(``known``), so requests reach the service's rules and not only its 404s. What is found
is collected over all operations and reported together.

A finding carries the request (as a curl command, the token filtered) and the answer;
a refused request whose snapshot changed also names the timers that fired meanwhile,
and ``FuzzReport.explain()`` lists the accepted changes and the run's seed. The seed is
random unless ``ZROUTE_FUZZ_SEED`` gives one: the same seed generates the same requests
again (the state they meet, refs and background work, may still differ).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.core import NotSet
from zroute_runtime.auth import Role

from tests.helpers import token

# A staff member holding every role an endpoint can ask for but a partner's (a partner
# token restricts what it sees to its own partner, which would only hide endpoints).
ALL_ROLES = [Role.CASEWORKER, Role.COORDINATOR, Role.OPERATOR]
# Moving a simulated clock fires timers; fuzzing it would age the seeded state by years.
SKIPPED = {("POST", "/admin/clock/advance")}
# Rows changed in the background by the relay (published_at) and the timer runner.
COUNTED_ONLY = {"zr_outbox", "zr_timers"}
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
SEED_VARIABLE = "ZROUTE_FUZZ_SEED"
# The accepted changes an explanation lists, the most recent last.
ACCEPTED_SHOWN = 60


def run_seed() -> int:
    """``ZROUTE_FUZZ_SEED`` when set (a replay), otherwise a fresh random seed."""
    given_seed = os.environ.get(SEED_VARIABLE, "").strip()
    return int(given_seed) if given_seed else random.SystemRandom().randrange(2**32)


@dataclass
class FuzzReport:
    seed: int = 0
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    """Every accepted (2xx) request that is not a read, in the order sent."""

    def count(self, status: int) -> None:
        self.requests += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1

    def explain(self) -> str:
        """What a failure's reader needs beside the findings: the seed to replay the
        generated requests, and the accepted changes (an earlier one may have caused
        what a later check saw, e.g. by a timer it scheduled)."""
        shown = self.accepted[-ACCEPTED_SHOWN:]
        lines = [
            f"replay the generated requests with {SEED_VARIABLE}={self.seed}",
            f"accepted changes ({len(self.accepted)}, the last {len(shown)}):",
            *(f"  {a}" for a in shown),
        ]
        return "\n".join(lines)


def describe(case: Any, base: str, response: requests.Response | None = None) -> str:
    """The request as a curl command (the token filtered) and the answer, for a finding."""
    try:
        request = case.as_curl_command(base_url=base)
    except Exception as exc:  # a case curl cannot express; the parts then
        request = (
            f"{case.method} {case.formatted_path} query={case.query!r} "
            f"body={str(case.body)[:600]} ({type(exc).__name__})"
        )
    text = f"\n    request: {request[:1200]}"
    if response is not None:
        text += f"\n    response: {response.status_code} {response.text[:400]}"
    return text


async def fingerprint_query(pool: Any) -> str:
    """One SQL statement giving the content hash (or row count) of every table."""
    tables = [
        r["tablename"]
        for r in await pool.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    parts = [
        f'(SELECT count(*)::text FROM "{t}")'
        if t in COUNTED_ONLY
        else f"(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM \"{t}\" x)"
        for t in tables
    ]
    fired = (
        "(SELECT coalesce(array_agg(kind || ' ' || key ORDER BY id), '{}')"
        " FROM zr_timers WHERE fired_at IS NOT NULL) AS fired"
        if "zr_timers" in tables
        else "'{}'::text[] AS fired"
    )
    return (
        f"SELECT ARRAY[{', '.join(parts)}]::text[] AS hashes, ARRAY{tables!r}::text[] AS names,"
        f" {fired}"
    )


def _path_names(path: str) -> list[str]:
    return re.findall(r"{([^}]+)}", path)


def _strategy(operation: Any, mode: Any, known: Mapping[str, Sequence[str]]) -> Any:
    generated = operation.as_strategy(generation_mode=mode)
    names = _path_names(operation.path)
    if not names or not all(known.get(n) for n in names):
        return generated
    combos = [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(known[n] for n in names))
    ]
    seeded = st.sampled_from(combos).flatmap(
        lambda pp: operation.as_strategy(generation_mode=mode, path_parameters=pp)
    )
    return st.one_of(generated, seeded)


async def fuzz_openapi(
    runtime: Any,
    *,
    known: Mapping[str, Sequence[str]] | None = None,
    excused: Mapping[str, Callable[[Any], bool]] | None = None,
    examples: int = 6,
) -> FuzzReport:
    """Fuzz every operation of ``runtime``'s API; returns what was sent and found.

    ``excused`` maps an operation (``"POST /path/{id}"``) to a predicate of the case:
    a 5xx for a case it accepts is a known bug with a test of its own, counted in
    ``report.excused`` instead of ``report.findings``.
    """
    base = f"http://127.0.0.1:{runtime.http_port}"
    headers = {"Authorization": f"Bearer {token(ALL_ROLES, subject='fuzz-staff')}"}
    loop = asyncio.get_running_loop()
    sql = await fingerprint_query(runtime.pool)
    report = FuzzReport(seed=run_seed())
    known = known or {}
    excused = excused or {}

    def snapshot() -> tuple[dict[str, str], list[str]]:
        """Each table's hash (or count), and the timers fired so far."""
        future = asyncio.run_coroutine_threadsafe(runtime.pool.fetchrow(sql), loop)
        row = future.result(timeout=30)
        return dict(zip(row["names"], row["hashes"], strict=True)), list(row["fired"])

    def check(case: Any, session: requests.Session, where_op: str, label: str) -> None:
        before, fired_before = snapshot()
        try:
            response = case.call(base_url=base, session=session, headers=headers, timeout=15)
        except (ValueError, requests.exceptions.InvalidHeader):
            return  # the client could not even send it (a bad header value)
        status = response.status_code
        report.count(status)
        where = f"{where_op} {case.method} {case.formatted_path}"
        if status >= 500 and label in excused and excused[label](case):
            report.excused.append(f"{where}: {status}")
            return
        if status >= 500:
            report.findings.append(f"{where}: {status}{describe(case, base, response)}")
            return
        if status < 300 and case.method.upper() != "GET":
            body = "" if isinstance(case.body, NotSet) else f" body={str(case.body)[:300]}"
            report.accepted.append(
                f"{status} {case.method} {case.formatted_path} query={case.query!r}{body}"
            )
        if status >= 400:
            after, fired_after = snapshot()
            changed = sorted(t for t in after if after[t] != before.get(t))
            if changed:
                meanwhile = sorted(set(fired_after) - set(fired_before)) or "none"
                report.findings.append(
                    f"{where}: refused with {status} but changed {changed}; timers fired "
                    f"meanwhile: {meanwhile}{describe(case, base, response)}"
                )

    def fuzz_one(strategy: Any, session: requests.Session, label: str, where_op: str) -> None:
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @seed(report.seed)
        @given(case=strategy)
        def one(case: Any) -> None:
            check(case, session, where_op, label)

        try:
            one()
        except Unsatisfiable:
            pass  # nothing to negate (an operation without parameters or body)
        except Exception as exc:  # a generation or transport failure is a finding too
            report.findings.append(f"{where_op}: {type(exc).__name__}: {exc}")

    def run_all() -> None:
        schema = schemathesis.openapi.from_url(f"{base}/openapi.json", headers=headers)
        with requests.Session() as session:
            for result in schema.get_all_operations():
                operation = result.ok()
                key = (operation.method.upper(), operation.path)
                if key in SKIPPED:
                    continue
                label = f"{key[0]} {key[1]}"
                report.operations.append(label)
                for mode in MODES:
                    strategy = _strategy(operation, mode, known)
                    fuzz_one(strategy, session, label, f"{label} [{mode.value}]")

    await asyncio.to_thread(run_all)
    return report
