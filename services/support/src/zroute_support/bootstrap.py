"""Wires the support service: handlers, timers, routers and migrations are chosen here only."""

from __future__ import annotations

from pathlib import Path

from zroute_runtime.service import ServiceDefinition

SERVICE = "support"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def definition() -> ServiceDefinition:
    """The support service as the runtime runs it."""
    return ServiceDefinition(name=SERVICE, migrations=MIGRATIONS)
