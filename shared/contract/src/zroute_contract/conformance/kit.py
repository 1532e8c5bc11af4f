"""The conformance run against one service's replacement, over AMQP only: the kit
plays every other party of the bus (see :mod:`.kit_bus`) and runs the checks of
:mod:`.kit_checks` in order, into one report."""

from __future__ import annotations

from zroute_contract.conformance.kit_bus import (
    CONSUMED,
    DEAD_LETTERS,
    IDEMPOTENCY,
    OUTPUTS,
    TOPOLOGY,
    DeadLetter,
    KitConfig,
)
from zroute_contract.conformance.kit_checks import KitChecks
from zroute_contract.conformance.report import Outcome, Report

__all__ = [
    "CONSUMED",
    "DEAD_LETTERS",
    "IDEMPOTENCY",
    "OUTPUTS",
    "TOPOLOGY",
    "DeadLetter",
    "KitConfig",
    "Outcome",
    "run",
]


async def run(config: KitConfig) -> Report:
    """Run every check against ``config.service`` and return the report."""
    return await _Kit(config).run()


class _Kit(KitChecks):
    async def run(self) -> Report:
        await self._connect()
        try:
            if await self._topology():
                await self._watch()
                # Mandatory-publish probes first, while the kit binds only <service>.#.
                await self._masking()
                await self._bindings()
                pending = await self._consumed_types()
                await self._capture_everything()
                await self._dead_lettering()
                scenario = await self._scenario()
                await self._still_consuming("the scenario")
                await self._idempotency(scenario)
                await self._quiet()
                self._judge_consumed(pending)
                self._judge_outputs()
                self.report.timing = (
                    f"slowest answer measured {self.state.slowest:.2f}s; waits for what may "
                    f"not come {self.patience:.2f}s, quiet {self.quiet_seconds:.2f}s "
                    f"(bounds {self.config.min_wait:g}s to --timeout {self.config.timeout:g}s)"
                )
        finally:
            await self.connection.close()
        order = {
            r: i for i, r in enumerate([TOPOLOGY, DEAD_LETTERS, CONSUMED, OUTPUTS, IDEMPOTENCY])
        }
        self.report.results.sort(key=lambda r: order[r.rule])
        return self.report
