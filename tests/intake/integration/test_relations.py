"""Relations from planning and support (issue 18, item 1) against the real service: intake
consumes the events that start and end a partner's relation with a participant (a group,
a placement, an accepted referral) and gives the contact card only while one is current
and a consent covers it; every card given is in the access log."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import aio_pika
from zroute_contract.envelope import build_event
from zroute_contract.events.base import Event
from zroute_contract.events.planning import (
    GroupFormed,
    ParticipantAssignedToGroup,
    ParticipantRemovedFromGroup,
)
from zroute_contract.events.support import (
    InterpreterConfirmed,
    InterpreterDeclined,
    InterpreterWithdrawn,
    JobCoachAssigned,
    PlacementConfirmed,
    PlacementEnded,
    ReferralAccepted,
    ReferralCompleted,
    ReferralRequested,
)
from zroute_runtime.auth import Role
from zroute_runtime.clock import local_day

from tests.contract.samples import sample_event
from tests.helpers import token, wait_for
from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register
from tests.intake.integration.test_contact_card import staff

SOURCES = {
    "planning": "urn:nld:oin:00000001002220647000:systeem:zroute-planning",
    "support": "urn:nld:oin:00000001002220647000:systeem:zroute-support",
}
CARD = "/participants/{ref}/contact-card"
SCHOOL = "lesschool-west"  # teaches the group; attends no intake
COACHING = "werkfit"  # the participation partner and its job coaches
EMPLOYER = "bakkerij-zon"
CARE = "zorgpunt"
OTHERS = ("zr-" + "a" * 32, "zr-" + "b" * 32)


async def publish(amqp_connection, intake, event: Event, sequence: int = 1) -> None:
    """``event`` as its producer publishes it; returns once intake has handled it (its
    inbox holds the event id)."""
    producer = event.spec.producer
    envelope = build_event(
        event,
        source=SOURCES[producer],
        sequence=sequence,
        correlation_id="c-rel",
        subject=getattr(event, "participant_ref", None),
    )
    channel = await amqp_connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(intake.topology.exchange)
    await exchange.publish(
        aio_pika.Message(envelope.to_json(), message_id=envelope.id),
        routing_key=event.routing_key(),
    )
    await channel.close()

    async def handled() -> bool:
        return bool(
            await intake.pool.fetchval(
                "SELECT count(*) FROM zr_inbox WHERE event_id = $1", UUID(envelope.id)
            )
        )

    await wait_for(handled, what=f"intake to handle {event.spec.type}")


async def card(client, ref: str, partner_id: str, purpose: str):
    return await client.get(
        CARD.format(ref=ref), params={"purpose": purpose}, headers=staff(partner_id)
    )


def refused(response, reason: str) -> bool:
    return response.status_code == 403 and response.json()["error"].startswith(f"{reason}:")


async def sharing_consent(client, ref: str, partner_id: str) -> str:
    body = builders.consent(partner_id=partner_id)
    consents = ok(await client.post(f"/participants/{ref}/consents", json=body), 201)
    return next(c["consent_id"] for c in consents["consents"] if c["partner_id"] == partner_id)


async def reads_of(client, ref: str) -> list[dict]:
    return ok(await client.get(f"/participants/{ref}/access-log"))


async def in_group(amqp_connection, intake, ref: str, *, formed_first: bool = True) -> UUID:
    """``ref`` joins a group ``SCHOOL`` teaches; returns the group."""
    group_id = uuid4()
    today = local_day(intake.clock.now())
    formed = sample_event(
        GroupFormed, group_id=group_id, partner_id=SCHOOL, members=(ref, *OTHERS),
        starts_on=today + timedelta(days=7),
    )  # fmt: skip
    joined = sample_event(
        ParticipantAssignedToGroup, participant_ref=ref, group_id=group_id,
        assigned_from=today + timedelta(days=7),
    )  # fmt: skip
    for event in (formed, joined) if formed_first else (joined, formed):
        await publish(amqp_connection, intake, event)
    return group_id


async def test_a_teacher_with_a_group_relation_and_sharing_consent_gets_the_card(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    await sharing_consent(client, ref, SCHOOL)
    assert refused(await card(client, ref, SCHOOL, "take_roll_call"), "no_relation")
    await in_group(amqp_connection, intake, ref)
    given = ok(await card(client, ref, SCHOOL, "take_roll_call"))
    assert given["relation"] == "teaches_group"
    assert given["fields"] == ["name", "preferred_language"]
    assert (given["name"], given["preferred_language"]) == ("Amina Haddad", "ar")
    assert given["phone"] is None and given["address"] is None
    [read] = await reads_of(client, ref)
    assert read["purpose"] == "take_roll_call" and read["fields"] == given["fields"]


async def test_a_member_who_joins_before_intake_hears_of_the_group_is_related_once_it_does(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    await sharing_consent(client, ref, SCHOOL)
    await in_group(amqp_connection, intake, ref, formed_first=False)
    assert ok(await card(client, ref, SCHOOL, "take_roll_call"))["relation"] == "teaches_group"


async def test_the_teacher_without_consent_is_refused_with_the_reason(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    await in_group(amqp_connection, intake, ref)
    answer = await card(client, ref, SCHOOL, "take_roll_call")
    assert refused(answer, "no_consent") and "Amina" not in answer.text
    assert await reads_of(client, ref) == []


async def test_after_the_participant_leaves_the_group_the_teacher_is_refused(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    await sharing_consent(client, ref, SCHOOL)
    group_id = await in_group(amqp_connection, intake, ref)
    ok(await card(client, ref, SCHOOL, "take_roll_call"))
    left = sample_event(
        ParticipantRemovedFromGroup, participant_ref=ref, group_id=group_id,
        removed_from=local_day(intake.clock.now()),
    )  # fmt: skip
    await publish(amqp_connection, intake, left, sequence=2)
    assert refused(await card(client, ref, SCHOOL, "take_roll_call"), "no_relation")
    assert len(await reads_of(client, ref)) == 1  # the read while in the group only


async def test_a_care_partner_gets_the_care_fields_only_after_accepting_a_referral(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    done = await complete(client, intake, ref)
    signal_id = done["intake"]["outcome"]["outcome"]["care_signals"][0]["signal_id"]
    today = str(local_day(intake.clock.now()))
    consent = ok(
        await client.post(
            f"/participants/{ref}/consents",
            json={"purpose": "care_referral", "care_signal_ids": [signal_id], "given_on": today},
        ),
        201,
    )["consents"][0]
    referral_id = uuid4()
    requested = sample_event(
        ReferralRequested, participant_ref=ref, referral_id=referral_id, partner_id=CARE,
        consent_id=UUID(consent["consent_id"]),
    )  # fmt: skip
    await publish(amqp_connection, intake, requested)
    assert refused(await card(client, ref, CARE, "start_care"), "no_relation")

    accepted = sample_event(ReferralAccepted, participant_ref=ref, referral_id=referral_id,
                            partner_id=CARE)  # fmt: skip
    await publish(amqp_connection, intake, accepted, sequence=2)
    given = ok(await card(client, ref, CARE, "start_care"))
    assert given["relation"] == "accepted_referral" and given["consent_id"] == consent["consent_id"]
    assert given["fields"] == ["address", "interpreter_needed", "name", "phone"]
    assert given["address"] and given["phone"] and given["interpreter_needed"] is True

    closed = sample_event(ReferralCompleted, participant_ref=ref, referral_id=referral_id,
                          partner_id=CARE)  # fmt: skip
    await publish(amqp_connection, intake, closed, sequence=3)
    assert refused(await card(client, ref, CARE, "start_care"), "no_relation")
    [read] = await reads_of(client, ref)
    assert read["purpose"] == "start_care" and read["fields"] == given["fields"]


async def test_the_job_coach_and_the_employer_get_name_and_phone_until_the_placement_ends(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    for partner in (COACHING, EMPLOYER):
        await sharing_consent(client, ref, partner)
    placement_id = uuid4()
    today = local_day(intake.clock.now())
    confirmed = sample_event(
        PlacementConfirmed, participant_ref=ref, placement_id=placement_id,
        partner_id=COACHING, employer_id=EMPLOYER, starts_on=today + timedelta(days=3),
        ends_on=None,
    )  # fmt: skip
    await publish(amqp_connection, intake, confirmed)
    coach = sample_event(
        JobCoachAssigned, participant_ref=ref, placement_id=placement_id, partner_id=COACHING,
        employer_id=EMPLOYER, assigned_from=today + timedelta(days=3),
    )  # fmt: skip
    await publish(amqp_connection, intake, coach, sequence=2)
    for partner, relation in ((COACHING, "coaches_placement"), (EMPLOYER, "hosts_placement")):
        given = ok(await card(client, ref, partner, "arrange_placement"))
        assert given["relation"] == relation and given["fields"] == ["name", "phone"]
        assert given["name"] == "Amina Haddad" and given["phone"]

    ended = sample_event(
        PlacementEnded, participant_ref=ref, placement_id=placement_id, partner_id=COACHING,
        employer_id=EMPLOYER, ended_on=today - timedelta(days=1),
    )  # fmt: skip
    await publish(amqp_connection, intake, ended, sequence=3)
    for partner in (COACHING, EMPLOYER):
        assert refused(await card(client, ref, partner, "arrange_placement"), "no_relation")
    reads = await reads_of(client, ref)
    assert sorted(r["purpose"] for r in reads) == ["arrange_placement"] * 2


def as_service(subject: str = "notifications") -> dict[str, str]:
    return {"Authorization": f"Bearer {token([Role.SERVICE], subject=subject)}"}


async def name_for(client, ref: str, partner_id: str):
    return await client.get(
        f"/participants/{ref}/name-for-message",
        params={"partner_id": partner_id},
        headers=as_service(),
    )


async def test_notifications_gets_the_name_for_a_message_only_where_the_card_allows_it(
    intake, client, amqp_connection
):
    ref = (await register(client))["participant_ref"]
    await sharing_consent(client, ref, EMPLOYER)
    placement = sample_event(
        PlacementConfirmed, participant_ref=ref, placement_id=uuid4(), partner_id=COACHING,
        employer_id=EMPLOYER, starts_on=local_day(intake.clock.now()), ends_on=None,
    )  # fmt: skip
    await publish(amqp_connection, intake, placement)

    given = ok(await name_for(client, ref, EMPLOYER))
    assert given["name"] == "Amina Haddad" and given["refused"] is None
    withheld = ok(await name_for(client, ref, COACHING))  # no consent names the coach's partner
    assert withheld["name"] is None and withheld["refused"] == "no_consent"
    assert withheld["explanation"] and "Amina" not in str(withheld)
    stranger = ok(await name_for(client, ref, CARE))
    assert stranger["refused"] == "no_relation"

    [read] = await reads_of(client, ref)
    assert (read["actor"], read["actor_roles"]) == ("notifications", ["service"])
    assert read["purpose"] == "name_in_message" and read["fields"] == ["name"]


async def test_partner_staff_cannot_ask_for_the_name_for_a_message(intake, client):
    ref = (await register(client))["participant_ref"]
    answer = await client.get(
        f"/participants/{ref}/name-for-message",
        params={"partner_id": EMPLOYER},
        headers=staff(EMPLOYER),
    )
    assert answer.status_code == 403


INTERPRETERS = "tolkenpool"


def interpreter_event(cls, ref: str, request_id: UUID, starts_at, **fields):
    return sample_event(
        cls,
        participant_ref=ref,
        request_id=request_id,
        partner_id=INTERPRETERS,
        appointment="progress_meeting",
        meeting_number=1,
        referral_id=None,
        intake_id=None,
        starts_at=starts_at,
        **fields,
    )


async def test_the_interpreter_partner_gets_the_card_for_the_appointment_it_attends(
    intake, client, amqp_connection
):
    """Issue 18: "a current relation ... an intake it attends". Before, the interpreter
    partner had no relation, so its screen showed references only (``no_relation``)."""
    ref = (await register(client))["participant_ref"]
    await sharing_consent(client, ref, INTERPRETERS)
    assert refused(await card(client, ref, INTERPRETERS, "interpret"), "no_relation")
    request_id = uuid4()
    starts_at = intake.clock.now() + timedelta(days=10)
    await publish(
        amqp_connection,
        intake,
        interpreter_event(InterpreterConfirmed, ref, request_id, starts_at, confirmed_by="t-1"),
    )
    given = ok(await card(client, ref, INTERPRETERS, "interpret"))
    assert given["relation"] == "interprets_appointment"
    assert given["fields"] == ["name", "preferred_language"]
    assert given["name"] == "Amina Haddad" and given["phone"] is None
    [read] = await reads_of(client, ref)
    assert read["purpose"] == "interpret"

    # The appointment is withdrawn (moved, called off): access stops at once.
    await publish(
        amqp_connection,
        intake,
        interpreter_event(
            InterpreterWithdrawn,
            ref,
            request_id,
            starts_at,
            reason="appointment_moved",
            was_confirmed=True,
        ),
        sequence=2,
    )
    assert refused(await card(client, ref, INTERPRETERS, "interpret"), "no_relation")

    # Confirmed again for the new time; once that day is over the relation has ended.
    later = starts_at + timedelta(days=2)
    await publish(
        amqp_connection,
        intake,
        interpreter_event(InterpreterConfirmed, ref, request_id, later, confirmed_by="t-1"),
        sequence=3,
    )
    assert ok(await card(client, ref, INTERPRETERS, "interpret"))["relation"] == (
        "interprets_appointment"
    )
    await intake.advance_clock(timedelta(days=13))
    assert refused(await card(client, ref, INTERPRETERS, "interpret"), "no_relation")


async def test_a_declined_interpreter_request_gives_no_card(intake, client, amqp_connection):
    ref = (await register(client))["participant_ref"]
    await sharing_consent(client, ref, INTERPRETERS)
    request_id = uuid4()
    starts_at = intake.clock.now() + timedelta(days=10)
    await publish(
        amqp_connection,
        intake,
        interpreter_event(InterpreterConfirmed, ref, request_id, starts_at, confirmed_by="t-1"),
    )
    await publish(
        amqp_connection,
        intake,
        interpreter_event(
            InterpreterDeclined, ref, request_id, starts_at, reason="other", declined_by="t-1"
        ),
        sequence=2,
    )
    assert refused(await card(client, ref, INTERPRETERS, "interpret"), "no_relation")
