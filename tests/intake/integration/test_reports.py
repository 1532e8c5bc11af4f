"""Issue 15 item 7: the management report of the municipality, from intake's own PIP
case and meetings and from planning's and support's events (attendance, referrals), as
JSON, CSV and a spreadsheet; the municipality's scope applies.

Before issue 15 there was no report: ``/reports/management`` answered 404, and intake
consumed no attendance or referral events.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

import aio_pika
from openpyxl import load_workbook
from zroute_contract.envelope import build_event
from zroute_contract.events import planning, support

from tests.contract.samples import sample_event
from tests.helpers import token, wait_for
from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register
from tests.intake.integration.test_pip import day, established

PLANNING = "urn:nld:oin:00000001002220647000:systeem:zroute-planning"
SUPPORT = "urn:nld:oin:00000001002220647000:systeem:zroute-support"


async def publish(amqp_connection, intake, event, source: str, at: datetime | None = None) -> None:
    envelope = build_event(
        event,
        source=source,
        sequence=1,
        correlation_id="c-report",
        subject=event.participant_ref,
        time=at,
    )
    channel = await amqp_connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(intake.topology.exchange)
    await exchange.publish(
        aio_pika.Message(envelope.to_json(), message_id=envelope.id),
        routing_key=event.routing_key(),
    )
    await channel.close()


def attendance(ref: str, kind: str, hours: float, status: str = "present"):
    return sample_event(
        planning.AttendanceRecorded,
        participant_ref=ref,
        session_id=uuid.uuid4(),
        session_on=builders.TODAY,
        kind=kind,
        status=status,
        hours=hours,
    )


async def rows_in(intake, table: str) -> int:
    return await intake.pool.fetchval(f"SELECT count(*) FROM {table}")


async def cohort(client, intake, amqp_connection) -> dict[str, str]:
    """Three participants: one on the route (PIP, hours, a referral), one whose PIP is
    overdue, one just registered."""
    on_route = (await register(client))["participant_ref"]
    await complete(client, intake, on_route)
    ok(await client.put(
        f"/participants/{on_route}/pip/deadline-start", json={"duo_notice_on": str(day(0))}
    ))  # fmt: skip
    await established(client, on_route)
    late = (await register(client))["participant_ref"]
    await complete(client, intake, late)
    ok(await client.put(
        f"/participants/{late}/pip/deadline-start",
        json={"duo_notice_on": str(day(8) - timedelta(weeks=11))},
    ))  # fmt: skip
    fresh = (await register(client))["participant_ref"]
    for kind, hours in (("language", 3), ("knm", 2), ("participation", 4), ("map", 1.5)):
        await publish(amqp_connection, intake, attendance(on_route, kind, hours), PLANNING)
    await publish(
        amqp_connection,
        intake,
        attendance(on_route, "language", 0, "absent_without_reason"),
        PLANNING,
    )
    referral = uuid.uuid4()
    asked = datetime(2026, 3, 2, 9, tzinfo=UTC)
    requested = sample_event(
        support.ReferralRequested, participant_ref=on_route, referral_id=referral
    )
    accepted = sample_event(
        support.ReferralAccepted, participant_ref=on_route, referral_id=referral
    )
    await publish(amqp_connection, intake, requested, SUPPORT, asked)
    await publish(amqp_connection, intake, accepted, SUPPORT, asked + timedelta(days=3))

    async def projected() -> bool:
        hours = await rows_in(intake, "intake_report_hours")
        answered = await intake.pool.fetchval(
            "SELECT count(*) FROM intake_report_referrals WHERE answered_at IS NOT NULL"
            " AND requested_at IS NOT NULL"
        )
        return hours == 5 and answered == 1

    await wait_for(projected, what="the attendance and referral events in intake's projection")
    return {"on_route": on_route, "late": late, "fresh": fresh}


async def test_the_management_report_counts_phases_deadlines_hours_meetings_and_referrals(
    intake, client, amqp_connection
):
    refs = await cohort(client, intake, amqp_connection)
    found = ok(await client.get("/reports/management"))
    assert found["participants"] == 3
    assert found["by_phase"]["on_route"] == 1
    assert found["by_phase"]["pip_pending"] == 1
    assert found["by_phase"]["registered"] == 1
    assert found["pips_overdue"] == [refs["late"]]
    [hours] = found["hours"]
    assert hours["participant_ref"] == refs["on_route"]
    # B 3.14: course = NT2 + KNM; participation = PVT + MAP.
    assert (hours["course_hours"], hours["knm_hours"]) == (5, 2)
    assert (hours["participation_hours"], hours["map_hours"]) == (5.5, 1.5)
    assert (hours["course_norm"], hours["participation_norm"]) == (800, 800)
    assert (found["meetings_planned"], found["meetings_held"]) == (4, 0)
    assert found["referrals"]["total"] == 1
    assert found["referrals"]["by_answer"] == {"accepted": 1}
    assert found["referrals"]["median_days_to_answer"] == 3


async def test_the_report_as_csv_and_spreadsheet_holds_the_same_lines(
    intake, client, amqp_connection
):
    refs = await cohort(client, intake, amqp_connection)
    csv_answer = await client.get("/reports/management.csv")
    assert csv_answer.status_code == 200
    assert csv_answer.headers["content-type"].startswith("text/csv")
    lines = csv_answer.text.strip().split("\r\n")
    assert lines[0] == "section,item,participant_ref,value"
    assert f"pip,overdue,{refs['late']}," in lines
    assert f"hours,course,{refs['on_route']},5/800" in lines
    assert "referrals,median_days_to_answer,,3" in lines

    sheet_answer = await client.get("/reports/management.xlsx")
    assert sheet_answer.status_code == 200
    sheet = load_workbook(io.BytesIO(sheet_answer.content)).active
    cells = [
        tuple("" if c is None else str(c) for c in row) for row in sheet.iter_rows(values_only=True)
    ]
    assert [",".join(row) for row in cells] == lines


async def test_the_report_shows_only_the_callers_municipality(intake, client, amqp_connection):
    await cohort(client, intake, amqp_connection)
    other = {"Authorization": f"Bearer {token(['coordinator'], municipality='GM0599')}"}
    found = ok(await client.get("/reports/management", headers=other))
    assert found["participants"] == 0 and found["hours"] == []
    refused = await client.get(
        "/reports/management",
        headers={"Authorization": f"Bearer {token(['partner_staff'], partner_id='care-a')}"},
    )
    assert refused.status_code == 403
