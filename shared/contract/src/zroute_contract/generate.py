"""Generate the committed JSON Schemas and the event catalogue from the models.

    python -m zroute_contract.generate            write schemas/ and docs/events.md
    python -m zroute_contract.generate --check    exit 1, listing what is out of date
    python -m zroute_contract.generate --release  also baseline new types in schemas/released/

The models are the source of truth; the files exist for integrators who do not use
Python. Output is deterministic (sorted keys, stable order, trailing newline) so that a
regenerated file differs from the committed one only when a model changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from zroute_contract.envelope import SCHEMA_BASE_URL, CloudEvent, dataschema_for
from zroute_contract.events.base import SERVICES, Event, event_types

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = PACKAGE_DIR / "schemas"
RELEASED_DIR = SCHEMA_DIR / "released"
ENVELOPE_FILE = "cloudevent.json"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
REGENERATE_HINT = "run ./run schemas (python -m zroute_contract.generate) and commit the result"


def repo_root() -> Path | None:
    """The workspace root when the contract runs from a checkout, else ``None``."""
    root = PACKAGE_DIR.parents[3]
    return root if (root / "shared" / "contract" / "pyproject.toml").is_file() else None


def default_docs_path() -> Path | None:
    """Where the catalogue document lives in a checkout (``docs/events.md``)."""
    root = repo_root()
    return root / "docs" / "events.md" if root else None


def event_schema(cls: type[Event]) -> dict[str, Any]:
    """The JSON Schema of one event type's ``data``, with the bus metadata as ``x-zroute-*``."""
    spec = cls.spec
    schema = cls.model_json_schema(mode="validation")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = dataschema_for(spec.type)
    schema["x-zroute-type"] = spec.type
    schema["x-zroute-routing-key"] = spec.routing_key
    schema["x-zroute-producer"] = spec.producer
    schema["x-zroute-consumers"] = list(spec.consumers)
    schema["x-zroute-addressed-by"] = spec.addressed_by
    schema["x-zroute-summary"] = spec.summary
    return schema


def envelope_schema() -> dict[str, Any]:
    """The JSON Schema of the CloudEvents envelope as this platform fills it."""
    schema = CloudEvent.model_json_schema(mode="validation")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = f"{SCHEMA_BASE_URL}{ENVELOPE_FILE}"
    return schema


def render_json(schema: dict[str, Any]) -> str:
    """Deterministic JSON text of a schema."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected_files(docs_path: Path | None) -> dict[Path, str]:
    """Every generated file and its content."""
    schemas = {event_type: event_schema(cls) for event_type, cls in event_types().items()}
    files = {SCHEMA_DIR / f"{t}.json": render_json(s) for t, s in schemas.items()}
    files[SCHEMA_DIR / ENVELOPE_FILE] = render_json(envelope_schema())
    from zroute_contract.asyncapi import ASYNCAPI_FILE, asyncapi_document

    files[SCHEMA_DIR.parent / ASYNCAPI_FILE] = render_json(asyncapi_document())
    if docs_path is not None:
        from zroute_contract.catalogue import catalogue_markdown

        files[docs_path] = catalogue_markdown(schemas)
    return files


def drift(files: dict[Path, str]) -> list[str]:
    """What differs between ``files`` and the disk: missing, stale and orphan files."""
    problems = []
    for path, content in sorted(files.items()):
        if not path.is_file():
            problems.append(f"missing: {_shown(path)}")
        elif path.read_text(encoding="utf-8") != content:
            problems.append(f"out of date: {_shown(path)}")
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path not in files:
            problems.append(f"orphan (no event type): {_shown(path)}")
    return problems


def write(files: dict[Path, str]) -> list[Path]:
    """Write ``files`` and delete orphan schemas; returns the paths that changed."""
    changed = []
    for path, content in sorted(files.items()):
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            changed.append(path)
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path not in files:
            path.unlink()
            changed.append(path)
    return changed


def release_new() -> list[Path]:
    """Copy every current schema without a released baseline into ``schemas/released/``.

    A released file is never overwritten: it is what the additive-only rule compares
    against for the rest of the major version.
    """
    RELEASED_DIR.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        target = RELEASED_DIR / path.name
        if not target.exists():
            shutil.copyfile(path, target)
            copied.append(target)
    return copied


def _shown(path: Path) -> str:
    root = repo_root()
    return str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)


def _print_all(header: str, lines: Iterable[str]) -> None:
    print(header)
    for line in lines:
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m zroute_contract.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on drift")
    parser.add_argument("--release", action="store_true", help="baseline types not yet released")
    parser.add_argument("--docs", type=Path, help="catalogue path (default: docs/events.md)")
    args = parser.parse_args(argv)
    docs_path = args.docs or default_docs_path()
    files = expected_files(docs_path)
    if args.check:
        problems = drift(files)
        if problems:
            _print_all(f"event contract files out of date; {REGENERATE_HINT}:", problems)
            return 1
        print(f"event contract files up to date ({len(files)} files, {len(SERVICES)} producers)")
        return 0
    changed = write(files)
    _print_all(f"wrote {len(changed)} of {len(files)} files", (_shown(p) for p in changed))
    if args.release:
        _print_all("released", (_shown(p) for p in release_new()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
