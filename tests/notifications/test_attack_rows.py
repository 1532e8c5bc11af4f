"""Attacks of issue 12 on notifications, replayed over HTTP against the running service.

Rows 1-3: a coordinator limited to GM0363 subscribed a webhook in the name of GM0599's
care partner, changed the addresses of GM0599's care partner and caseworker, read
GM0599's inboxes, notification list and programme overview, and deleted its directory
entries. The service now learns each participant's, programme's and partner's
municipality from the events and keeps such a coordinator to GM0363.
"""

from __future__ import annotations

from zroute_contract.events import intake, support
from zroute_contract.types import new_participant_ref
from zroute_runtime.auth import Role

from tests.contract.samples import sample_event
from tests.helpers import wait_for
from tests.notifications import world

OWN, OTHER = "GM0363", "GM0599"
EDE, EDE_CARE, EDE_CASEWORKER = "prog-ede", "care-ede", "cw-ede"


async def other_municipality(feed: world.Feed, runtime) -> str:
    """GM0599's programme, care partner, a participant with a contact person, a referral."""
    ref = new_participant_ref()
    await feed.publish(
        sample_event(support.PartnerRegistered, partner_id=EDE_CARE, municipalities=[OTHER])
    )
    await feed.publish(
        world.agreement(
            programme_id=EDE,
            municipality=OTHER,
            assignments=[
                {"task": "intake", "partner_id": world.LEAD},
                {"task": "care_referral_debt_finance", "partner_id": EDE_CARE},
            ],
        )
    )
    await feed.publish(
        sample_event(
            intake.ParticipantRegistered, participant_ref=ref, programme_id=EDE, municipality=OTHER
        )
    )
    await feed.publish(
        sample_event(
            intake.ContactPersonAssigned,
            participant_ref=ref,
            programme_id=EDE,
            contact={"staff_ref": EDE_CASEWORKER, "role": "caseworker", "municipality": OTHER},
            reason="first_assignment",
            previous=None,
            assigned_from=world.DAY,
        )
    )
    async with world.client(runtime) as operator:
        for kind, who, email in [
            ("partner", EDE_CARE, "intake@care-ede.test"),
            ("staff", EDE_CASEWORKER, "cw@ede.test"),
        ]:
            put = await operator.put(f"/directory/{kind}/{who}", json={"email": email})
            assert put.status_code == 200, put.text
    await feed.publish(
        sample_event(support.ReferralRequested, participant_ref=ref, programme_id=EDE,
                     partner_id=EDE_CARE)
    )  # fmt: skip
    await feed.all_handled(runtime)
    await wait_for(
        lambda: runtime.pool.fetchval(
            "SELECT count(*) FROM nt_notifications WHERE participant_ref = $1", ref
        ),
        what="a notification about the GM0599 participant",
    )
    return ref


async def test_rows1_3_a_coordinator_of_one_municipality_stays_out_of_anothers_notifications(
    services, smtp, webhooks, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = await other_municipality(feed, runtime)
    attacker = world.client(runtime, [Role.COORDINATOR], municipality=OWN)
    owner = world.client(runtime, [Role.COORDINATOR], municipality=OTHER)
    async with attacker as http, owner as rightful:
        # Row 1: a webhook in the name of GM0599's care partner.
        subscribe = await http.post(
            "/subscriptions",
            json={
                "url": webhooks.base_url + "/steal",
                "bearer_token": "t" * 20,
                "partner_id": EDE_CARE,
                "event_types": ["nl.zroute.support.referral-requested.v1"],
            },
        )
        assert subscribe.status_code == 403, subscribe.text
        assert not webhooks.validations  # not even the handshake went out
        # Row 2: GM0599's addresses.
        for kind, who in (("partner", EDE_CARE), ("staff", EDE_CASEWORKER)):
            put = await http.put(f"/directory/{kind}/{who}", json={"email": "evil@attacker.test"})
            assert put.status_code == 403, put.text
            assert (await http.delete(f"/directory/{kind}/{who}")).status_code == 403
        listed = {(a["kind"], a["ref"]) for a in (await http.get("/directory")).json()}
        assert ("partner", EDE_CARE) not in listed and ("staff", EDE_CASEWORKER) not in listed
        # Row 3: GM0599's inboxes, notifications and overview.
        assert (await http.get(f"/inbox/partner/{EDE_CARE}")).status_code == 403
        mine = (await http.get("/notifications")).json()
        assert all(n.get("participant_ref") != ref for n in mine)
        theirs = (await rightful.get("/notifications")).json()
        about = [n for n in theirs if n.get("participant_ref") == ref]
        assert about, theirs
        read = await http.get(f"/notifications/{about[0]['id']}")
        assert read.status_code == 403
        assert (await http.get(f"/programmes/{EDE}/overview")).status_code == 403

        # The municipality's own coordinator keeps every one of these.
        assert (await rightful.get(f"/programmes/{EDE}/overview")).status_code == 200
        assert (await rightful.get(f"/notifications/{about[0]['id']}")).status_code == 200
        assert (await rightful.get(f"/inbox/partner/{EDE_CARE}")).status_code == 200
        fixed = await rightful.put(
            f"/directory/partner/{EDE_CARE}", json={"email": "new@care-ede.test"}
        )
        assert fixed.status_code == 200, fixed.text
    async with world.client(runtime) as operator:
        entries = {(a["ref"], a["email"]) for a in (await operator.get("/directory")).json()}
    assert (EDE_CASEWORKER, "cw@ede.test") in entries
    assert (EDE_CARE, "new@care-ede.test") in entries
