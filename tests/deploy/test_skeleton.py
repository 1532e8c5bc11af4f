"""The four services read the same way (issue 14): the same skeleton of folders and module
names, no SQL outside ``adapters/``, and the same test folders.

A difference is named, so the reader knows what to move, not just that something differs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "planning", "support", "notifications")

SKELETON = (
    "__init__.py",
    "bootstrap.py",
    "settings.py",
    "domain/__init__.py",
    "domain/errors.py",
    "domain/commands.py",
    "service_layer/__init__.py",
    "service_layer/deps.py",
    "service_layer/views.py",
    "service_layer/unit_of_work.py",
    "service_layer/handlers/__init__.py",
    "adapters/__init__.py",
    "adapters/reads.py",
    "adapters/migrations",
    "entrypoints/__init__.py",
    "entrypoints/http/__init__.py",
    "entrypoints/http/deps.py",
    "entrypoints/http/schemas.py",
    "ui/__init__.py",
    "ui/pages.py",
)
"""Every service has these; each may add modules of its own beside them."""

TEST_FOLDERS = ("unit", "integration")

# The Python modules and packages allowed at the top of a service package: the skeleton's
# folders and files, nothing else (a module of its own belongs in one of the layers). Data
# folders (notifications' config and message templates) may sit beside them.
TOP_LEVEL = {
    "__init__.py",
    "bootstrap.py",
    "settings.py",
    "domain",
    "service_layer",
    "adapters",
    "entrypoints",
    "ui",
    "py.typed",
    "__pycache__",
}

SQL = re.compile(
    r"\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b"
    r"|\bconn\.(fetch|fetchrow|fetchval|execute|executemany)\b"
    r"|\buow\.conn\b",
)
NO_SQL_LAYERS = ("service_layer", "entrypoints", "ui")


def _package(service: str) -> Path:
    return ROOT / "services" / service / "src" / f"zroute_{service}"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_the_one_skeleton(service: str) -> None:
    package = _package(service)
    missing = [name for name in SKELETON if not (package / name).exists()]
    assert not missing, f"{service} lacks {missing} of the service skeleton"
    code = sorted(
        p.name
        for p in package.iterdir()
        if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())
    )
    stray = [name for name in code if name not in TOP_LEVEL]
    assert not stray, f"{service} has {stray} beside its layers; move them into one"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_the_same_test_folders(service: str) -> None:
    tests = ROOT / "tests" / service
    missing = [name for name in TEST_FOLDERS if not (tests / name).is_dir()]
    assert not missing, f"tests/{service} lacks {missing}"
    loose = sorted(p.name for p in tests.glob("test_*.py"))
    assert not loose, f"tests/{service} has {loose} outside unit/ and integration/"
    assert (tests / "unit" / "test_handlers.py").exists(), (
        f"tests/{service}/unit has no fast handler tier (test_handlers.py)"
    )


@pytest.mark.parametrize("service", SERVICES)
def test_no_sql_outside_the_adapters(service: str) -> None:
    package = _package(service)
    found = []
    for layer in NO_SQL_LAYERS:
        for path in sorted((package / layer).rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if SQL.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "SQL outside adapters/:\n" + "\n".join(found)


def test_the_sql_check_would_see_sql() -> None:
    for line in (
        'rows = await conn.fetch("SELECT * FROM x")',
        "UPDATE plans SET x = 1",
        "DELETE FROM t",
        "await uow.conn.execute(q)",
        "INSERT INTO t VALUES (1)",
    ):
        assert SQL.search(line), line
    for line in ("selected = select_rows(x)", "# we update the plan", "deleted_on = None"):
        assert not SQL.search(line), line


def test_the_services_differ_in_no_skeleton_module() -> None:
    """Side by side: the skeleton modules present in one service and absent in another."""
    present = {
        s: {
            str(p.relative_to(_package(s)))
            for p in _package(s).rglob("*")
            if "__pycache__" not in p.parts and "migrations" not in p.parts[:-1]
        }
        for s in SERVICES
    }
    skeleton = set(SKELETON)
    differences = {s: sorted(skeleton - present[s]) for s in SERVICES if skeleton - present[s]}
    assert not differences, f"skeleton modules missing per service: {differences}"
