"""The committed JSON Schemas and the catalogue document match the models."""

import json

from zroute_contract import generate
from zroute_contract.events.base import event_types

HINT = "run ./run schemas and commit the regenerated files"


def test_every_event_type_has_its_committed_schema():
    for event_type, cls in event_types().items():
        path = generate.SCHEMA_DIR / f"{event_type}.json"
        assert path.is_file(), f"no committed schema for {event_type}; {HINT}"
        committed = json.loads(path.read_text(encoding="utf-8"))
        assert committed == generate.event_schema(cls), (
            f"{path.name} drifted from {cls.__name__}; {HINT}"
        )
        assert path.read_text(encoding="utf-8") == generate.render_json(committed), (
            f"{path.name} is not in canonical form; {HINT}"
        )


def test_the_envelope_schema_is_committed():
    path = generate.SCHEMA_DIR / generate.ENVELOPE_FILE
    assert path.is_file(), HINT
    assert json.loads(path.read_text(encoding="utf-8")) == generate.envelope_schema(), HINT


def test_no_orphan_schema_files():
    expected = {f"{t}.json" for t in event_types()} | {generate.ENVELOPE_FILE}
    present = {p.name for p in generate.SCHEMA_DIR.glob("*.json")}
    assert present - expected == set(), f"schemas without an event type; {HINT}"


def test_generate_check_finds_no_drift_including_the_catalogue():
    docs = generate.default_docs_path()
    assert docs is not None, "run from a checkout: docs/events.md belongs to the repository"
    problems = generate.drift(generate.expected_files(docs))
    assert problems == [], f"{HINT}:\n" + "\n".join(problems)


def test_generate_check_exits_1_and_names_the_stale_file(tmp_path, capsys):
    stale = tmp_path / "events.md"
    stale.write_text("# out of date\n", encoding="utf-8")
    assert generate.main(["--check", "--docs", str(stale)]) == 1
    out = capsys.readouterr().out
    assert "out of date" in out and "events.md" in out and "./run schemas" in out


def test_output_is_deterministic():
    docs = generate.default_docs_path()
    assert generate.expected_files(docs) == generate.expected_files(docs)
    for content in generate.expected_files(docs).values():
        assert content.endswith("\n") and not content.endswith("\n\n")


def test_schemas_carry_the_bus_metadata():
    for event_type, cls in event_types().items():
        schema = generate.event_schema(cls)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith(f"/{event_type}.json")
        assert schema["x-zroute-routing-key"] == cls.spec.routing_key
        assert schema["x-zroute-producer"] == cls.spec.producer
        assert schema["x-zroute-consumers"] == list(cls.spec.consumers)
        assert schema["x-zroute-addressed-by"] == cls.spec.addressed_by
        assert schema.get("description"), f"{cls.__name__} has no docstring"


def test_every_field_is_described():
    for cls in event_types().values():
        schema = generate.event_schema(cls)
        objects = [("", schema), *schema.get("$defs", {}).items()]
        for owner, definition in objects:
            for name, prop in definition.get("properties", {}).items():
                assert prop.get("description"), f"{cls.__name__} {owner}.{name} has no description"
