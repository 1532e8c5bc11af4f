"""The participant hears in their own language (issue 18), against the real service: a
published schedule yields the start letter (PDF, their language and Dutch, no name or
address), their message for the page, and a personal page behind a signed link that
refuses expired, forged and revoked links; every link use is logged without personal data."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import httpx
from zroute_contract.events import intake
from zroute_letters import links
from zroute_letters.formatting import clock_time, language_name, long_date, weekday
from zroute_notifications.service_layer.participant import local
from zroute_runtime.auth import Role

from tests.helpers import capture
from tests.notifications import world
from tests.notifications.participants import (
    CATS,
    CONTACT_NAME,
    CONTACT_PHONE,
    opened_link,
    participant,
    put_contact,
    schedule,
)

PRINTING_S = 90
"""How long the first letter's PDF may take on a loaded machine (WeasyPrint's first use)."""


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


async def test_a_published_schedule_gives_the_participant_a_letter_and_a_page_in_arabic_and_dutch(
    services, smtp, amqp_connection, tmp_path, capfd
):
    runtime = await world.start(services, smtp.port)
    bus = await capture(amqp_connection, runtime.topology.exchange, "#")
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await put_contact(runtime)
    ref = await participant(feed, runtime, "ar")
    event_id = await feed.publish(schedule(ref))
    await feed.publish(schedule(ref), event_id=event_id)  # delivered twice by the broker
    await feed.all_handled(runtime)

    # Written as content only (issue 20): the PDF is printed when it is first asked for.
    kept = "SELECT pdf IS NOT NULL FROM nt_letters WHERE participant_ref = $1"
    assert await runtime.pool.fetchval(kept, ref) is False

    # The caseworker of the municipality lists and downloads the letter; another cannot.
    own = world.client(runtime, [Role.CASEWORKER], municipality="GM0363")
    other = world.client(runtime, [Role.CASEWORKER], municipality="GM0599")
    async with own, other:
        listed = (await own.get(f"/participants/{ref}/letters")).json()
        assert len(listed) == 1 and listed[0]["languages"] == ["ar", "nl"]
        assert listed[0]["link_revoked"] is False
        # Printed now: the first letter a service prints loads WeasyPrint and its fonts.
        response = await own.get(listed[0]["pdf"], timeout=PRINTING_S)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert (await other.get(f"/participants/{ref}/letters")).status_code == 403
        assert (await other.get(listed[0]["pdf"])).status_code == 403
        # Printed once and kept: asked again, the same bytes.
        assert await runtime.pool.fetchval(kept, ref) is True
        assert (await own.get(listed[0]["pdf"])).content == response.content
    text = pdf_text(response.content, tmp_path)
    assert CATS.text("nl", "letter.title") in text  # the Dutch page
    assert CATS.text("nl", "letter.greeting") in text  # the general greeting: no name
    assert weekday(datetime(2027, 1, 13).date(), "nl") in text
    assert "09:30" in text and CONTACT_NAME in text
    arabic = CATS.text("ar", "letter.title")
    assert any(word in text for word in arabic.split()), "no Arabic text in the letter"

    # The message for the page: in Arabic, with the Dutch beside it.
    [message] = await runtime.pool.fetch(
        "SELECT * FROM nt_participant_messages WHERE participant_ref = $1", ref
    )
    assert message["kind"] == "group_times" and message["language"] == "ar"
    assert message["direction"] == "rtl"
    assert message["subject"] == CATS.text("ar", "group_times.subject")
    assert "09:30" in message["body_nl"] and "maandag" in message["body_nl"]

    # The personal page, no login: the link of the letter is the key.
    link, token = await opened_link(runtime, ref)
    key = runtime.definition.deps.settings.page_link_keys()[0]
    base = f"http://127.0.0.1:{runtime.http_port}"
    async with httpx.AsyncClient(base_url=base) as anonymous:
        page = await anonymous.get(f"/p/{token}")
        assert page.status_code == 200, page.text
        assert '<html lang="ar" dir="rtl">' in page.text
        assert weekday(datetime(2027, 1, 11).date(), "ar") in page.text
        assert "maandag" in page.text and "09:30" in page.text
        assert CONTACT_NAME in page.text and page.headers["cache-control"] == "no-store"
        # The recording's label names its language, not its code: "(العربية)", never "(ar)".
        assert "(ar)" not in page.text and f"({language_name('ar')})" in page.text
        audio = await anonymous.get(f"/p/{token}/week.wav")
        assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
        assert audio.headers["content-language"] == "ar"

        expired = links.sign(key, link["link_id"], datetime.now(UTC) - timedelta(minutes=1))
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        other_key = links.sign(b"k" * 32, link["link_id"], link["expires_at"])
        refused = {
            "expired": await anonymous.get(f"/p/{expired}"),
            "forged": await anonymous.get(f"/p/{forged}"),
            "other key": await anonymous.get(f"/p/{other_key}"),
            "malformed": await anonymous.get("/p/not-a-token"),
            "expired audio": await anonymous.get(f"/p/{expired}/week.wav"),
        }
        assert {k: r.status_code for k, r in refused.items()} == {
            "expired": 410,
            "forged": 404,
            "other key": 404,
            "malformed": 404,
            "expired audio": 410,
        }
        assert "werkt niet meer" in refused["expired"].text
        assert "bestaat niet" in refused["forged"].text
        assert all("Sanne" not in r.text and "09:30" not in r.text for r in refused.values())

        # The caseworker revokes the links (a lost letter): the page is gone at once.
        async with world.client(runtime, [Role.CASEWORKER], municipality="GM0363") as own:
            revoked = await own.post(f"/participants/{ref}/links/revoke")
            assert revoked.json() == {"revoked": 1}
            assert (await own.get(f"/participants/{ref}/letters")).json()[0]["link_revoked"]
        gone = await anonymous.get(f"/p/{token}")
        assert gone.status_code == 410 and "ingetrokken" in gone.text

    # The privacy scan: no contact person's name or phone, no page token on the bus or in
    # the log; the page's log lines name the link, never the participant.
    output = capfd.readouterr()
    logged = output.out + output.err
    published = [m.body.decode() for m in bus.messages]
    assert published and logged
    for secret in (CONTACT_NAME, CONTACT_PHONE, token.rsplit(".", 1)[1]):
        assert secret not in logged and not any(secret in body for body in published)
    # Every use of a link logged: the link id (ours, or "-" for a forged one) and the
    # outcome only; nothing written to the database by opening a page.
    used = [
        dict(field.split("=", 1) for field in line.split("page_link_used", 1)[1].split())
        for line in logged.splitlines()
        if "page_link_used" in line
    ]
    assert [(u["link_id"], u["outcome"]) for u in used] == [
        (link["link_id"], "ok"),
        (link["link_id"], "ok"),
        (link["link_id"], "expired"),
        ("-", "bad_signature"),
        ("-", "bad_signature"),
        ("-", "malformed"),
        (link["link_id"], "expired"),
        (link["link_id"], "revoked"),
    ]
    context = {"correlation_id", "request_id"}  # added by the runtime to every line
    assert {frozenset(u) - context for u in used} == {frozenset({"link_id", "outcome"})}
    assert not any(ref in line for line in logged.splitlines() if "page_link_used" in line)


async def test_a_language_without_a_catalogue_falls_back_to_dutch_and_is_counted(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = await participant(feed, runtime, "ps")  # Pashto: no catalogue
    await feed.publish(
        world.event(intake.IntakeScheduled, ref, starts_at="2027-02-01T10:00:00+01:00")
    )
    await feed.all_handled(runtime)
    [message] = await runtime.pool.fetch(
        "SELECT * FROM nt_participant_messages WHERE participant_ref = $1", ref
    )
    assert message["kind"] == "intake_appointment" and message["language"] == "ps"
    assert message["body"] == message["body_nl"]
    assert "maandag 1 februari" in message["body_nl"] and "10:00" in message["body_nl"]
    async with world.client(runtime) as http:
        await http.get("/matrix")
        metrics = (await http.get("/metrics")).text
    counted = [
        line
        for line in metrics.splitlines()
        if line.startswith("zroute_participant_translation_fallbacks_total")
        and 'language="ps"' in line
    ]
    assert counted and all(float(line.rsplit(" ", 1)[1]) >= 1 for line in counted)


async def test_an_established_pip_and_a_progress_meeting_invitation_reach_the_participant_in_ukrainian(
    services, smtp, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = await participant(feed, runtime, "uk")
    pip = world.event(intake.PipEstablished, ref)
    meeting = world.event(intake.ProgressMeetingScheduled, ref)
    await feed.publish(pip)
    await feed.publish(meeting)
    await feed.all_handled(runtime)

    rows = await runtime.pool.fetch(
        "SELECT * FROM nt_participant_messages WHERE participant_ref = $1", ref
    )
    written = {row["kind"]: row for row in rows}
    assert set(written) == {"pip_established", "progress_meeting"}
    for kind, row in written.items():
        assert row["language"] == "uk" and row["direction"] == "ltr"
        assert row["subject"] == CATS.text("uk", f"{kind}.subject")
        assert row["subject_nl"] == CATS.text("nl", f"{kind}.subject")
    assert long_date(pip.dated, "uk") in written["pip_established"]["body"]  # type: ignore[attr-defined]
    starts = local(meeting.starts_at)  # type: ignore[attr-defined]
    assert long_date(starts.date(), "uk") in written["progress_meeting"]["body"]
    assert clock_time(starts.time()) in written["progress_meeting"]["body"]
    # The meeting is the participant's next appointment on their page.
    appointment = await runtime.pool.fetchrow(
        "SELECT * FROM nt_appointments WHERE participant_ref = $1", ref
    )
    assert appointment["starts_at"] == meeting.starts_at  # type: ignore[attr-defined]
    assert appointment["location_id"] == meeting.location_id  # type: ignore[attr-defined]


async def test_a_week_published_again_unchanged_makes_no_second_letter_until_its_link_is_revoked(
    services, smtp, amqp_connection
):
    """Issue 20: planning republishes a week whenever a formation or phase touches the plan;
    each start letter was a new PDF (about a second of CPU) even when it printed the same
    week. Now an unchanged week keeps the letter whose link still works; a changed week, or
    a revoked link, makes a new one."""
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await put_contact(runtime)
    ref = await participant(feed, runtime, "uk")
    await feed.publish(schedule(ref))
    await feed.publish(schedule(ref))  # another event, the same week
    await feed.all_handled(runtime)

    async def letters() -> list[dict]:
        async with world.client(runtime, [Role.CASEWORKER], municipality="GM0363") as own:
            return (await own.get(f"/participants/{ref}/letters")).json()

    assert len(await letters()) == 1

    await feed.publish(schedule(ref, first_start="10:00:00"))  # the week changed
    await feed.all_handled(runtime)
    assert len(await letters()) == 2

    async with world.client(runtime, [Role.CASEWORKER], municipality="GM0363") as own:
        assert (await own.post(f"/participants/{ref}/links/revoke")).json() == {"revoked": 2}
    await feed.publish(schedule(ref, first_start="10:00:00"))  # same week, links revoked
    await feed.all_handled(runtime)
    newest = await letters()
    assert len(newest) == 3 and newest[0]["link_revoked"] is False
