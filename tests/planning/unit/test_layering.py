"""Planning's layers hold: no SQL and no ``uow.conn`` in a router or in the service layer;
the database is reached through the repositories on the unit of work (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import zroute_planning

PACKAGE = Path(zroute_planning.__file__).parent
DIRECT = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|uow\.conn|\.track\(")


def _direct(folder: str) -> set[str]:
    return {
        str(p.relative_to(PACKAGE))
        for p in (PACKAGE / folder).rglob("*.py")
        if DIRECT.search(p.read_text())
    }


def test_no_router_runs_sql_or_reaches_the_connection():
    assert _direct("entrypoints/http") == set()


def test_no_handler_or_view_runs_sql_or_reaches_the_connection():
    assert _direct("service_layer") == set()


def _containing(pattern: str) -> set[str]:
    found = re.compile(pattern)
    return {
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if found.search(p.read_text())
    }


def test_events_come_from_the_plan_but_a_formation_run_emits_its_own():
    """A plan records what it causes (``plan.events``); ``uow.emit`` is left to group
    formation and to calendar changes, whose events span many plans (and groups) in one
    run order."""
    assert _containing(r"uow\.emit\(") == {
        "service_layer/handlers/formation.py",
        "service_layer/handlers/calendar.py",
    }
    assert _containing(r"\b_save\b|lifecycle\.flush|uow\.track") == set()


def test_local_days_come_from_the_runtime_clock_with_its_one_timezone():
    assert _containing(r"ZoneInfo|Europe/Amsterdam") == set()


def test_handlers_take_the_typed_planning_unit_of_work():
    handlers = PACKAGE / "service_layer" / "handlers"
    untyped = {
        p.name
        for p in handlers.glob("*.py")
        if p.name != "__init__.py" and "PlanningUnitOfWork" not in p.read_text()
    }
    assert untyped == set()
