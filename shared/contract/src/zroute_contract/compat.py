"""The additive-only rule for the JSON Schemas of one major version.

Within ``.v1`` an event may gain optional fields and code values, nothing else: an
event written under the released schema must still be valid under the current one (so
a replay or an old producer keeps working), and a field a consumer relies on must stay
(so an old consumer keeps working). :func:`breaking_changes` compares a released
schema with the current one and lists every change that breaks this.

It understands the JSON Schema that pydantic generates: local ``$ref`` into
``$defs``, ``anyOf`` for optional values, ``const``/``enum`` for codes, arrays and
nested objects. What it cannot judge (a ``not``, a conditional) it leaves alone.
"""

from __future__ import annotations

from typing import Any

from zroute_contract.types import LOCAL_TIME_PATTERN

Schema = dict[str, Any]

# Bus metadata whose change breaks bindings or dispatch even when the data is unchanged.
_FIXED_METADATA = (
    "$id",
    "x-zroute-type",
    "x-zroute-routing-key",
    "x-zroute-producer",
    "x-zroute-addressed-by",
)
# A current value above (below) the released one, or a bound that was not there, rejects
# values the released schema accepted.
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_EXACT = ("pattern", "format")

# Recorded corrections: a released (format, pattern) that no producer could ever satisfy,
# with the (format, pattern) that says what producers always sent. Allowed within v1
# because every event published under the released schema is valid under the corrected
# one, and a validator that asserted the released format rejected them all (issue 13).
CORRECTIONS: dict[tuple[str | None, str | None], tuple[str | None, str | None]] = {
    # Session times were local clock times ("13:30:00") under "format": "time", which
    # RFC 3339 and JSON Schema define with a UTC offset.
    ("time", None): (None, LOCAL_TIME_PATTERN),
}


def breaking_changes(released: Schema, current: Schema) -> list[str]:
    """Every change from ``released`` to ``current`` that the additive-only rule forbids.

    Each entry names the path of the field (``needs[].severity``) and what changed. An
    empty list means the current schema is a compatible extension of the released one.
    """
    checker = _Checker(released, current)
    for key in _FIXED_METADATA:
        if released.get(key) != current.get(key):
            checker.problems.append(
                f"(root): {key} changed from {released.get(key)!r} to {current.get(key)!r}"
            )
    checker.compare(released, current, "")
    return checker.problems


