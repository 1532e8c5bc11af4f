"""The partner conformance kit: checks a replacement of one Z-route service over AMQP.

A partner that replaces intake, planning, support or notifications with its own system
points the kit at it::

    python -m zroute_contract.conformance --service planning \\
        --amqp-url amqp://user:pass@broker:5672/ --prefix zroute

or, from Python::

    from zroute_contract.conformance import KitConfig, run
    report = await run(KitConfig(amqp_url=..., service="planning"))
    print(report.render()); raise SystemExit(report.exit_code)

The kit feeds the events the service consumes onto the events exchange and checks what
comes out (topology, dead-lettering of bad input, every consumed type handled or
refused with a reason, outputs against the contract, idempotency on redelivery). It
needs the contract and aio-pika (``pip install 'zroute-contract[conformance]'``), not
the platform's runtime. See docs/conformance.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zroute_contract.conformance.report import CheckResult, Outcome, Report

if TYPE_CHECKING:
    from zroute_contract.conformance.kit import KitConfig

__all__ = ["CheckResult", "KitConfig", "Outcome", "Report", "run"]


async def run(config: KitConfig) -> Report:
    """Run the kit (imports aio-pika only now, so the rest works without it)."""
    from zroute_contract.conformance.kit import run as run_kit

    return await run_kit(config)


def __getattr__(name: str):
    if name == "KitConfig":
        from zroute_contract.conformance.kit import KitConfig

        return KitConfig
    raise AttributeError(name)
