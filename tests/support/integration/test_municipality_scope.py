"""Caseworkers and coordinators whose token names a municipality see and act on that
municipality's records only: referrals, placements, preconditions, the waiting list and
agreements. Another municipality's record answers 403 (as another partner's does), an
action on it is refused with nothing stored and no event in the outbox. Tokens without
the claim, operators and partner staff keep their reach.

Two municipalities share the partners: Amsterdam (GM0363, programme ``amsterdam-z``) and
Utrecht (GM0344, programme ``utrecht-z``). Everything runs against the real database and
broker, through the HTTP API and the intake and planning events support consumes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from zroute_runtime.auth import Role

from tests.support.integration.test_placements import CONFIRM, requested
from tests.support.integration.test_preconditions import intake
from tests.support.scenario import PARTNERS, Scenario

AMSTERDAM, UTRECHT = "GM0363", "GM0344"
PROGRAMMES = {AMSTERDAM: "amsterdam-z", UTRECHT: "utrecht-z"}
# care-a takes no debt referrals and nobody else offers them: those wait, with the reason.
CAPACITY = {"care-a": {"debt_finance": 0}}


@dataclass
class Records:
    """One municipality's participant and the support records about it."""

    municipality: str
    participant_ref: str
    consent_id: uuid.UUID
    referral_id: str
    placement_request_id: str
    precondition_id: str
    waiting_entry_id: str


@pytest.fixture
def clients(scenario: Scenario):
    """Makes HTTP clients with a token of the given role, municipality and partner."""

    def client(
        role: Role, *, municipality: str | None = None, partner_id: str | None = None
    ) -> httpx.AsyncClient:
        return scenario.client(role, partner_id, municipality=municipality)

    return client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def register_partners(scenario: Scenario) -> None:
    """The scenario's partners, each serving both municipalities."""
    coordinator = scenario.client()
    for pid, caps in PARTNERS.items():
        body = {
            "partner_id": pid,
            "organisation": f"Partner {pid}",
            "municipalities": [AMSTERDAM, UTRECHT],
            "capabilities": [c.value for c in caps],
            "capacity": CAPACITY.get(pid, {}),
            "contact_points": [{"channel": "email", "address": f"desk@{pid}.example"}],
        }
        ok(await coordinator.post("/partners", json=body), 201)


def agreement_body(scenario: Scenario, municipality: str, **kw) -> dict:
    return scenario.agreement_body(**kw) | {"municipality": municipality}


async def participant(scenario: Scenario, municipality: str) -> tuple[str, uuid.UUID]:
    """A registered participant of ``municipality`` with a contact person and a consent."""
    programme = PROGRAMMES[municipality]
    ref = await scenario.participant(programme_id=programme, municipality=municipality)
    return ref, await scenario.consent(ref, programme_id=programme)


def referral_body(ref: str, consent_id: uuid.UUID, category: str = "mental_health_care") -> dict:
    return {
        "participant_ref": ref,
        "category": category,
        "severity": "moderate",
        "consent_id": str(consent_id),
    }


async def records_of(scenario: Scenario, municipality: str) -> Records:
    """A participant of ``municipality`` with a referral, a placement request, a childcare
    task and a waiting debt referral, made by callers without a municipality claim."""
    caseworker = scenario.client(Role.CASEWORKER)
    ref, consent_id = await participant(scenario, municipality)
    referral = ok(await caseworker.post("/referrals", json=referral_body(ref, consent_id)), 201)
    waiting = ok(
        await caseworker.post("/referrals", json=referral_body(ref, consent_id, "debt_finance")),
        202,
    )
    programme = PROGRAMMES[municipality]
    request = requested(ref, programme_id=programme)
    await scenario.feed(request)
    await scenario.feed(
        intake(
            ref, childcare=True, transport=False, programme_id=programme, municipality=municipality
        )
    )
    tasks = ok(await scenario.partner("kids").get("/preconditions"))
    [task] = [t for t in tasks if t["participant_ref"] == ref]
    return Records(
        municipality=municipality,
        participant_ref=ref,
        consent_id=consent_id,
        referral_id=referral["referral"]["referral_id"],
        placement_request_id=str(request.placement_request_id),
        precondition_id=task["precondition_id"],
        waiting_entry_id=waiting["waiting_entry_id"],
    )


