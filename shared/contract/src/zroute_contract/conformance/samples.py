"""Valid sample payloads of every event type, built from the models alone.

The kit needs one valid event of each type a service consumes. Samples are derived
from each model's JSON Schema (the same schema the committed ``schemas/`` hold), so a
new event type gets a sample without touching the kit. Every optional field is filled
in. Identifiers are fresh on every call (a new participant reference, random UUIDs,
partner ids with a per-run token), so that a run never collides with the records of an
earlier run against the same deployment.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from zroute_contract.events.base import Event
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
    new_participant_ref,
)

_LANGUAGES = ("ar", "ti", "prs", "so")

# Structures whose model validators relate fields: the generic filling breaks them.
_STRUCTURE_FIXES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    # exactly one organisation
    "ContactPersonRef": lambda data: {k: v for k, v in data.items() if k != "municipality"},
}


class SampleBuilder:
    """Builds sample ``data`` for event classes; ``token`` makes its ids unique to a run."""

    def __init__(self, token: str | None = None, *, today: date | None = None) -> None:
        self.token = token or uuid.uuid4().hex[:6]
        self.today = today or datetime.now().date()
        self._strings: dict[str, Callable[[int], str]] = {
            PARTICIPANT_REF_PATTERN: lambda i: new_participant_ref(),
            PARTNER_ID_PATTERN: lambda i: f"cf{self.token}-partner-{i + 1}",
            MUNICIPALITY_CODE_PATTERN: lambda i: f"GM{363 + i:04d}",
            STAFF_REF_PATTERN: lambda i: f"cf{self.token}-staff-{i + 1}",
            LANGUAGE_CODE_PATTERN: lambda i: _LANGUAGES[i % len(_LANGUAGES)],
            # The code every sample's kind (the list's first, childcare) agrees with.
            PRECONDITION_CODE_PATTERN: lambda i: "childcare",
            REASON_CODE_PATTERN: lambda i: f"reason_{i + 1}",
            LOCAL_TIME_PATTERN: lambda i: "09:00:00",
            VARIETY_PROBLEM_PATTERN: lambda i: "classroom runs 2 sessions in a row, above 1",
        }
        self._fields: dict[str, Callable[[int], str]] = {
            "programme_id": lambda i: f"cf{self.token}-programme",
            "employer_id": lambda i: f"cf{self.token}-employer-{i + 1}",
            "location_id": lambda i: f"cf{self.token}-location-{i + 1}",
        }

    # -- public ----------------------------------------------------------------------
    def data(self, cls: type[Event], **overrides: Any) -> dict[str, Any]:
        """JSON-ready ``data`` for ``cls`` (validated), ``overrides`` replacing top-level
        fields."""
        schema = cls.model_json_schema(mode="validation")
        raw = self._value(schema, schema)
        return cls.model_validate({**raw, **overrides}).model_dump(mode="json")

    def event(self, cls: type[Event], **overrides: Any) -> Event:
        """A valid instance of ``cls``."""
        return cls.model_validate(self.data(cls, **overrides))

    # -- schema walking ----------------------------------------------------------------
    def _value(self, root: dict[str, Any], schema: dict[str, Any], index: int = 0, field: str = ""):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            data = self._value(root, root["$defs"][name], index)
            fix = _STRUCTURE_FIXES.get(name)
            return fix(data) if fix else data
        if "anyOf" in schema:
            first = next(v for v in schema["anyOf"] if v.get("type") != "null")
            return self._value(root, first, index, field)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][index % len(schema["enum"])]
        kind = schema.get("type")
        if kind == "object":
            properties = schema.get("properties", {})
            return {name: self._value(root, prop, 0, name) for name, prop in properties.items()}
        if kind == "array":
            count = max(schema.get("minItems", 1), 1)
            return [self._value(root, schema.get("items", {}), i, field) for i in range(count)]
        if kind == "string":
            return self._string(schema, index, field)
        if kind in ("integer", "number"):
            low = schema.get("minimum", 0)
            high = schema.get("maximum", low + 1 + index)
            return min(max(low, 1 + index), high)
        if kind == "boolean":
            return True
        raise ValueError(f"no sample for schema {schema!r}")

    def _string(self, schema: dict[str, Any], index: int, field: str) -> str:
        fmt = schema.get("format")
        if fmt == "uuid":
            return str(uuid.uuid4())
        if fmt == "date":
            return (self.today + timedelta(days=index)).isoformat()
        if fmt == "date-time":
            start = datetime.combine(self.today, time(9, 0)).astimezone()
            return (start + timedelta(days=index)).isoformat()
        if fmt == "time":
            return "09:00:00"
        pattern = schema.get("pattern")
        if field in self._fields and pattern:
            return self._fields[field](index)
        if pattern in self._strings:
            return self._strings[pattern](index)
        raise ValueError(
            f"no sample string for pattern {pattern!r}: add it to zroute_contract.conformance.samples"
        )
