"""A valid sample of every event type, for tests anywhere in the suite.

Samples are derived from each event's JSON Schema rather than written by hand, so a
new event type gets a sample without touching this file; a new identifier pattern
needs one line in ``_STRING_BY_PATTERN``. Every optional field is filled in, so that
the samples exercise the whole schema. Values are deterministic.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import Any

from zroute_contract.events.base import Event, event_types
from zroute_contract.events.codes import PRECONDITION_CODE_PATTERN
from zroute_contract.events.planning import VARIETY_PROBLEM_PATTERN
from zroute_contract.types import (
    LANGUAGE_CODE_PATTERN,
    LOCAL_TIME_PATTERN,
    MUNICIPALITY_CODE_PATTERN,
    PARTICIPANT_REF_PATTERN,
    PARTNER_ID_PATTERN,
    REASON_CODE_PATTERN,
    STAFF_REF_PATTERN,
)

SAMPLE_DATE = "2026-03-02"
SAMPLE_TIME = "09:00:00"
SAMPLE_INSTANT = "2026-03-02T09:00:00+01:00"
_LANGUAGES = ("ar", "ti", "prs", "so")

_STRING_BY_PATTERN: dict[str, Callable[[int], str]] = {
    PARTICIPANT_REF_PATTERN: lambda i: f"zr-{i + 1:032x}",
    PARTNER_ID_PATTERN: lambda i: f"partner-{i + 1}",
    MUNICIPALITY_CODE_PATTERN: lambda i: f"GM{363 + i:04d}",
    STAFF_REF_PATTERN: lambda i: f"staff-{i + 1}",
    VARIETY_PROBLEM_PATTERN: lambda i: "classroom runs 2 sessions in a row, above 1",
    LOCAL_TIME_PATTERN: lambda i: SAMPLE_TIME,
    LANGUAGE_CODE_PATTERN: lambda i: _LANGUAGES[i % len(_LANGUAGES)],
    # The one code every sample's kind agrees with (kind is the list's first, childcare).
    PRECONDITION_CODE_PATTERN: lambda i: "childcare",
    REASON_CODE_PATTERN: lambda i: f"reason_{i + 1}",
}
# Fields that share a pattern with others but read better with their own values.
_STRING_BY_FIELD: dict[str, Callable[[int], str]] = {
    "programme_id": lambda i: f"programme-{i + 1}",
    "employer_id": lambda i: f"employer-{i + 1}",
    "location_id": lambda i: f"location-{i + 1}",
}
_STRING_BY_FORMAT: dict[str, Callable[[int], str]] = {
    "date": lambda i: SAMPLE_DATE,
    "date-time": lambda i: SAMPLE_INSTANT,
    "time": lambda i: SAMPLE_TIME,
}

# Structures whose model validators relate fields: the generic filling breaks them.
_STRUCTURE_FIXES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    # exactly one organisation
    "ContactPersonRef": lambda data: {k: v for k, v in data.items() if k != "municipality"},
}


class _Builder:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self._uuids = itertools.count(1)

    def value(self, schema: dict[str, Any], index: int = 0, field: str = "") -> Any:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            data = self.value(self.root["$defs"][name], index)
            fix = _STRUCTURE_FIXES.get(name)
            return fix(data) if fix else data
        if "anyOf" in schema:
            first = next(v for v in schema["anyOf"] if v.get("type") != "null")
            return self.value(first, index, field)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][index % len(schema["enum"])]
        return self._typed(schema, index, field)

    def _typed(self, schema: dict[str, Any], index: int, field: str) -> Any:
        kind = schema.get("type")
        if kind == "object":
            properties = schema.get("properties", {})
            return {name: self.value(prop, 0, name) for name, prop in properties.items()}
        if kind == "array":
            count = max(schema.get("minItems", 1), 1)
            return [self.value(schema.get("items", {}), i, field) for i in range(count)]
        if kind == "string":
            if field in _STRING_BY_FIELD and "pattern" in schema:
                return _STRING_BY_FIELD[field](index)
            return self._string(schema, index)
        if kind in ("integer", "number"):
            low = schema.get("minimum", 0)
            high = schema.get("maximum", low + 1 + index)
            return min(max(low, 1 + index), high)
        if kind == "boolean":
            return True
        raise ValueError(f"no sample for schema {schema!r}")

    def _string(self, schema: dict[str, Any], index: int) -> str:
        if schema.get("format") == "uuid":
            return str(uuid.UUID(int=next(self._uuids)))
        if schema.get("format") in _STRING_BY_FORMAT:
            return _STRING_BY_FORMAT[schema["format"]](index)
        pattern = schema.get("pattern")
        if pattern in _STRING_BY_PATTERN:
            return _STRING_BY_PATTERN[pattern](index)
        raise ValueError(
            f"no sample string for pattern {pattern!r}: add it to tests/contract/samples.py"
        )


def sample_data(cls: type[Event]) -> dict[str, Any]:
    """JSON-ready ``data`` for ``cls``, every optional field filled in."""
    schema = cls.model_json_schema(mode="validation")
    return _Builder(schema).value(schema)


def sample_event(cls: type[Event], **overrides: Any) -> Event:
    """A valid instance of ``cls``; ``overrides`` replace top-level fields."""
    return cls.model_validate({**sample_data(cls), **overrides})


def all_samples() -> list[Event]:
    """One sample of every registered event type, in type order."""
    return [sample_event(cls) for cls in event_types().values()]