@pytest.fixture
async def towns(scenario: Scenario) -> dict[str, Records]:
    """Both municipalities, with an agreement each and one participant's records each."""
    await register_partners(scenario)
    await scenario.register_employers()
    for municipality, programme in PROGRAMMES.items():
        ok(
            await scenario.client().post(
                f"/programmes/{programme}/agreements", json=agreement_body(scenario, municipality)
            ),
            201,
        )
    return {m: await records_of(scenario, m) for m in PROGRAMMES}


LISTS = ("/referrals", "/placements", "/preconditions", "/waiting-list")


async def listed(client: httpx.AsyncClient) -> dict[str, set[str]]:
    """Per list endpoint, the participants whose records the caller gets."""
    return {path: {r["participant_ref"] for r in ok(await client.get(path))} for path in LISTS}


async def agreement_municipalities(client: httpx.AsyncClient) -> set[str]:
    found: set[str] = set()
    for programme in PROGRAMMES.values():
        versions = ok(await client.get(f"/programmes/{programme}/agreements"))
        found |= {v["municipality"] for v in versions}
    return found


async def stored(scenario: Scenario) -> dict[str, int]:
    """Row counts and versions that any accepted action changes; the outbox holds every
    event support emits (published rows stay), so an unchanged count means none went out."""
    pool = scenario.runtime.pool
    return {
        "outbox": await pool.fetchval("SELECT count(*) FROM zr_outbox"),
        "referrals": await pool.fetchval("SELECT count(*) FROM support_referrals"),
        "referral_versions": await pool.fetchval("SELECT sum(version) FROM support_referrals"),
        "placement_versions": await pool.fetchval("SELECT sum(version) FROM support_placements"),
        "precondition_versions": await pool.fetchval(
            "SELECT sum(version) FROM support_preconditions"
        ),
        "check_ins": await pool.fetchval("SELECT count(*) FROM support_check_ins"),
        "agreements": await pool.fetchval("SELECT count(*) FROM support_agreements"),
        "ended_agreements": await pool.fetchval(
            "SELECT count(valid_until) FROM support_agreements"
        ),
        "waiting": await pool.fetchval("SELECT count(*) FROM support_waiting_list"),
    }


def refused_for_municipality(response: httpx.Response) -> None:
    """403 with a reason that names the municipality as the cause."""
    assert response.status_code == 403, response.text
    assert "municipality" in response.json()["error"], response.text


async def test_a_caseworker_and_a_coordinator_of_a_municipality_list_only_its_records(
    scenario, clients, towns
):
    amsterdam = towns[AMSTERDAM].participant_ref
    for role in (Role.CASEWORKER, Role.COORDINATOR):
        client = clients(role, municipality=AMSTERDAM)
        assert await listed(client) == {path: {amsterdam} for path in LISTS}, role
        assert await agreement_municipalities(client) == {AMSTERDAM}, role
        # a filter naming the other programme finds nothing, rather than widening the scope
        other = {"programme_id": PROGRAMMES[UTRECHT]}
        assert ok(await client.get("/referrals", params=other)) == []
        assert ok(await client.get(f"/programmes/{PROGRAMMES[UTRECHT]}/agreements")) == []
    waiting = ok(await clients(Role.COORDINATOR, municipality=AMSTERDAM).get("/waiting-list"))
    assert towns[AMSTERDAM].waiting_entry_id in {w["id"] for w in waiting}
    assert towns[UTRECHT].waiting_entry_id not in {w["id"] for w in waiting}


async def test_another_municipalitys_record_answers_403_and_its_own_200(scenario, clients, towns):
    own, other = towns[AMSTERDAM], towns[UTRECHT]
    for role in (Role.CASEWORKER, Role.COORDINATOR):
        client = clients(role, municipality=AMSTERDAM)
        ok(await client.get(f"/referrals/{own.referral_id}"))
        ok(await client.get(f"/placements/{own.placement_request_id}"))
        ok(
            await client.get(
                f"/programmes/{PROGRAMMES[AMSTERDAM]}/responsible", params={"task": "intake"}
            )
        )
        refused_for_municipality(await client.get(f"/referrals/{other.referral_id}"))
        refused_for_municipality(await client.get(f"/placements/{other.placement_request_id}"))
        refused_for_municipality(
            await client.get(
                f"/programmes/{PROGRAMMES[UTRECHT]}/responsible", params={"task": "intake"}
            )
        )
    # an unknown id stays 404: the municipality is checked on records that exist
    client = clients(Role.COORDINATOR, municipality=AMSTERDAM)
    assert (await client.get(f"/referrals/{uuid.uuid4()}")).status_code == 404


