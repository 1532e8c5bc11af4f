"""Wires the notifications service: its handlers, timers, routers and migrations."""

from __future__ import annotations

from pathlib import Path

from zroute_runtime.service import ServiceDefinition

SERVICE = "notifications"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def definition() -> ServiceDefinition:
    """The notifications service as the runtime runs it."""
    return ServiceDefinition(name=SERVICE, migrations=MIGRATIONS)
