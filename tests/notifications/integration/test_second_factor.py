"""The personal page's second factor (issue 18, item 4) against the real intake and
notifications services: with ``ZROUTE_PAGE_SECOND_FACTOR=date_of_birth`` the page asks
for the date of birth, which intake checks (only yes or no comes back, access-logged);
a wrong one says so with the tries left, too many lock the link, a right one opens the
page for a while; every use is logged with the link id and outcome only."""

from __future__ import annotations

import httpx
from zroute_contract.events import intake as intake_events
from zroute_intake.bootstrap import definition as intake_definition
from zroute_intake.settings import Settings as IntakeSettings
from zroute_notifications.service_layer.handlers.page import SESSION_COOKIE

from tests.helpers import wait_for
from tests.intake import builders
from tests.intake.integration.flow import ok
from tests.notifications import world
from tests.notifications.participants import opened_link, put_contact, schedule

BORN = "1984-03-12"  # builders.registration's date of birth
ATTEMPTS = 3


async def page_behind_second_factor(services, smtp) -> tuple[object, object, str]:
    """Intake and notifications running, one participant of intake with a published
    week in notifications; returns both runtimes and the participant's reference."""
    settings = services.settings(IntakeSettings)
    intake = await services.start(intake_definition(settings), settings)
    nt = await world.start(
        services,
        smtp.port,
        intake_api_url=f"http://127.0.0.1:{intake.http_port}",
        page_second_factor="date_of_birth",
        page_second_factor_attempts=ATTEMPTS,
    )
    await put_contact(nt)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{intake.http_port}", headers=builders.auth()
    ) as caseworker:
        body = builders.registration()
        assert body["date_of_birth"] == BORN
        ref = ok(await caseworker.post("/participants", json=body), 201)["participant_ref"]
    return intake, nt, ref


async def letter_link(nt, amqp_connection, ref: str) -> tuple[object, str]:
    feed = world.Feed(amqp_connection, nt.topology.exchange)
    await feed.publish(world.agreement())
    registered = world.event(
        intake_events.ParticipantRegistered, ref, municipality="GM0363", preferred_language="ar"
    )
    await feed.publish(registered)
    await feed.publish(world.contact(ref))
    await feed.publish(schedule(ref))

    async def letter_written() -> bool:
        return bool(
            await nt.pool.fetchval(
                "SELECT count(*) FROM nt_letters WHERE participant_ref = $1", ref
            )
        )

    # The letter's PDF takes seconds on a busy machine: a longer wait than the default.
    await wait_for(letter_written, timeout=90, what="the start letter and its link")
    return await opened_link(nt, ref)


async def test_the_page_asks_for_the_date_of_birth_and_opens_after_the_right_one(
    services, smtp, amqp_connection, capfd
):
    intake, nt, ref = await page_behind_second_factor(services, smtp)
    link, token = await letter_link(nt, amqp_connection, ref)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{nt.http_port}") as visitor:
        asked = await visitor.get(f"/p/{token}")
        assert asked.status_code == 200 and "Uw geboortedatum" in asked.text
        # In the participant's language (Arabic, right to left) with the Dutch beside it.
        assert '<html lang="ar" dir="rtl">' in asked.text and "تاريخ ميلادك" in asked.text
        assert "09:30" not in asked.text and "Sanne" not in asked.text  # nothing of the week
        assert (await visitor.get(f"/p/{token}/week.wav")).status_code == 404

        invalid = await visitor.post(f"/p/{token}", data={"date_of_birth": "12-03-1984"})
        assert invalid.status_code == 422 and "Typ een datum" in invalid.text
        assert "اكتب تاريخًا" in invalid.text
        wrong = await visitor.post(f"/p/{token}", data={"date_of_birth": "1984-12-03"})
        assert wrong.status_code == 403
        assert f"U kunt het nog {ATTEMPTS - 1} keer proberen" in wrong.text
        assert f"يمكنك المحاولة {ATTEMPTS - 1} مرات أخرى" in wrong.text
        assert "09:30" not in wrong.text

        right = await visitor.post(f"/p/{token}", data={"date_of_birth": BORN})
        assert right.status_code == 303 and SESSION_COOKIE in right.headers["set-cookie"]
        assert "httponly" in right.headers["set-cookie"].lower()
        page = await visitor.get(f"/p/{token}")  # the client keeps the cookie
        assert page.status_code == 200 and "09:30" in page.text
        # The audio opens with the session too (no second "asked" below); whether it is
        # spoken depends on espeak-ng being installed, which test_participant covers.
        await visitor.get(f"/p/{token}/week.wav")

    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{intake.http_port}", headers=builders.auth()
    ) as caseworker:
        reads = ok(await caseworker.get(f"/participants/{ref}/access-log"))
    # The participant's own messages also look up an e-mail address (purpose
    # participant_message); the page's checks are the reads of purpose page_second_factor.
    checks = [r for r in reads if r["purpose"] != "participant_message"]
    assert [(r["actor"], r["purpose"], r["fields"]) for r in checks] == [
        ("notifications", "page_second_factor", ["date_of_birth"])
    ] * 2  # the wrong and the right answer; the invalid one never reached intake
    assert all(r["fields"] == ["email"] for r in reads if r["purpose"] == "participant_message")

    logged = "".join(capfd.readouterr())
    uses = [
        dict(field.split("=", 1) for field in line.split("page_second_factor", 1)[1].split())
        for line in logged.splitlines()
        if "page_second_factor" in line and "outcome=" in line
    ]
    assert [u["outcome"] for u in uses] == ["asked", "asked", "wrong", "right"]
    assert {u["link_id"] for u in uses} == {link["link_id"]}
    assert {frozenset(u) for u in uses} == {frozenset({"link_id", "outcome", "request_id"})}
    for secret in (BORN, "1984-12-03", "Amina", "Haddad", token.rsplit(".", 1)[1]):
        assert secret not in logged, secret


async def test_too_many_wrong_dates_lock_the_link_even_for_the_right_one(
    services, smtp, amqp_connection
):
    _, nt, ref = await page_behind_second_factor(services, smtp)
    _, token = await letter_link(nt, amqp_connection, ref)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{nt.http_port}") as visitor:
        answers = [
            (await visitor.post(f"/p/{token}", data={"date_of_birth": "2000-01-01"})).status_code
            for _ in range(ATTEMPTS)
        ]
        assert answers == [403] * (ATTEMPTS - 1) + [429]
        locked = await visitor.post(f"/p/{token}", data={"date_of_birth": BORN})
        assert locked.status_code == 429 and "Te vaak een verkeerde datum" in locked.text
        assert "<form" not in locked.text
        assert "09:30" not in (await visitor.get(f"/p/{token}")).text
