"""Planning's layers hold: no SQL and no ``uow.conn`` in a router or in the service layer;
the database is reached through the repositories on the unit of work (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import zroute_planning

PACKAGE = Path(zroute_planning.__file__).parent
DIRECT = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|uow\.conn|\.track\(")


def _direct(folder: str) -> set[str]:
    return {p.name for p in (PACKAGE / folder).glob("*.py") if DIRECT.search(p.read_text())}


def test_no_router_runs_sql_or_reaches_the_connection():
    assert _direct("entrypoints/http") == set()


def test_no_handler_or_view_runs_sql_or_reaches_the_connection():
    assert _direct("service_layer") == set()
