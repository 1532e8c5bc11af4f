"""The kit's mutation suite: every deliberately broken replacement fails the kit, naming
the rule it breaks, and the correct replacement passes (issue 13).

The mutants (``replacement.MUTANTS``) are small, realistic mistakes of a partner's team,
spread over every row of the table in docs/conformance.md; each runs as one in-process
replacement with its mutation switch, so a mutant costs one kit run.
"""

from __future__ import annotations

import pytest
from zroute_contract.conformance import KitConfig, Outcome, run

from tests.conformance.replacement import MUTANTS, SLOW_S, Replacement

TIMEOUT = 3.0
# A correct replacement answers every probe, so a longer bound costs it nothing; it only
# keeps a busy machine (a second suite beside this one) from failing a correct run on one
# slow answer. The mutants keep the short bound: several of them never answer.
CORRECT_TIMEOUT = 15.0


def config(amqp_url, name_prefix, service, timeout=TIMEOUT):
    return KitConfig(amqp_url=amqp_url, service=service, prefix=name_prefix, timeout=timeout)


@pytest.mark.parametrize("service", ["planning", "notifications"])
async def test_the_correct_replacement_passes(
    service, amqp_connection, amqp_url, name_prefix, janitor
):
    await Replacement(amqp_connection, name_prefix, service).start(janitor)
    report = await run(config(amqp_url, name_prefix, service, CORRECT_TIMEOUT))
    print(report.render())
    assert report.passed, report.render()
    assert {r.rule for r in report.results} == {"1", "2", "3", "4", "5"}


async def test_a_slow_correct_replacement_passes_with_waits_measured_from_it(
    amqp_connection, amqp_url, name_prefix, janitor
):
    """The kit's waits follow the replacement's pace (measured, bounded by the timeout),
    not a fixed number: a replacement taking SLOW_S per message still conforms, and the
    report says what it measured."""
    await Replacement(amqp_connection, name_prefix, "planning", "slow").start(janitor)
    report = await run(config(amqp_url, name_prefix, "planning", CORRECT_TIMEOUT))
    assert report.passed, report.render()
    measured = float(report.timing.split("slowest answer measured ")[1].split("s")[0])
    assert measured >= SLOW_S, report.timing
    assert f"--timeout {CORRECT_TIMEOUT:g}s" in report.timing


@pytest.mark.parametrize("mutant", MUTANTS, ids=[f"{m.service}:{m.mutation}" for m in MUTANTS])
async def test_each_mutant_fails_naming_its_rule(
    mutant, amqp_connection, amqp_url, name_prefix, janitor
):
    await Replacement(amqp_connection, name_prefix, mutant.service, mutant.mutation).start(janitor)
    report = await run(config(amqp_url, name_prefix, mutant.service))
    rendered = report.render()
    assert report.exit_code == 1, rendered
    failed = [r.name for r in report.failures]
    assert any(name.startswith(mutant.caught_by) for name in failed), (
        f"{mutant.mutation} ({mutant.mistake}) should fail {mutant.caught_by!r}; "
        f"failed: {failed}\n{rendered}"
    )


def test_the_mutants_are_many_and_spread():
    assert len(MUTANTS) >= 25
    assert {m.service for m in MUTANTS} == {"planning", "notifications"}
    assert len({(m.service, m.mutation) for m in MUTANTS}) == len(MUTANTS)
    assert len({m.caught_by for m in MUTANTS}) >= 20


async def test_a_foreign_binding_that_masks_the_probes_is_reported(
    amqp_connection, amqp_url, name_prefix, janitor
):
    """A capture tool binding '#' makes every mandatory probe routable: the kit says so,
    and a forgotten binding is reported as not checkable instead of passing."""
    await Replacement(amqp_connection, name_prefix, "notifications", "forgot-binding").start(
        janitor
    )
    channel = await amqp_connection.channel()
    exchange = await channel.get_exchange(f"{name_prefix}.events")
    tap = await channel.declare_queue(f"{name_prefix}.capture-tool", auto_delete=True)
    janitor.queues.add(tap.name)
    await tap.bind(exchange, routing_key="#")

    report = await run(config(amqp_url, name_prefix, "notifications"))
    rendered = report.render()
    masking = report.result("mandatory probes not masked by a foreign binding")
    assert masking.outcome is Outcome.NOT_APPLICABLE, rendered
    assert "intake.*" in masking.detail and "support.*" in masking.detail
    forgotten = report.result("consumed: consent-withdrawn")
    assert forgotten.outcome is Outcome.NOT_APPLICABLE, rendered
    assert "cannot be told apart" in forgotten.detail
    assert any("masks the mandatory-publish probes" in u for u in report.unchecked)
    assert "Not checked from outside:" in rendered
