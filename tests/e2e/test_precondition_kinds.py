"""Issue 17 item 8 end to end, through the real intake, support and planning services
(in-process, one broker prefix, so each hears the others' events): the caseworker records
a configured precondition kind (a digital device) on the intake's outcome; support routes
it to the partner the task division names for the kind's task, that partner arranges it,
and planning's gate opens: the plan gets its start date.

Before this change intake refused (or dropped) ``other_preconditions``, support never
recorded the kind, and the plan stayed waiting for it for good."""

from __future__ import annotations

import httpx
from zroute_contract.events.base import SERVICES
from zroute_intake.bootstrap import definition as intake_definition
from zroute_intake.settings import Settings as IntakeSettings
from zroute_planning.bootstrap import definition as planning_definition
from zroute_planning.domain.rules import GroupRules, PlanningRules
from zroute_planning.settings import Settings as PlanningSettings
from zroute_runtime.auth import Role
from zroute_runtime.topology import declare_catalogue
from zroute_support.bootstrap import definition as support_definition
from zroute_support.settings import Settings as SupportSettings

from tests.helpers import capture, token, wait_for
from tests.intake import builders
from tests.intake.integration.flow import complete, ok
from tests.intake.integration.test_pip import established
from tests.support.scenario import Scenario

DEVICE = "digital_device"
PLANNER = {"Authorization": f"Bearer {token([Role.COORDINATOR])}"}


async def start_three(services, amqp_connection, janitor):
    """The whole catalogue's queues first (as ``zroute-topology`` does), then intake,
    support and planning, each configured with the digital device."""
    names = services.settings()
    channel = await amqp_connection.channel()
    janitor.queues.update(await declare_catalogue(channel, names))
    for service in SERVICES:
        janitor.queues.add(names.name(service, "dead-letter"))
        janitor.queues.update(names.name(service, "retry", str(d)) for d in names.retry_delays_ms)
    await channel.close()
    intake_settings = services.settings(IntakeSettings, intake_precondition_kinds=[DEVICE])
    intake = await services.start(intake_definition(intake_settings), intake_settings)
    support_settings = services.settings(
        SupportSettings,
        precondition_kinds={
            DEVICE: {"task": "language_teaching", "capability": "language_teaching"}
        },
    )
    support = await services.start(support_definition(support_settings), support_settings)
    planning_settings = services.settings(
        PlanningSettings,
        planning_rules=PlanningRules(groups=GroupRules(solver_seconds=1.0)),
        solver_workers=1,
    )
    planning = await services.start(planning_definition(planning_settings), planning_settings)
    return intake, support, planning


async def test_an_outcome_with_a_configured_kind_is_arranged_by_support_and_opens_the_gate(
    services, amqp_connection, janitor
):
    intake, support, planning = await start_three(services, amqp_connection, janitor)
    seen = await capture(amqp_connection, support.topology.exchange)
    partners = Scenario(support, seen, amqp_connection)
    try:
        await partners.register_partners()
        recorded = await partners.client().post(
            f"/programmes/{builders.PROGRAMME}/agreements", json=partners.agreement_body()
        )
        assert recorded.status_code == 201, recorded.text
        async with (
            httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{intake.http_port}", headers=builders.auth(), timeout=10
            ) as client,
            httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{planning.http_port}", headers=PLANNER, timeout=10
            ) as plans,
        ):
            await drive(client, plans, intake, partners)
    finally:
        await partners.close()


async def drive(client, plans, intake, partners: Scenario) -> None:
    ref = ok(await client.post("/participants", json=builders.registration()), 201)[
        "participant_ref"
    ]
    nothing_else = {"needed": False}
    # An unconfigured kind is refused with the reason; the configured one is recorded.
    unknown = await client.post(
        f"/participants/{ref}/intake/outcome",
        json=builders.outcome(
            childcare=nothing_else, transport=nothing_else, care_signals=[],
            other_preconditions=["medical_aid"],
        ),
    )  # fmt: skip
    assert unknown.status_code == 422 and "medical_aid" in unknown.text, unknown.text
    done = await complete(
        client, intake, ref, childcare=nothing_else, transport=nothing_else, care_signals=[],
        other_preconditions=[DEVICE],
    )  # fmt: skip
    recorded = done["intake"]["outcome"]["outcome"]
    assert recorded["other_preconditions"] == [DEVICE], recorded
    await established(client, ref)

    # Planning holds the plan for the device.
    async def waiting() -> dict | None:
        answer = await plans.get(f"/participants/{ref}/plan")
        return answer.json() if answer.status_code == 200 and answer.json()["waiting_for"] else None

    plan = await wait_for(waiting, what="planning to activate the plan, waiting for the device")
    assert plan["waiting_for"] == [DEVICE] and plan["start_on"] is None, plan

    # Support routed the device to the language teaching task's partner, who arranges it.
    school = partners.partner("school")

    async def routed() -> dict | None:
        listed = (await school.get("/preconditions")).json()
        found = [p for p in listed if p["participant_ref"] == ref and p["code"] == DEVICE]
        return found[0] if found else None

    task = await wait_for(routed, what="support to route the digital device to the school")
    arranged = await school.post(
        f"/preconditions/{task['precondition_id']}/arrange",
        json={"arranged_from": str(builders.TODAY), "days_covered": ["monday", "wednesday"]},
    )
    assert arranged.status_code == 200, arranged.text

    async def started() -> dict | None:
        answer = (await plans.get(f"/participants/{ref}/plan")).json()
        return answer if answer["start_on"] and not answer["waiting_for"] else None

    opened = await wait_for(started, what="planning's gate to open for the arranged device")
    assert opened["start_on"] is not None
