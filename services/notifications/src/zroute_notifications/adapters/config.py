"""Loading the communication matrix and the directory seed from their files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zroute_contract import event_types

from zroute_notifications.adapters.rendering import Templates
from zroute_notifications.domain.matrix import Matrix, MatrixError, parse_matrix


def load_matrix(path: Path, templates: Templates) -> Matrix:
    """Read and validate the matrix; :class:`MatrixError` names the file and each problem."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MatrixError([f"cannot read {path}: {exc.strerror}"], str(path)) from None
    except json.JSONDecodeError as exc:
        raise MatrixError([f"not JSON: {exc.msg} at line {exc.lineno}"], str(path)) from None
    try:
        return parse_matrix(raw, contract=event_types(), templates=templates.event_names())
    except MatrixError as exc:
        raise MatrixError(exc.problems, f"communication matrix {path}") from None


KINDS = ("staff", "partner", "employer", "operator")


def load_seed(path: Path | None) -> dict[str, dict[str, dict[str, Any]]]:
    """The directory seed (demo): ``{"partner": {"<id>": {"email": ..., "language": "nl"}},
    "staff": {...}, "employer": {...}, "operator": {"operator": {...}}}``. Entries made
    over the HTTP API take precedence."""
    if path is None:
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(raw) - set(KINDS)
    if unknown:
        raise ValueError(f"directory seed {path}: unknown kinds {sorted(unknown)}")
    return {kind: dict(entries) for kind, entries in raw.items()}
