"""Validate CloudEvents against the committed JSON Schemas with formats asserted, in
Python (jsonschema with its format checker) and outside Python (ajv with ajv-formats,
through the Node toolchain of the example subscriber).

A validator that treats ``format`` as an annotation (the JSON Schema 2020-12 default)
accepts ``"13:30:00"`` for ``"format": "time"``; an integrator's validator that asserts
formats refuses it (issue 13). These helpers assert them, and fail loudly when the
format support they need is missing instead of quietly skipping the check.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from zroute_contract.generate import SCHEMA_DIR

NODE_DIR = Path(__file__).parents[1] / "deploy" / "subscribers" / "node"
# The formats our schemas use; without rfc3339-validator jsonschema silently skips the
# date-time and time checks.
NEEDED_FORMATS = {"date", "date-time", "time", "uuid"}


def npm_install() -> None:
    """Install the example's pinned npm dependencies once (no lock file is written)."""
    wanted = json.loads((NODE_DIR / "package.json").read_text())["dependencies"]
    if all((NODE_DIR / "node_modules" / name).exists() for name in wanted):
        return
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed for the validators outside Python")
    subprocess.run(
        ["npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--silent"],
        cwd=NODE_DIR,
        check=True,
        timeout=300,
    )


def _checker():
    checker = Draft202012Validator.FORMAT_CHECKER
    missing = NEEDED_FORMATS - set(checker.checkers)
    if missing:
        pytest.fail(f"jsonschema cannot assert {sorted(missing)}: install rfc3339-validator")
    return checker


def python_failures(events: list[dict[str, Any]], schema_dir: Path = SCHEMA_DIR) -> list[str]:
    """One line per violation: the envelope against cloudevent.json, the data against
    its type's schema, formats asserted."""
    checker = _checker()
    validators: dict[str, Draft202012Validator | None] = {}

    def validator(name: str) -> Draft202012Validator | None:
        if name not in validators:
            path = schema_dir / f"{name}.json"
            validators[name] = (
                Draft202012Validator(json.loads(path.read_text()), format_checker=checker)
                if path.is_file()
                else None
            )
        return validators[name]

    failures = []
    envelope = validator("cloudevent")
    assert envelope is not None
    for index, event in enumerate(events):
        for error in envelope.iter_errors(event):
            failures.append(f"event {index} envelope {error.json_path}: {error.message}")
        data = validator(event.get("type", ""))
        if data is None:
            failures.append(f"event {index}: no schema for type {event.get('type')!r}")
            continue
        for error in data.iter_errors(event.get("data")):
            failures.append(f"event {index} {event['type']} {error.json_path}: {error.message}")
    return failures


def ajv_report(
    events: list[dict[str, Any]], workdir: Path, schema_dir: Path = SCHEMA_DIR
) -> dict[str, Any]:
    """ajv's verdict on ``events``: ``{"checked", "types", "failures"}``."""
    npm_install()
    path = workdir / "events.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    done = subprocess.run(
        ["node", "validate.js", str(schema_dir), str(path)],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["checked"] == len(events)
    assert (done.returncode == 0) == (report["failures"] == [])
    return report