async def test_a_caseworker_cannot_refer_a_participant_of_another_municipality(
    scenario, clients, towns
):
    caseworker = clients(Role.CASEWORKER, municipality=AMSTERDAM)
    other = towns[UTRECHT]
    before = await stored(scenario)
    refused_for_municipality(
        await caseworker.post(
            "/referrals", json=referral_body(other.participant_ref, other.consent_id)
        )
    )
    assert await stored(scenario) == before
    # the same caller refers its own municipality's participant
    own = towns[AMSTERDAM]
    ok(
        await caseworker.post(
            "/referrals", json=referral_body(own.participant_ref, own.consent_id, "physical_care")
        ),
        201,
    )
    assert (await stored(scenario))["referrals"] == before["referrals"] + 1


async def test_acting_on_another_municipalitys_records_is_refused_and_nothing_is_stored(
    scenario, clients, towns
):
    coordinator = clients(Role.COORDINATOR, municipality=AMSTERDAM)
    other = towns[UTRECHT]
    before = await stored(scenario)
    attempts = [
        ("/referrals/{r}/cancel", {"reason": "referrer_cancelled"}),
        ("/placements/{p}/confirm", CONFIRM),
        ("/placements/{p}/decline", {"reason": "no_workplace_available"}),
        ("/placements/{p}/job-coach", {"staff_ref": "coach-9", "partner_id": "coaches"}),
        ("/placements/{p}/check-ins", {"party": "participant", "held_on": "2027-03-08",
                                       "outcome": "on_track"}),
        ("/preconditions/{c}/arrange", {"arranged_from": "2027-01-11", "days_covered": ["monday"],
                                        "partner_id": "kids"}),
        ("/preconditions/{c}/lapse", {"reason": "participant_stopped", "lapsed_on": "2027-01-11"}),
    ]  # fmt: skip
    ids = {"r": other.referral_id, "p": other.placement_request_id, "c": other.precondition_id}
    for path, body in attempts:
        refused_for_municipality(await coordinator.post(path.format(**ids), json=body))
    caseworker = clients(Role.CASEWORKER, municipality=AMSTERDAM)
    refused_for_municipality(
        await caseworker.post(f"/referrals/{other.referral_id}/cancel",
                              json={"reason": "no_longer_needed"})
    )  # fmt: skip
    assert await stored(scenario) == before
    referral = ok(await scenario.client().get(f"/referrals/{other.referral_id}"))
    placement = ok(await scenario.client().get(f"/placements/{other.placement_request_id}"))
    assert referral["status"] == "requested" and placement["status"] == "open"

    # the same coordinator acts on its own municipality's referral
    own = towns[AMSTERDAM]
    cancelled = ok(
        await coordinator.post(
            f"/referrals/{own.referral_id}/cancel", json={"reason": "referrer_cancelled"}
        )
    )
    assert cancelled["status"] == "cancelled"


async def test_a_coordinator_cannot_record_or_end_another_municipalitys_agreements(
    scenario, clients, towns
):
    coordinator = clients(Role.COORDINATOR, municipality=AMSTERDAM)
    utrecht = PROGRAMMES[UTRECHT]
    before = await stored(scenario)
    later = {"valid_from": "2028-01-01"}
    # for the other municipality, in its programme or in a programme of its own
    for programme in (utrecht, "utrecht-new"):
        refused_for_municipality(
            await coordinator.post(
                f"/programmes/{programme}/agreements",
                json=agreement_body(scenario, UTRECHT, **later),
            )
        )
    # naming its own municipality does not open the other municipality's programme
    refused_for_municipality(
        await coordinator.post(
            f"/programmes/{utrecht}/agreements", json=agreement_body(scenario, AMSTERDAM, **later)
        )
    )
    refused_for_municipality(
        await coordinator.post(
            f"/programmes/{utrecht}/agreements/1/end", json={"valid_until": "2027-12-31"}
        )
    )
    assert await stored(scenario) == before

    # its own programme: ending the version and recording the next one are accepted
    amsterdam = PROGRAMMES[AMSTERDAM]
    ok(
        await coordinator.post(
            f"/programmes/{amsterdam}/agreements/1/end", json={"valid_until": "2027-12-31"}
        )
    )
    ok(
        await coordinator.post(
            f"/programmes/{amsterdam}/agreements",
            json=agreement_body(scenario, AMSTERDAM, **later),
        ),
        201,
    )


