"""The contact card (issue 18, item 1) against the real service: a partner's staff get the
fields their relation shows only with a current relation and a consent in force; every card
given is in the access log; a refusal says why and logs no read."""

from __future__ import annotations

from datetime import timedelta

from zroute_runtime.auth import Role

from tests.helpers import token
from tests.intake import builders
from tests.intake.integration.flow import ok, register, schedule

CARD = "/participants/{ref}/contact-card"
SCHOOL = "taalschool"  # attends the intake (builders.schedule)
STRANGER = "werkplaats-noord"  # attends nothing


def staff(partner_id: str, subject: str = "teacher-lotte") -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token([Role.PARTNER_STAFF], partner_id=partner_id, subject=subject)}"
    }


async def card(client, ref: str, partner_id: str, purpose: str = "prepare_intake"):
    return await client.get(
        CARD.format(ref=ref), params={"purpose": purpose}, headers=staff(partner_id)
    )


async def attended_with_consent(client, partner_id: str = SCHOOL) -> tuple[str, str]:
    """A participant whose intake ``taalschool`` attends, with a partner_sharing consent
    naming ``partner_id``; returns the reference and the consent id."""
    ref = (await register(client))["participant_ref"]
    await schedule(client, ref)
    consents = ok(
        await client.post(
            f"/participants/{ref}/consents", json=builders.consent(partner_id=partner_id)
        ),
        201,
    )["consents"]
    return ref, consents[0]["consent_id"]


async def reads_of(client, ref: str) -> list[dict]:
    return ok(await client.get(f"/participants/{ref}/access-log"))


async def test_an_intake_partner_with_sharing_consent_gets_the_fields_of_its_relation(client):
    ref, consent_id = await attended_with_consent(client)
    given = ok(await card(client, ref, SCHOOL))
    assert given["relation"] == "attends_intake" and given["consent_id"] == consent_id
    assert given["fields"] == ["interpreter_needed", "name", "preferred_language"]
    assert (given["name"], given["preferred_language"]) == ("Amina Haddad", "ar")
    assert given["interpreter_needed"] is True
    assert given["phone"] is None and given["address"] is None  # not this relation's fields


async def test_every_card_given_is_in_the_access_log_with_actor_purpose_and_fields(client):
    ref, _ = await attended_with_consent(client)
    ok(await card(client, ref, SCHOOL, purpose="contact_participant"))
    [read] = await reads_of(client, ref)
    assert read["actor"] == "teacher-lotte" and read["actor_roles"] == ["partner_staff"]
    assert read["purpose"] == "contact_participant"
    assert read["fields"] == ["interpreter_needed", "name", "preferred_language"]


async def test_without_consent_the_partner_is_refused_with_the_reason_and_nothing_is_read(
    client,
):
    ref = (await register(client))["participant_ref"]
    await schedule(client, ref)
    refused = await card(client, ref, SCHOOL)
    assert refused.status_code == 403
    assert refused.json()["error"].startswith("no_consent:")
    assert "Amina" not in refused.text
    assert await reads_of(client, ref) == []


async def test_a_partner_without_a_relation_is_refused_even_with_consent(client):
    ref, _ = await attended_with_consent(client, partner_id=STRANGER)
    refused = await card(client, ref, STRANGER)
    assert refused.status_code == 403 and refused.json()["error"].startswith("no_relation:")
    assert await reads_of(client, ref) == []


async def test_withdrawing_the_consent_stops_the_card_at_once(client):
    ref, consent_id = await attended_with_consent(client)
    ok(await card(client, ref, SCHOOL))
    ok(await client.post(f"/participants/{ref}/consents/{consent_id}/withdrawal"))
    refused = await card(client, ref, SCHOOL)
    assert refused.status_code == 403 and refused.json()["error"].startswith("no_consent:")
    assert len(await reads_of(client, ref)) == 1  # the read before the withdrawal only


async def test_the_relation_ends_after_the_intake_day(intake, client):
    ref, _ = await attended_with_consent(client)
    ok(await card(client, ref, SCHOOL))
    await intake.advance_clock(timedelta(days=8))  # the intake was a week ahead
    refused = await card(client, ref, SCHOOL)
    assert refused.status_code == 403 and refused.json()["error"].startswith("no_relation:")


async def test_a_caseworker_and_an_unknown_purpose_are_refused_before_any_decision(client):
    ref, _ = await attended_with_consent(client)
    as_caseworker = await client.get(CARD.format(ref=ref), params={"purpose": "prepare_intake"})
    assert as_caseworker.status_code == 403
    assert (await card(client, ref, SCHOOL, purpose="curiosity")).status_code == 422
    assert await reads_of(client, ref) == []
