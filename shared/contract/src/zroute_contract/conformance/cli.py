"""``zroute-conformance`` / ``python -m zroute_contract.conformance``: run the kit, print
the report, exit 0 when the service conforms, 1 when a check failed, 2 on bad usage."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from urllib.parse import urlsplit, urlunsplit

from zroute_contract.events.base import SERVICES


def _safe(url: str) -> str:
    """The URL without its password, fit for a message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="zroute-conformance",
        description="Check a replacement of one Z-route service against the event contract "
        "over AMQP: feeds it the events it consumes and checks what comes out.",
    )
    p.add_argument("--service", required=True, choices=SERVICES, help="the service replaced")
    p.add_argument(
        "--amqp-url",
        default=os.environ.get("ZROUTE_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        help="the broker the service uses (default: $ZROUTE_AMQP_URL or the local broker)",
    )
    p.add_argument(
        "--prefix",
        default=os.environ.get("ZROUTE_NAME_PREFIX", "zroute"),
        help="broker name prefix: queues <prefix>.<service>, exchange <prefix>.events",
    )
    p.add_argument("--exchange", default="events", help="the events exchange under the prefix")
    p.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="upper bound of every wait (s); shorter waits are measured from how fast the "
        "service answers",
    )
    p.add_argument(
        "--quiet",
        type=float,
        default=None,
        help="fixed silence after which no more outputs are expected (s); default: measured",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        from zroute_contract.conformance.kit import KitConfig, run
    except ImportError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None
    config = KitConfig(
        amqp_url=args.amqp_url,
        service=args.service,
        prefix=args.prefix,
        exchange=args.exchange,
        timeout=args.timeout,
        quiet=args.quiet,
    )
    from aiormq.exceptions import AMQPError

    try:
        report = asyncio.run(run(config))
    except (OSError, AMQPError) as exc:
        # AMQPConnectionError is an OSError; a refused declare or bind is an AMQPError.
        print(f"cannot run against the broker at {_safe(args.amqp_url)}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(report.to_json() if args.json else report.render())
    raise SystemExit(report.exit_code)
