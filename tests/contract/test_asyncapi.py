"""The AsyncAPI document describes exactly the catalogue the models define."""

from __future__ import annotations

import json
from pathlib import Path

import zroute_contract
from zroute_contract.asyncapi import asyncapi_document
from zroute_contract.events.base import event_types

DOCUMENT = Path(zroute_contract.__file__).parent / "asyncapi.json"


def committed() -> dict:
    return json.loads(DOCUMENT.read_text())


def test_the_committed_document_is_the_generated_one():
    assert committed() == asyncapi_document(), "AsyncAPI drifted: run ./run schemas"


def test_every_event_has_its_channel_message_and_operations():
    doc = committed()
    assert doc["asyncapi"] == "3.0.0"
    for event_type, cls in event_types().items():
        spec = cls.spec
        channel = doc["channels"][spec.routing_key.replace(".", "-")]
        expected = spec.routing_key + (".{partnerId}" if spec.addressed_by else "")
        assert channel["address"] == expected
        assert ("parameters" in channel) == bool(spec.addressed_by)
        message = doc["components"]["messages"][cls.__name__]
        assert message["name"] == event_type
        assert (
            message["payload"]["allOf"][1]["properties"]["data"]["$ref"]
            == f"./schemas/{event_type}.json"
        )
        assert f"{spec.producer}.send.{spec.name}" in doc["operations"]
        receivers = {
            k.split(".")[0]
            for k, op in doc["operations"].items()
            if op["action"] == "receive" and k.endswith(f".receive.{spec.name}")
        }
        assert receivers == set(spec.consumers)


def test_every_reference_resolves():
    doc = committed()
    base = DOCUMENT.parent

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    if value.startswith("#/"):
                        target = doc
                        for part in value[2:].split("/"):
                            target = target[part]
                    else:
                        assert (base / value).is_file(), value
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(doc)
