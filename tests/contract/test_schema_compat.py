"""Within v1 the schemas change additively only, and the rule itself is right."""

import json
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field
from zroute_contract import generate
from zroute_contract.compat import breaking_changes

RELEASED = generate.RELEASED_DIR


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


# --- the committed schemas against the released baseline -------------------------------


def test_released_baseline_exists():
    assert sorted(RELEASED.glob("*.json")), "schemas/released/ is empty"


def test_every_released_schema_still_exists_and_is_extended_additively_only():
    for released_path in sorted(RELEASED.glob("*.json")):
        current_path = generate.SCHEMA_DIR / released_path.name
        assert current_path.is_file(), (
            f"{released_path.name} was released and must not disappear in v1"
        )
        problems = breaking_changes(_load(released_path), _load(current_path))
        assert problems == [], (
            f"{released_path.name} changed incompatibly; add a .v2 type instead:\n"
            + "\n".join(problems)
        )


def test_every_current_schema_has_a_released_baseline():
    missing = [
        p.name
        for p in sorted(generate.SCHEMA_DIR.glob("*.json"))
        if not (RELEASED / p.name).exists()
    ]
    assert missing == [], f"new types without a baseline; run ./run schemas --release: {missing}"


# --- the rule, on schemas generated from small models ------------------------------------


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"


class ColourShort(StrEnum):
    RED = "red"


class Slot(BaseModel):
    day: str = Field(pattern=r"^[a-z]+$")
    part: int


class V1(BaseModel):
    ref: str = Field(pattern=r"^zr-[0-9a-f]{32}$")
    count: int = Field(ge=0, le=10)
    colour: Colour
    slots: tuple[Slot, ...] = ()
    note: str | None = Field(default=None, max_length=20)


def _schema(model) -> dict:
    return model.model_json_schema()


def test_an_identical_schema_has_no_breaking_changes():
    assert breaking_changes(_schema(V1), _schema(V1)) == []


def test_an_added_optional_field_is_accepted():
    class V2(V1):
        extra: int | None = None

    assert breaking_changes(_schema(V1), _schema(V2)) == []


def test_an_added_enum_value_and_a_loosened_bound_are_accepted():
    class Wider(StrEnum):
        RED = "red"
        GREEN = "green"
        BLUE = "blue"

    class V2(BaseModel):
        ref: str = Field(pattern=r"^zr-[0-9a-f]{32}$")
        count: int = Field(ge=0, le=100)
        colour: Wider
        slots: tuple[Slot, ...] = ()
        note: str | None = Field(default=None, max_length=40)

    assert breaking_changes(_schema(V1), _schema(V2)) == []


def test_a_removed_field_is_caught():
    class V2(BaseModel):
        ref: str = Field(pattern=r"^zr-[0-9a-f]{32}$")
        count: int = Field(ge=0, le=10)
        colour: Colour
        slots: tuple[Slot, ...] = ()

    assert breaking_changes(_schema(V1), _schema(V2)) == ["note: property removed"]


def test_a_new_required_field_is_caught():
    class V2(V1):
        extra: int

    assert breaking_changes(_schema(V1), _schema(V2)) == [
        "extra: new required property (was absent)"
    ]


def test_an_optional_field_becoming_required_is_caught():
    class V2(V1):
        note: str = Field(max_length=20)

    problems = breaking_changes(_schema(V1), _schema(V2))
    assert "note: new required property (was optional)" in problems


def test_a_required_field_becoming_optional_is_caught():
    class V2(V1):
        count: int | None = Field(default=None, ge=0, le=10)

    problems = breaking_changes(_schema(V1), _schema(V2))
    assert any(p.startswith("count: no longer required") for p in problems)
    assert any(p.startswith("count: now also null") for p in problems)


def test_a_type_change_is_caught():
    class V2(V1):
        count: str = Field(pattern=r"^[0-9]+$")

    problems = breaking_changes(_schema(V1), _schema(V2))
    assert problems == ["count: type changed from integer to string"]


