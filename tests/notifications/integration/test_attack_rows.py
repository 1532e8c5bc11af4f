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


async def _subscribe(runtime, url: str):
    async with world.client(runtime, [Role.PARTNER_STAFF], partner_id=world.WORKPLACES) as http:
        return await http.post(
            "/subscriptions",
            json={
                "url": url,
                "bearer_token": "receiver-token-0123456789",
                "event_types": ["nl.zroute.support.placement-confirmed.v1"],
            },
        )


async def test_row8_webhook_targets_follow_the_policy_and_refusals_are_neutral(
    services, smtp, webhooks
):
    """Loopback, link-local, the database and broker ports, credentials in the URL and
    plain http are refused after resolution, all with one neutral answer; the endpoint
    is not even asked. Delivery checks the target again."""
    from zroute_notifications.adapters.webhook import WebhookSender
    from zroute_notifications.domain.delivery import TryAgain
    from zroute_notifications.domain.targets import TargetPolicy

    port = webhooks.base_url.rsplit(":", 1)[1]
    strict = await world.start(services, smtp.port, webhook_allow_http=False,
                               webhook_allowed_targets=[])  # fmt: skip
    local = await world.start(services, smtp.port, webhook_allowed_targets=[])
    targets = {
        strict: [f"http://127.0.0.1:{port}/plain-http", f"https://127.0.0.1:{port}/loopback"],
        local: [
            f"http://127.0.0.1:{port}/loopback",
            f"http://localhost:{port}/by-name",
            "http://169.254.169.254/latest/meta-data",
            "http://127.0.0.1:5432/postgres",
            "http://127.0.0.1:5672/rabbitmq",
            "http://10.0.0.1/private",
            "http://[::1]:5432/v6-loopback",
            f"http://user:secret@127.0.0.1:{port}/credentials",
        ],
    }
    answers = set()
    for runtime, urls in targets.items():
        for url in urls:
            response = await _subscribe(runtime, url)
            assert response.status_code == 422, (url, response.text)
            answers.add(response.json()["error"])
    assert answers == {"the endpoint did not accept the validation request"}
    assert not webhooks.validations and not webhooks.requests  # nobody was asked

    sender = WebhookSender(5.0, origin="x", policy=TargetPolicy(allow_http=True))
    outcome = await sender.post(
        webhooks.base_url + "/delivery", b"{}", token="t" * 20, secret="s", notification_id="n"
    )
    assert isinstance(outcome, TryAgain) and "policy" in outcome.detail
    assert not webhooks.requests


async def test_webhook_tokens_and_signing_secrets_are_stored_encrypted(services, smtp, webhooks):
    runtime = await world.start(services, smtp.port)
    response = await _subscribe(runtime, webhooks.base_url + "/sealed")
    assert response.status_code == 201, response.text
    secret = response.json()["signing_secret"]
    row = await runtime.pool.fetchrow("SELECT bearer_token, signing_secret FROM nt_subscriptions")
    assert row["bearer_token"].startswith("enc1:") and row["signing_secret"].startswith("enc1:")
    assert "receiver-token-0123456789" not in row["bearer_token"]
    assert secret not in row["signing_secret"]
