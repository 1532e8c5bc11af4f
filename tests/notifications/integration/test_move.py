"""A move to another municipality (issue 15 point 5, W 15(4)), against the running
service: once the new municipality imported the dossier (``participant-moved-in``), its
coordinators and caseworkers list and read the notifications about the participant, and
the old municipality's no longer list them and are refused (403).
"""

from __future__ import annotations

from zroute_contract.events import intake
from zroute_runtime.auth import Role

from tests.contract.samples import sample_event
from tests.notifications import world
from tests.notifications.integration.test_attack_rows import EDE, OTHER, OWN, other_municipality


async def about(http, ref: str) -> set[str]:
    """The ids of the notifications about ``ref`` the caller lists."""
    response = await http.get("/notifications")
    assert response.status_code == 200, response.text
    return {n["id"] for n in response.json() if n.get("participant_ref") == ref}


async def test_after_a_move_the_new_municipality_reads_and_the_old_one_is_refused(
    services, smtp, webhooks, amqp_connection
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    ref = await other_municipality(feed, runtime)  # GM0599's participant, with a referral
    async with world.client(runtime, [Role.COORDINATOR], municipality=OTHER) as old:
        notifications = await about(old, ref)
    assert notifications
    notification = min(notifications)

    await feed.publish(
        sample_event(
            intake.ParticipantMovedIn,
            participant_ref=ref,
            programme_id=EDE,
            from_municipality=OTHER,
            to_municipality=OWN,
        )
    )
    await feed.all_handled(runtime)

    new = world.client(runtime, [Role.COORDINATOR], municipality=OWN)
    old = world.client(runtime, [Role.COORDINATOR], municipality=OTHER)
    async with new as http_new, old as http_old:
        assert notifications <= await about(http_new, ref)
        assert (await http_new.get(f"/notifications/{notification}")).status_code == 200
        assert await about(http_old, ref) == set()
        assert (await http_old.get(f"/notifications/{notification}")).status_code == 403
    # The participant's letters (caseworkers) and audit trail (both) follow the move too.
    for role, path in (
        (Role.CASEWORKER, f"/participants/{ref}/letters"),
        (Role.CASEWORKER, f"/participants/{ref}/audit"),
        (Role.COORDINATOR, f"/participants/{ref}/audit"),
    ):
        new = world.client(runtime, [role], municipality=OWN)
        old = world.client(runtime, [role], municipality=OTHER)
        async with new as http_new, old as http_old:
            assert (await http_new.get(path)).status_code == 200, (role, path)
            assert (await http_old.get(path)).status_code == 403, (role, path)