def test_a_removed_enum_value_is_caught():
    class V2(V1):
        colour: ColourShort

    assert breaking_changes(_schema(V1), _schema(V2)) == ["colour: value(s) removed: 'green'"]


def test_a_removed_literal_value_is_caught():
    class Old(BaseModel):
        status: Literal["a", "b"]

    class New(BaseModel):
        status: Literal["a"]

    problems = breaking_changes(_schema(Old), _renamed_schema(New, "Old"))
    assert problems == ["status: value(s) removed: 'b'"]


def test_tightened_constraints_are_caught():
    class V2(V1):
        ref: str = Field(pattern=r"^zr-[0-9a-f]{16}$")
        count: int = Field(ge=1, le=5)
        note: str | None = Field(default=None, max_length=10)

    problems = breaking_changes(_schema(V1), _schema(V2))
    assert "ref: pattern changed to '^zr-[0-9a-f]{16}$'" in problems
    assert "count: minimum tightened to 1" in problems
    assert "count: maximum tightened to 5" in problems
    assert "note: maxLength tightened to 10" in problems


def test_a_newly_added_constraint_is_caught():
    class Old(BaseModel):
        items: tuple[int, ...]

    class New(BaseModel):
        items: Annotated[tuple[int, ...], Field(max_length=3)]

    assert breaking_changes(_schema(Old), _renamed_schema(New, "Old")) == [
        "items: maxItems tightened to 3"
    ]


def test_changes_inside_nested_definitions_are_caught():
    class Slot(BaseModel):  # the same definition name, one field fewer
        day: str = Field(pattern=r"^[a-z]+$")

    class V2(BaseModel):
        ref: str = Field(pattern=r"^zr-[0-9a-f]{32}$")
        count: int = Field(ge=0, le=10)
        colour: Colour
        slots: tuple[Slot, ...] = ()
        note: str | None = Field(default=None, max_length=20)

    assert breaking_changes(_schema(V1), _schema(V2)) == ["slots[].part: property removed"]


def test_a_changed_routing_key_is_caught():
    released = {"type": "object", "x-zroute-routing-key": "intake.intake.completed"}
    current = {"type": "object", "x-zroute-routing-key": "intake.intake.done"}
    [problem] = breaking_changes(released, current)
    assert problem.startswith("(root): x-zroute-routing-key changed")


def test_plain_json_schemas_without_pydantic_shapes():
    released = {
        "type": "object",
        "properties": {"a": {"type": ["string", "null"]}, "b": {"enum": [1, 2]}},
    }
    current = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"enum": [1]}},
    }
    assert breaking_changes(released, current) == [
        "a: type changed from null/string to string",
        "b: value(s) removed: 2",
    ]


def _renamed_schema(model, title: str) -> dict:
    schema = _schema(model)
    schema["title"] = title
    return schema


def test_the_recorded_local_time_correction_is_the_one_format_change_allowed():
    """Issue 13: ``"format": "time"`` (an offset required) became the local-time pattern
    producers always matched; any other change of that format is still caught."""
    from zroute_contract.types import LOCAL_TIME_PATTERN

    def schema(starts_at: dict) -> dict:
        return {
            "type": "object",
            "properties": {"starts_at": {"type": "string", **starts_at}},
            "required": ["starts_at"],
        }

    released = schema({"format": "time"})
    assert breaking_changes(released, schema({"pattern": LOCAL_TIME_PATTERN})) == []
    assert breaking_changes(released, schema({"format": "date-time"})) == [
        "starts_at: format changed to 'date-time'"
    ]
    assert breaking_changes(released, schema({"pattern": "^[0-9:]+$"})) == [
        "starts_at: pattern changed to '^[0-9:]+$'"
    ]
    assert breaking_changes(schema({"format": "date"}), schema({"pattern": LOCAL_TIME_PATTERN}))
