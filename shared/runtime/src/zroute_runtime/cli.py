"""The command line every service shares: ``zroute-<service> serve|migrate``."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import signal
import sys
from collections.abc import Callable

from zroute_runtime.service import ServiceDefinition, ServiceRuntime
from zroute_runtime.settings import ServiceSettings


def console_script(
    definition: Callable[..., ServiceDefinition],
    settings: Callable[[], ServiceSettings] = ServiceSettings,
) -> Callable[[], None]:
    """The ``zroute-<service>`` console script of a service: ``main = console_script(...)``
    in its ``bootstrap.py``, named in its ``pyproject.toml``."""

    def script() -> None:
        sys.exit(main(definition, settings))

    return script


def main(
    definition: Callable[..., ServiceDefinition],
    settings: Callable[[], ServiceSettings] = ServiceSettings,
    argv: list[str] | None = None,
) -> int:
    """Entry point of a service's console script.

    ``definition`` builds the service's definition, from the loaded settings when it
    takes an argument (so rules configured in settings reach the handlers).
    """
    loaded = settings()
    built = definition(loaded) if inspect.signature(definition).parameters else definition()
    service = built.name
    parser = argparse.ArgumentParser(
        prog=f"zroute-{service}", description=f"The Z-route {service} service."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="migrate, then run the HTTP API, consumer, relay and timers")
    sub.add_parser("migrate", help="apply database migrations and exit")
    args = parser.parse_args(argv)

    from zroute_runtime.logging import configure_logging

    configure_logging(service, loaded.log_level, json=loaded.log_json)
    runtime = ServiceRuntime(built, loaded)
    if args.command == "migrate":
        asyncio.run(runtime.migrate())
        return 0
    asyncio.run(_serve(runtime))
    return 0


async def _serve(runtime: ServiceRuntime) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    print(
        f"zroute-{runtime.service} ready on http://{runtime.settings.http_host}:{runtime.http_port}",
        file=sys.stderr,
        flush=True,
    )
    await stop.wait()
    await runtime.stop()
