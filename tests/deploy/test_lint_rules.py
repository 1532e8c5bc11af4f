"""The rules the code holds itself to, checked by the suite as well as by ``./run lint``.

- import-linter: the services are independent, the contract stands alone, each domain
  imports only the contract, the standard library and what it computes with, and
  entrypoints reach adapters only through the service layer (pyproject.toml,
  ``[tool.importlinter]``);
- mypy with the pydantic plugin, strict on ``shared/`` and every ``domain/``, and the
  ratchet: the modules listed as not passing yet are exactly those that do not pass, so
  the list can only shrink.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PACKAGES = (
    "zroute_contract",
    "zroute_runtime",
    "zroute_letters",
    "zroute_ui",
    "zroute_intake",
    "zroute_planning",
    "zroute_support",
    "zroute_notifications",
    "zroute_demo",
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_import_contracts_are_kept() -> None:
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _ratchet(config: dict) -> tuple[set[str], list[dict]]:
    overrides = config["tool"]["mypy"]["overrides"]
    ratchet = next(o for o in overrides if o.get("ignore_errors"))
    return set(ratchet["module"]), [o for o in overrides if o is not ratchet]


def _module_of(path: str) -> str:
    parts = Path(path).with_suffix("").parts
    start = next(i for i, part in enumerate(parts) if part.startswith("zroute_"))
    names = list(parts[start:])
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def test_mypy_ratchet_lists_exactly_the_modules_that_do_not_pass_yet(tmp_path: Path) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed, other_overrides = _ratchet(config)
    mypy = dict(config["tool"]["mypy"], overrides=other_overrides)
    # The same settings without the ratchet, as an ini file mypy reads on its own.
    lines = ["[mypy]"]
    for key, value in mypy.items():
        if key == "overrides":
            continue
        text = ", ".join(value) if isinstance(value, list) else str(value)
        lines.append(f"{key} = {text}")
    for override in other_overrides:
        lines.append(f"[mypy-{','.join(override['module'])}]")
        lines += [f"{k} = {v}" for k, v in override.items() if k != "module"]
    ini = tmp_path / "mypy.ini"
    ini.write_text("\n".join(lines) + "\n")
    # The cache `./run lint` keeps (CI runs lint first): mypy rechecks what the ini's
    # options or the sources change and reports as a cold run does, in a fraction of it.
    cache = ROOT / ".mypy_cache"
    args = [str(BIN / "mypy"), "--config-file", str(ini), "--cache-dir", str(cache)]
    for package in PACKAGES:
        args += ["-p", package]
    result = _run(*args)
    failing = {
        _module_of(m.group(1))
        for m in re.finditer(r"^(\S+\.py):\d+: error", result.stdout, re.MULTILINE)
    }
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr
    new = failing - listed
    stale = listed - failing
    assert not new, f"modules that fail mypy and are not in the ratchet: {sorted(new)}"
    assert not stale, f"modules that pass mypy now: take them out of the ratchet: {sorted(stale)}"


# A benchmark may start a service in its own process (its bootstrap and settings, as the
# console script does) and call a domain directly (the solver is measured against its
# baseline without a service around it); it reaches nothing else inside a service.
BENCHMARK_SURFACES = re.compile(
    r"^zroute_(intake|planning|support|notifications)\.(bootstrap|settings|domain(\.\w+)*)$"
)


def test_benchmarks_use_only_the_public_surfaces_of_the_services() -> None:
    import ast

    inside = []
    for script in sorted((ROOT / "benchmarks").glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                service = re.match(r"^zroute_(intake|planning|support|notifications)\b", name)
                if service and not BENCHMARK_SURFACES.match(name):
                    inside.append(f"{script.name}: {name}")
    assert not inside, f"benchmarks reach inside a service: {inside}"
