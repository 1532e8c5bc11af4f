"""Settings of the support service (the shared ZROUTE_ variables; see the README)."""

from __future__ import annotations

from zroute_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    """Support service settings; only the default port differs from the shared ones."""

    http_port: int = 8003