async def test_a_token_without_a_municipality_and_an_operator_see_both_municipalities(
    scenario, clients, towns
):
    both = {towns[AMSTERDAM].participant_ref, towns[UTRECHT].participant_ref}
    callers = {
        "coordinator without claim": clients(Role.COORDINATOR),
        "caseworker without claim": clients(Role.CASEWORKER),
        "operator": clients(Role.OPERATOR),
        "operator with a municipality claim": clients(Role.OPERATOR, municipality=AMSTERDAM),
    }
    other = towns[UTRECHT]
    for name, client in callers.items():
        assert await listed(client) == {path: both for path in LISTS}, name
        assert await agreement_municipalities(client) == {AMSTERDAM, UTRECHT}, name
        ok(await client.get(f"/referrals/{other.referral_id}"))
        ok(await client.get(f"/placements/{other.placement_request_id}"))


async def test_partner_staff_stay_limited_to_their_partner_across_the_municipalities_it_serves(
    scenario, clients, towns
):
    both = {towns[AMSTERDAM].participant_ref, towns[UTRECHT].participant_ref}
    # a municipality claim on a partner's token neither narrows nor widens its reach
    for municipality in (None, AMSTERDAM):
        care_a = clients(Role.PARTNER_STAFF, partner_id="care-a", municipality=municipality)
        kids = clients(Role.PARTNER_STAFF, partner_id="kids", municipality=municipality)
        referrals = ok(await care_a.get("/referrals"))
        assert {r["participant_ref"] for r in referrals} == both
        assert {r["partner_id"] for r in referrals} == {"care-a"}
        tasks = ok(await kids.get("/preconditions"))
        assert {t["participant_ref"] for t in tasks} == both
        ok(await care_a.get(f"/referrals/{towns[UTRECHT].referral_id}"))
        # another partner's staff still get nothing of care-a's
        assert ok(await kids.get("/referrals")) == []
        assert (await kids.get(f"/referrals/{towns[AMSTERDAM].referral_id}")).status_code == 403


async def test_a_limited_coordinator_manages_only_partners_serving_its_municipality_alone(
    scenario, clients, towns
):
    coordinator = clients(Role.COORDINATOR, municipality=AMSTERDAM)

    def profile(*municipalities: str) -> dict:
        return {
            "organisation": "Buurtwerk West",
            "municipalities": list(municipalities),
            "capabilities": ["participation_workplaces"],
            "contact_points": [{"channel": "email", "address": "desk@buurtwerk.example"}],
        }

    before = await stored(scenario)
    # The scenario's partners serve both municipalities: a change would reach Utrecht too.
    shared = (await coordinator.get("/partners/care-a")).json()
    keys = ("organisation", "municipalities", "capabilities", "capacity", "contact_points")
    shared_change = {k: shared[k] for k in keys} | {"active": False}
    refused_for_municipality(await coordinator.put("/partners/care-a", json=shared_change))
    # Registering a partner for the other municipality, or for both, is refused too.
    for served in ((UTRECHT,), (AMSTERDAM, UTRECHT)):
        refused_for_municipality(
            await coordinator.post("/partners", json={"partner_id": "buurtwerk"} | profile(*served))
        )
    assert await stored(scenario) == before
    assert (await coordinator.get("/partners/care-a")).json()["active"] is True

    # A partner of its own municipality alone: registered and changed, but not widened.
    ok(
        await coordinator.post("/partners", json={"partner_id": "buurtwerk"} | profile(AMSTERDAM)),
        201,
    )
    changed = ok(
        await coordinator.put("/partners/buurtwerk", json=profile(AMSTERDAM) | {"active": False})
    )
    assert changed["active"] is False
    refused_for_municipality(
        await coordinator.put("/partners/buurtwerk", json=profile(AMSTERDAM, UTRECHT))
    )
    # A coordinator without the limit (a regional one) manages shared partners.
    regional = clients(Role.COORDINATOR)
    ok(await regional.put("/partners/care-a", json=shared_change))
    registered = await scenario.runtime.pool.fetchval(
        "SELECT count(*) FROM zr_outbox WHERE event_type LIKE 'nl.zroute.support.partner-%'"
    )
    assert registered == len(PARTNERS) + 3  # the scenario's, buurtwerk and two changes
