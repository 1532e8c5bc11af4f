"""Wires the intake service: its handlers, timers, routers and migrations, chosen here only."""

from __future__ import annotations

from pathlib import Path

from zroute_runtime.service import ServiceDefinition

SERVICE = "intake"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def definition() -> ServiceDefinition:
    """The intake service as the runtime runs it."""
    return ServiceDefinition(name=SERVICE, migrations=MIGRATIONS)
