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
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
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


@dataclass
class FuzzReport:
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)

    def count(self, status: int) -> None:
        self.requests += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1


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
    return f"SELECT ARRAY[{', '.join(parts)}]::text[] AS hashes, ARRAY{tables!r}::text[] AS names"


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
    report = FuzzReport()
    known = known or {}
    excused = excused or {}

    def snapshot() -> dict[str, str]:
        future = asyncio.run_coroutine_threadsafe(runtime.pool.fetchrow(sql), loop)
        row = future.result(timeout=30)
        return dict(zip(row["names"], row["hashes"], strict=True))

    def check(case: Any, session: requests.Session, where_op: str, label: str) -> None:
        before = snapshot()
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
            report.findings.append(
                f"{where}: {status} {response.text[:200]}"
                f" (query {case.query!r}, body {str(case.body)[:600]})"
            )
            return
        if status >= 400:
            after = snapshot()
            changed = sorted(t for t in after if after[t] != before.get(t))
            if changed:
                report.findings.append(f"{where}: refused with {status} but changed {changed}")

    def fuzz_one(strategy: Any, session: requests.Session, label: str, where_op: str) -> None:
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
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
