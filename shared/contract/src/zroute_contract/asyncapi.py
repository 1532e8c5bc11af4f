"""The AsyncAPI 3.0 document of the whole event catalogue, generated from the models.

One channel per routing key on the events exchange (an addressed event's channel has a
``{partnerId}`` parameter), one ``send`` operation for its producer and one ``receive``
operation per consuming service, one message per event type whose payload is the
CloudEvent envelope with ``data`` referring to the committed JSON Schema next to this
document (``schemas/<type>.json``). ``python -m zroute_contract.generate`` writes it to
``asyncapi.json`` in this package; a test fails when it drifts from the models.
"""

from __future__ import annotations

from typing import Any

from zroute_contract.envelope import CONTENT_TYPE
from zroute_contract.events.base import Event, event_types

ASYNCAPI_FILE = "asyncapi.json"
EXCHANGE = "zroute.events"


def _channel_id(cls: type[Event]) -> str:
    return cls.spec.routing_key.replace(".", "-")


def _channel(cls: type[Event]) -> dict[str, Any]:
    spec = cls.spec
    channel: dict[str, Any] = {
        "address": spec.routing_key + (".{partnerId}" if spec.addressed_by else ""),
        "title": spec.name,
        "description": spec.summary,
        "messages": {cls.__name__: {"$ref": f"#/components/messages/{cls.__name__}"}},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {
                    "name": EXCHANGE,
                    "type": "topic",
                    "durable": True,
                    "autoDelete": False,
                    "vhost": "/",
                },
                "bindingVersion": "0.3.0",
            }
        },
    }
    if spec.addressed_by:
        channel["parameters"] = {
            "partnerId": {
                "description": f"The partner the event is addressed to (its `{spec.addressed_by}`); "
                "only that partner's broker account may bind this key."
            }
        }
    return channel


def _message(cls: type[Event]) -> dict[str, Any]:
    spec = cls.spec
    return {
        "name": spec.type,
        "title": cls.__name__,
        "summary": spec.summary,
        "description": (cls.__doc__ or "").strip(),
        "contentType": CONTENT_TYPE.split(";")[0],
        "payload": {
            "allOf": [
                {"$ref": "./schemas/cloudevent.json"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": spec.type},
                        "data": {"$ref": f"./schemas/{spec.type}.json"},
                    },
                },
            ]
        },
        "correlationId": {"location": "$message.payload#/correlationid"},
        "bindings": {"amqp": {"messageType": spec.type, "bindingVersion": "0.3.0"}},
        "x-zroute-producer": spec.producer,
        "x-zroute-consumers": list(spec.consumers),
    }


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI document as a dict (deterministic for equal models)."""
    channels, operations, messages = {}, {}, {}
    for cls in event_types().values():
        spec = cls.spec
        channel_id = _channel_id(cls)
        channels[channel_id] = _channel(cls)
        messages[cls.__name__] = _message(cls)
        ref = {"$ref": f"#/channels/{channel_id}"}
        msg = [{"$ref": f"#/channels/{channel_id}/messages/{cls.__name__}"}]
        operations[f"{spec.producer}.send.{spec.name}"] = {
            "action": "send",
            "channel": ref,
            "messages": msg,
            "summary": f"{spec.producer} publishes {spec.name}",
        }
        for consumer in spec.consumers:
            operations[f"{consumer}.receive.{spec.name}"] = {
                "action": "receive",
                "channel": ref,
                "messages": msg,
                "summary": f"{consumer} consumes {spec.name}",
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Z-route platform events",
            "version": "1.0.0",
            "description": (
                "Every event of the Z-route platform: CloudEvents 1.0 (NL GOV profile) in "
                "structured JSON mode on one durable topic exchange. Routing keys are "
                "`<service>.<entity>.<action>`, plus `.<partner-id>` for events addressed "
                "to one partner. The AMQP message_id is the CloudEvent id: deduplicate on "
                "it. See docs/events.md and docs/integrators.md."
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        "servers": {
            "local": {
                "host": "127.0.0.1:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "A local broker; production addresses come from the operator.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }
