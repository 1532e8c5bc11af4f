"""Planning's layers hold: no SQL and no ``uow.conn`` in a router or in the handlers and
views already on the repositories; the service-layer modules that still reach the
database directly are named here, and the list only shrinks (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import zroute_planning

PACKAGE = Path(zroute_planning.__file__).parent
DIRECT = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|uow\.conn|\.track\(")

STILL_DIRECT = {"ledger.py", "placements.py"}
"""Service-layer modules that still run SQL through ``uow.conn``; one leaves when its SQL
moves into an adapter behind a repository on the unit of work."""


def _direct(folder: str) -> set[str]:
    return {p.name for p in (PACKAGE / folder).glob("*.py") if DIRECT.search(p.read_text())}


def test_no_router_runs_sql_or_reaches_the_connection():
    assert _direct("entrypoints/http") == set()


def test_only_the_named_service_layer_modules_still_reach_the_database_directly():
    assert _direct("service_layer") == STILL_DIRECT
