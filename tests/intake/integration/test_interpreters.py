"""Interpreters beyond the intake (issue 17 item 6, issue 18 item 4), against the real
service: intake consumes support's interpreter-confirmed and interpreter-declined and
shows, on the intake and on each progress meeting that asks for an interpreter, whether
one is requested, confirmed or declined. An answer counts only for the time it was given
for: a rescheduled intake shows as requested again."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from zroute_contract.events.codes import InterpreterAppointment
from zroute_contract.events.support import InterpreterConfirmed, InterpreterDeclined

from tests.intake import builders
from tests.intake.integration.flow import ok, register, schedule
from tests.intake.integration.test_pip import completed, day, established
from tests.intake.integration.test_relations import publish

INTERPRETERS = "tolkenpool"
REQUESTED = {"language": "ar", "mode": "phone", "status": "requested"}


def _answer(cls, ref: str, **fields):
    extra = {"reason": "too_short_notice", "declined_by": "tolk-desk"}
    if cls is InterpreterConfirmed:
        extra = {"confirmed_by": "tolk-desk"}
    return cls(
        participant_ref=ref,
        programme_id="amsterdam-z",
        request_id=uuid4(),
        partner_id=INTERPRETERS,
        **fields,
        **extra,
    )


async def _confirm(amqp_connection, intake, ref: str, appointment: dict) -> None:
    await publish(
        amqp_connection,
        intake,
        _answer(
            InterpreterConfirmed,
            ref,
            appointment=InterpreterAppointment.INTAKE,
            intake_id=UUID(appointment["intake_id"]),
            starts_at=datetime.fromisoformat(appointment["starts_at"]),
        ),
    )


async def test_the_intake_shows_the_interpreter_confirmed_until_it_is_moved(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    scheduled = await schedule(client, ref, interpreter=REQUESTED)
    read = ok(await client.get(f"/participants/{ref}"))
    assert read["intake"]["interpreter"]["status"] == "requested"

    await _confirm(amqp_connection, intake, ref, scheduled["intake"]["appointment"])
    shown = ok(await client.get(f"/participants/{ref}"))["intake"]["interpreter"]
    assert (shown["status"], shown["partner_id"]) == ("confirmed", INTERPRETERS)

    moved = await schedule(client, ref, days_ahead=9, interpreter=REQUESTED)  # asked anew
    read = ok(await client.get(f"/participants/{ref}"))
    assert read["intake"]["interpreter"]["status"] == "requested"

    # Held without a confirmed interpreter: refused as before; once the partner confirmed
    # for the new time through support, the outcome is recorded.
    await intake.advance_clock(timedelta(days=10))
    outcome = f"/participants/{ref}/intake/outcome"
    refused = await client.post(outcome, json=builders.outcome())
    assert refused.status_code == 409 and "interpreter" in refused.text
    await _confirm(amqp_connection, intake, ref, moved["intake"]["appointment"])
    ok(await client.post(outcome, json=builders.outcome()))


async def test_a_progress_meeting_shows_the_interpreter_declined_with_the_reason(
    intake, client, amqp_connection
):
    ref = await completed(client, intake)
    await established(client, ref, progress_meetings=2)
    base = f"/participants/{ref}/progress-meetings"
    ok(await client.put(f"{base}/plan", json={"due_on": [str(day(40)), str(day(120))]}))
    starts = builders.CLOCK_START + timedelta(days=40)
    invitation = {
        "starts_at": starts.isoformat(), "location_id": "town-hall",
        "interpreter_needed": True, "interpreter_language": "ar",
    }  # fmt: skip
    ok(await client.post(f"{base}/1/invitation", json=invitation))
    [asked] = ok(await client.get(base))["interpreters"]
    assert (asked["meeting_number"], asked["status"]) == (1, "requested")

    await publish(
        amqp_connection,
        intake,
        _answer(
            InterpreterDeclined,
            ref,
            appointment=InterpreterAppointment.PROGRESS_MEETING,
            meeting_number=1,
            starts_at=starts,
        ),
    )
    [declined] = ok(await client.get(base))["interpreters"]
    assert (declined["status"], declined["reason"]) == ("declined", "too_short_notice")
