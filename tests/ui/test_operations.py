"""The municipality coordinator and the operator in a real browser, on the notifications
service's screens: the coordinator reads the overview, finds a failed message in the
delivery log and sends it again; the operator reads a dead letter's reason and replays it.
axe-core finds no WCAG 2.1 A/AA violation on any of these pages."""

from __future__ import annotations

import aio_pika
from playwright.async_api import expect
from zroute_contract.envelope import build_event
from zroute_contract.events import intake
from zroute_contract.types import new_participant_ref
from zroute_runtime.consumer import (
    FAILED_AT_HEADER,
    REASON_CODE_HEADER,
    REASON_HEADER,
    REASON_KIND_HEADER,
    REASON_PARAMS_HEADER,
    RETRIES_HEADER,
)
from zroute_ui.testing import DEMO_USERS, ui_settings

from tests.helpers import wait_for
from tests.notifications import world
from tests.notifications.conftest import smtp  # noqa: F401 (the fixture)
from tests.notifications.integration.test_overview import _build_programme
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import free_port


async def _start(services, smtp, issuer):  # noqa: F811
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    runtime = await world.start(
        services,
        smtp.port,
        http_port=port,
        **ui_settings(issuer, "notifications", {"notifications": base}),
    )
    return runtime, base


async def _failed_email(runtime, event_id):
    rows = [r for r in await world.notifications(runtime, event_id) if r["channel"] == "email"]
    return rows[0] if len(rows) == 1 and rows[0]["status"] == "failed" else None


async def test_a_coordinator_reads_the_overview_and_sends_a_failed_message_again(
    services,
    smtp,  # noqa: F811
    amqp_connection,
    issuer,
    browser,
    tmp_path,
):
    runtime, base = await _start(services, smtp, issuer)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    await _build_programme(feed, runtime)
    ref = new_participant_ref()
    await feed.publish(world.registered(ref))
    await feed.publish(world.contact(ref))
    await feed.all_handled(runtime)
    smtp.fail_with = "550 5.1.1 Mailbox unavailable"  # a permanent failure: no retries
    event_id = await feed.publish(world.event(intake.IntakeCompleted, ref))
    await wait_for(lambda: _failed_email(runtime, event_id), what="the failed message")
    shots = screenshot_dir(tmp_path)

    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/programmes/{world.PROGRAMME}/overview")
    await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
    await expect(page.locator("#hours-chart")).to_have_attribute("role", "img")
    cohort = page.locator("#cohort-chart")
    await expect(cohort).to_have_attribute("role", "img")
    phases = await page.locator("#phases tbody tr").count()
    await expect(page.locator("#cohort-chart g.cohort-row")).to_have_count(phases)
    assert await page.locator("#cohort-desc").text_content()
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "notifications-overview-cohort.png", full_page=True)

    await page.goto(f"{base}/ui/")  # the start page lists the screens of the user's roles
    await page.get_by_role("main").get_by_role("link", name="Verzendlogboek").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Verzendlogboek")
    await page.get_by_label("Status").select_option("failed")
    await page.get_by_role("button", name="Filteren").click()
    row = page.get_by_role("row").filter(has_text=ref).filter(has_text="intake-completed")
    await expect(row).to_contain_text("mislukt")
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "notifications-deliveries.png", full_page=True)

    smtp.fail_with = None
    await row.get_by_role("button", name="Opnieuw versturen").click()
    await expect(page.get_by_role("status")).to_have_text("Het bericht wordt opnieuw verstuurd.")
    await wait_for(
        lambda: any("Intake" in m["Subject"] for m in smtp.to("anna@lead.test")),
        what="the re-sent mail",
    )
    assert await axe_violations(page) == []

    # Who is told what, and the inbox of the participant's contact person.
    await page.goto(f"{base}/ui/matrix")
    rule = page.get_by_role("row").filter(has_text="nl.zroute.intake.contact-person-assigned.v1")
    await expect(rule.first).to_contain_text("contactpersoon")
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "notifications-matrix.png", full_page=True)
    await page.goto(f"{base}/ui/inbox")
    await page.get_by_label("Soort ontvanger").select_option("operator")
    await page.get_by_label("Ontvanger", exact=True).fill("operator")
    await page.get_by_role("button", name="Tonen").click()
    # The API's scope: a coordinator of one municipality does not read the operator's inbox.
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "U hebt geen toegang tot deze pagina"
    )
    await page.goto(f"{base}/ui/inbox?kind=staff&ref={world.COACH}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Postvak: {world.COACH}")
    await expect(page.get_by_role("heading", level=2).first).to_be_visible()
    assert await axe_violations(page) == []
    await context.close()


