"""Wires the planning service: handlers, timers, routers and migrations are chosen here only."""

from __future__ import annotations

from pathlib import Path

from zroute_runtime.service import ServiceDefinition

SERVICE = "planning"
MIGRATIONS = Path(__file__).parent / "adapters" / "migrations"


def definition() -> ServiceDefinition:
    """The planning service as the runtime runs it."""
    return ServiceDefinition(name=SERVICE, migrations=MIGRATIONS)
