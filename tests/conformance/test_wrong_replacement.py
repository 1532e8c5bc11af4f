"""A deliberately wrong replacement of planning (``wrong_planning.py``) fails the kit,
with a report naming each broken rule."""

from __future__ import annotations

from zroute_contract.conformance import KitConfig, Outcome, run

from tests.conformance.wrong_planning import WRONG_KEY


async def test_a_wrong_replacement_fails_the_kit_naming_each_broken_rule(
    wrong_planning, amqp_url, name_prefix
):
    report = await run(
        KitConfig(amqp_url=amqp_url, service="planning", prefix=name_prefix, timeout=2, quiet=0.5)
    )
    rendered = report.render()
    print(rendered)

    assert report.exit_code == 1
    assert "DOES NOT CONFORM" in rendered
    failed = {r.name for r in report.failures}
    bad_input = {r.name for r in report.results if r.name.startswith("dead-lettered: ")}
    # Every bad shape, and a wrong type on every key (14 since pip-established,
    # term-extended and final-meeting-held joined planning's 11; 18 since the pauses of
    # issue 15: participant-paused/-resumed, care-pause-started/-ended; 19 since
    # participant-moved-in, which moves the participant to the new municipality; 20 since
    # participant-records-deleted, B 9.9's deletions).
    assert len(bad_input) == 10 + 20
    assert failed == bad_input | {
        "consumed: partner-updated",
        # It publishes without content type or persistence (a bare aio_pika.Message).
        "outputs: message properties (content type, persistent, message id)",
        "outputs: routing key (with .<partner-id> when addressed)",
        "redelivered input has no second effect",
    }, rendered
    assert (
        "acked, dropped, or left unacknowledged?"
        in report.result("dead-lettered: non-JSON body").detail
    )
    assert report.result("consumed: partner-updated").detail == (
        "no queue is bound for support.partner.updated"
    )
    routing = report.result("outputs: routing key (with .<partner-id> when addressed)").detail
    assert f"published with '{WRONG_KEY}', expected 'planning.plan.activated' (x" in routing
    redelivery = report.result("redelivered input has no second effect").detail
    assert "the redelivery added +1 plan-activated" in redelivery
    # What it does right is not held against it.
    for name in (
        "queue has a consumer",
        "keeps consuming after bad input",
        "scenario: plan-activated for the participant",
        "outputs: AMQP message_id = CloudEvent id",
        "outputs: sequence increases per source",
    ):
        assert report.result(name).outcome is Outcome.PASS, rendered


async def test_nothing_there_fails_on_topology_and_stops(amqp_url, name_prefix):
    report = await run(KitConfig(amqp_url=amqp_url, service="support", prefix=name_prefix))

    assert report.exit_code == 1
    assert [(r.name, r.outcome) for r in report.results] == [
        ("events exchange exists", Outcome.FAIL)
    ]
    assert f"{name_prefix}.events" in report.results[0].detail


async def test_a_queue_nobody_consumes_fails_on_topology(
    amqp_connection, amqp_url, name_prefix, janitor
):
    channel = await amqp_connection.channel()
    await channel.declare_exchange(f"{name_prefix}.events", "topic", durable=True)
    await channel.declare_queue(f"{name_prefix}.support", durable=True)
    janitor.exchanges.add(f"{name_prefix}.events")
    janitor.queues.add(f"{name_prefix}.support")

    report = await run(KitConfig(amqp_url=amqp_url, service="support", prefix=name_prefix))

    failed = {r.name: r.detail for r in report.failures}
    assert failed["queue has a consumer"] == (
        f"nobody consumes {name_prefix}.support: is the service running?"
    )
    assert failed["dead-letter queue exists"] == f"{name_prefix}.support.dead-letter not found"
    assert failed["remaining checks"] == "not run: the service's topology is missing"