async def test_a_message_to_a_role_nobody_holds_names_the_role_in_the_delivery_log(
    services,
    smtp,  # noqa: F811
    amqp_connection,
    issuer,
    browser,
    tmp_path,
):
    """Before any agreement the programme has no lead partner: the contact person's
    assignment fails for that role, and the log says which role in words, not its code."""
    runtime, base = await _start(services, smtp, issuer)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    ref = new_participant_ref()
    await feed.publish(world.registered(ref))
    event_id = await feed.publish(world.contact(ref))
    await feed.all_handled(runtime)
    nobody = [
        r
        for r in await world.notifications(runtime, event_id)
        if r["recipient_kind"] == "unresolved"
    ]
    assert {(r["recipient_ref"], r["status"]) for r in nobody} == {("lead_partner", "failed")}

    context = await browser.new_context(bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{base}/ui/deliveries?status=failed")
    await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
    row = page.get_by_role("row").filter(has_text=ref).filter(has_text="contact-person-assigned")
    await expect(row).to_contain_text("hoofdpartner")
    await expect(row).to_contain_text("ontvanger onbekend")
    await expect(row.get_by_role("button")).to_have_count(0)  # nobody to send it to again
    assert await axe_violations(page) == []
    await keep_screenshot(page, screenshot_dir(tmp_path) / "notifications-deliveries-nobody.png")
    await context.close()


async def test_an_operator_reads_a_dead_letters_reason_and_replays_it(
    services,
    smtp,  # noqa: F811
    amqp_connection,
    issuer,
    browser,
    tmp_path,
):
    runtime, base = await _start(services, smtp, issuer)
    ref = new_participant_ref()
    envelope = build_event(
        world.registered(ref), source=world.SOURCE, sequence=1, correlation_id="c-test"
    )
    # As the consumer leaves a message it gave up on (docs/delivery-guarantees.md).
    channel = await amqp_connection.channel(publisher_confirms=True)
    await channel.default_exchange.publish(
        aio_pika.Message(
            envelope.to_json(),
            message_id=envelope.id,
            type=envelope.type,
            headers={
                REASON_KIND_HEADER: "retries-exhausted",
                REASON_HEADER: "handler failed after 6 attempts: the database was unavailable",
                REASON_CODE_HEADER: "handler_failed",
                REASON_PARAMS_HEADER: '{"attempts": 6}',
                FAILED_AT_HEADER: "2026-12-06T05:00:00+00:00",
                RETRIES_HEADER: 5,
                "x-zroute-routing-key": world.registered(ref).routing_key(),
            },
        ),
        routing_key=runtime.topology.dead_letter_queue,
    )
    await channel.close()
    shots = screenshot_dir(tmp_path)

    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/dead-letters")
    await page.get_by_role("button", name=DEMO_USERS["operator"].sub).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dode berichten")
    row = page.get_by_role("row").filter(has_text=envelope.id)
    # The reason in Dutch from its code, the time in Amsterdam's (UTC+1 in December),
    # written out; the runtime's English sentence only folded away as technical detail.
    await expect(row).to_contain_text("Het verwerken van de gebeurtenis is 6 keer achter elkaar")
    await expect(row).to_contain_text("6 december 2026, 06:00")
    await expect(row).to_contain_text("pogingen op")
    await expect(row.get_by_text("the database was unavailable")).to_be_hidden()
    assert "2026-12-06T05:00" not in await row.inner_text()
    await row.get_by_text("Technische toelichting").click()
    await expect(row.get_by_text("the database was unavailable")).to_be_visible()
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "notifications-dead-letters.png", full_page=True)

    await row.get_by_role("button", name="Opnieuw afspelen").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Het bericht staat weer in de wachtrij van zijn dienst."
    )
    await expect(page.get_by_role("row").filter(has_text=envelope.id)).to_have_count(0)
    assert await axe_violations(page) == []
    await page.goto(f"{base}/ui/subscriptions")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Webhookabonnementen")
    assert await axe_violations(page) == []
    await context.close()

    async def handled():
        return await runtime.pool.fetchval(
            "SELECT count(*) FROM nt_events WHERE event_id = $1::uuid", envelope.id
        )

    await wait_for(handled, what="the replayed event handled")
