"""How a :class:`WaitingReason` is kept in a text column (the waiting list's ``reason``,
the placements' and preconditions' ``waiting_reason``): its code and parameters as JSON.

A row written before the codes holds an English sentence; it reads back as
``WaitCode.UNCODED`` with the sentence as its ``text``, so no migration rewrites old rows."""

from __future__ import annotations

import json

from zroute_support.domain.routing import WaitCode, WaitingReason


def to_text(reason: WaitingReason) -> str:
    return json.dumps({"code": reason.code.value, **reason.parameters}, sort_keys=True)


def from_text(text: str) -> WaitingReason:
    try:
        found = json.loads(text)
        code = WaitCode(found.pop("code"))
    except (ValueError, TypeError, KeyError, AttributeError):
        return WaitingReason.of(WaitCode.UNCODED, text=text)
    return WaitingReason.of(code, **{k: str(v) for k, v in found.items()})


def encode(reason: WaitingReason | None) -> str | None:
    return None if reason is None else to_text(reason)


def decode(text: str | None) -> WaitingReason | None:
    return from_text(text) if text else None
