"""The participant's messages by e-mail where they have an address (issue 18, item 3),
against the real intake and notifications services: intake keeps the optional address
with the encrypted personal data (given at registration or by a change); notifications
pulls it at send time as a service principal (access-logged in intake) and sends the
message in the participant's language with the Dutch beside it. No address: no e-mail,
``not_sent`` with the reason in the delivery log, and no failure. The address is never
stored in notifications, never on the bus and never logged."""

from __future__ import annotations

from typing import Any

import httpx
from zroute_contract.events import intake as intake_events
from zroute_intake.bootstrap import definition as intake_definition
from zroute_intake.settings import Settings as IntakeSettings

from tests.helpers import capture, wait_for
from tests.intake import builders
from tests.intake.integration.flow import ok
from tests.notifications import world

AMINA = "amina.haddad@mail.test"
LATER = "later@mail.test"
STARTS_AT = "2027-02-01T10:00:00+01:00"


async def _register(caseworker: httpx.AsyncClient, **changes: Any) -> str:
    body = builders.registration(**changes)
    return str(ok(await caseworker.post("/participants", json=body), 201)["participant_ref"])


async def _tell(feed: world.Feed, ref: str, language: str) -> None:
    await feed.publish(
        world.event(
            intake_events.ParticipantRegistered,
            ref,
            municipality="GM0363",
            preferred_language=language,
        )
    )
    await feed.publish(world.event(intake_events.IntakeScheduled, ref, starts_at=STARTS_AT))


async def _settled(nt: Any, ref: str, count: int = 1) -> list[Any]:
    async def rows() -> list[Any]:
        found = await nt.pool.fetch(
            "SELECT * FROM nt_notifications WHERE participant_ref = $1"
            " AND recipient_kind = 'participant' AND status <> 'pending' ORDER BY created_at",
            ref,
        )
        return list(found) if len(found) >= count else []

    return await wait_for(rows, timeout=30, what=f"the participant's e-mail(s) for {ref}")


async def test_the_participant_with_an_address_gets_the_message_by_e_mail_in_arabic_and_dutch(
    services, smtp, amqp_connection, capfd
):
    settings = services.settings(IntakeSettings)
    intake = await services.start(intake_definition(settings), settings)
    nt = await world.start(
        services, smtp.port, intake_api_url=f"http://127.0.0.1:{intake.http_port}"
    )
    bus = await capture(amqp_connection, nt.topology.exchange, "#")
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{intake.http_port}", headers=builders.auth()
    ) as caseworker:
        with_address = await _register(caseworker, email=AMINA)
        without = await _register(caseworker)
        bad = await caseworker.post("/participants", json=builders.registration(email="no-at"))
        assert bad.status_code == 422 and "email" in bad.text

        feed = world.Feed(amqp_connection, nt.topology.exchange)
        await _tell(feed, with_address, "ar")
        await _tell(feed, without, "uk")
        [sent] = await _settled(nt, with_address)
        [skipped] = await _settled(nt, without)

        # Sent in Arabic with the Dutch beside it; the address came from intake.
        assert sent["status"] == "sent" and sent["language"] == "ar"
        [mail] = smtp.to(AMINA)
        assert mail["Content-Language"] == "ar"
        text = smtp.text(mail)
        assert "موعد" in mail["Subject"] and "Afspraak voor uw intake" in mail["Subject"]
        assert "10:00" in text and "maandag 1 februari" in text
        html = mail.get_body(preferencelist=("html",)).get_content()
        assert 'lang="ar" dir="rtl"' in html and 'lang="nl" dir="ltr"' in html

        # No address: nothing sent, the delivery log says why, and no failure anywhere.
        assert skipped["status"] == "not_sent" and skipped["reason"] == "no_address"
        assert len(smtp.messages) == 1
        reads = ok(await caseworker.get(f"/participants/{with_address}/access-log"))
        assert [(r["actor"], r["purpose"], r["fields"]) for r in reads] == [
            ("notifications", "participant_message", ["email"])
        ]

        # An address given later by a change is used for the next message.
        change = {"reason": "recording_error", "email": LATER}
        changed = await caseworker.post(
            f"/participants/{without}/personal-data/changes",
            json=change,
            headers={"If-Match": '"1"'},
        )
        ok(changed)
        read = await caseworker.get(
            f"/participants/{without}", params={"purpose": "contact_participant"}
        )
        assert ok(read)["personal_data"]["email"] == LATER
    await feed.publish(
        world.event(intake_events.IntakeScheduled, without, starts_at="2027-02-08T10:00:00+01:00")
    )
    await _settled(nt, without, count=2)
    [later] = smtp.to(LATER)
    assert later["Content-Language"] == "uk"

    # The delivery log says it: in the API and on the deliveries screen's filter.
    async with world.client(nt) as http:
        logged = await http.get("/notifications", params={"status": "not_sent"})
    assert logged.status_code == 200, logged.text
    assert any(
        n["participant_ref"] == without and n["reason"] == "no_address" for n in logged.json()
    )

    # The address is in no notifications table, on no event and in no log line.
    dumped = await nt.pool.fetchval(
        "SELECT string_agg(t::text, ' ') FROM nt_notifications t WHERE participant_ref = ANY($1)",
        [with_address, without],
    )
    assert AMINA not in dumped and LATER not in dumped
    on_the_bus = " ".join(m.body.decode() for m in bus.messages)
    assert AMINA not in on_the_bus and LATER not in on_the_bus
    # Not a failure: no notification-failed names the participant as the recipient.
    failed = [b for b in bus.bodies() if b["type"].endswith("notification-failed.v1")]
    assert not [b for b in failed if b["data"]["recipient"]["role"] == "participant"]
    sent = [b for b in bus.bodies() if b["type"].endswith("notification-sent.v1")]
    assert {
        b["data"]["language"] for b in sent if b["data"]["recipient"]["role"] == "participant"
    } == {"ar", "uk"}
    logged = "".join(capfd.readouterr())
    assert AMINA not in logged and LATER not in logged