class _Checker:
    def __init__(self, released_root: Schema, current_root: Schema) -> None:
        self.roots = (released_root, current_root)
        self.problems: list[str] = []
        self._seen_refs: set[tuple[str, str]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> None:
        if "$ref" in old and "$ref" in new:
            # Each pair of definitions is compared once, where it is first reached: a
            # recursive definition would otherwise be walked forever.
            key = (old["$ref"], new["$ref"])
            if key in self._seen_refs:
                return
            self._seen_refs.add(key)
        old_variants = _variants(old, self.roots[0])
        new_variants = _variants(new, self.roots[1])
        if len(old_variants) == 1 and len(new_variants) == 1:
            self._compare_single(old_variants[0], new_variants[0], path)
            return
        unmatched = list(new_variants)
        for old_variant in old_variants:
            kinds = _types(old_variant)
            match = next((v for v in unmatched if _types(v) == kinds), None)
            if match is None:
                self._report(path, f"no longer accepts {_kinds(kinds)}")
                continue
            unmatched.remove(match)
            self._compare_single(old_variant, match, path)
        for new_variant in unmatched:
            self._report(path, f"now also {_kinds(_types(new_variant))} (type widened)")

    def _compare_single(self, old: Schema, new: Schema, path: str) -> None:
        old_types, new_types = _types(old), _types(new)
        if old_types != new_types:
            self._report(path, f"type changed from {_kinds(old_types)} to {_kinds(new_types)}")
            return
        self._compare_values(old, new, path)
        self._compare_bounds(old, new, path)
        if "object" in new_types:
            self._compare_objects(old, new, path)
        if "array" in new_types:
            self._compare_arrays(old, new, path)

    def _compare_values(self, old: Schema, new: Schema, path: str) -> None:
        old_values, new_values = _allowed_values(old), _allowed_values(new)
        if new_values is None:
            return
        if old_values is None:
            self._report(path, "now restricted to a list of values")
            return
        removed = [v for v in old_values if v not in new_values]
        if removed:
            self._report(path, f"value(s) removed: {', '.join(map(repr, removed))}")

    def _compare_bounds(self, old: Schema, new: Schema, path: str) -> None:
        for key in _UPPER_BOUNDS:
            if key in new and (key not in old or new[key] < old[key]):
                self._report(path, f"{key} tightened to {new[key]}")
        for key in _LOWER_BOUNDS:
            if key in new and (key not in old or new[key] > old[key]):
                self._report(path, f"{key} tightened to {new[key]}")
        self._compare_exact(old, new, path)
        if "multipleOf" in new:
            # Still fine when every released multiple is a current one too (0.5 -> 0.25).
            old_step = old.get("multipleOf")
            if old_step is None or (old_step / new["multipleOf"]) % 1 != 0:
                self._report(path, f"multipleOf changed to {new['multipleOf']}")
        if new.get("uniqueItems") and not old.get("uniqueItems"):
            self._report(path, "items must now be unique")

    def _compare_exact(self, old: Schema, new: Schema, path: str) -> None:
        """Format and pattern must stay as released, unless CORRECTIONS names the change."""
        corrected = CORRECTIONS.get((old.get("format"), old.get("pattern")))
        if corrected == (new.get("format"), new.get("pattern")):
            return
        for key in _EXACT:
            if key in new and new[key] != old.get(key):
                self._report(path, f"{key} changed to {new[key]!r}")

    def _compare_objects(self, old: Schema, new: Schema, path: str) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for name, old_prop in old_props.items():
            where = f"{path}.{name}" if path else name
            if name not in new_props:
                self._report(where, "property removed")
                continue
            if name in old_required and name not in new_required:
                self._report(where, "no longer required (a consumer relying on it breaks)")
            self.compare(old_prop, new_props[name], where)
        for name in sorted(new_required - old_required):
            where = f"{path}.{name}" if path else name
            was = "optional" if name in old_props else "absent"
            self._report(where, f"new required property (was {was})")
        if (
            new.get("additionalProperties") is False
            and old.get("additionalProperties") is not False
        ):
            self._report(path, "additional properties no longer allowed")

    def _compare_arrays(self, old: Schema, new: Schema, path: str) -> None:
        if "items" in old and "items" in new:
            self.compare(old["items"], new["items"], f"{path}[]")
        elif "items" in new:
            self._report(path, "item schema added")
        for index, (old_item, new_item) in enumerate(
            zip(old.get("prefixItems", ()), new.get("prefixItems", ()), strict=False)
        ):
            self.compare(old_item, new_item, f"{path}[{index}]")

    def _report(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '(root)'}: {message}")


def _resolve(schema: Schema, root: Schema) -> Schema:
    """Follow local ``$ref`` s; keywords beside a ``$ref`` (2020-12 allows them) win."""
    seen = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/") or ref in seen:
            return schema
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings}
    return schema


def _variants(schema: Schema, root: Schema) -> list[Schema]:
    schema = _resolve(schema, root)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            result: list[Schema] = []
            for variant in schema[key]:
                result.extend(_variants(variant, root))
            return result
    return [schema]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _types(schema: Schema) -> frozenset[str]:
    if "type" in schema:
        declared = schema["type"]
        return frozenset(declared if isinstance(declared, list) else [declared])
    values = _allowed_values(schema)
    if values is not None:
        return frozenset(_json_type(v) for v in values)
    if "properties" in schema:
        return frozenset({"object"})
    if "items" in schema or "prefixItems" in schema:
        return frozenset({"array"})
    return frozenset({"any"})


def _allowed_values(schema: Schema) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    return None


def _kinds(types: frozenset[str]) -> str:
    return "/".join(sorted(types))
