"""Issue 15 point 5 (W 15(4)): a move to another municipality on one intake service. The
old municipality exports a sealed dossier and its case is closed as moved; only the new
municipality imports it; the participant continues the same route under the same
reference; a new PIP is due ten weeks after the move and is met by an amendment for the
reason ``move``; each municipality sees only its own. Against the code before: the move
routes answered 404 and a move could only be recorded as a withdrawal."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from zroute_intake.bootstrap import definition
from zroute_intake.settings import Settings
from zroute_runtime.auth import Role

from tests.helpers import capture, token, wait_for
from tests.intake.conftest import RETENTION_DAYS
from tests.intake.integration.flow import ok
from tests.intake.integration.test_pip import INTAKE, completed, content, day, established
from tests.intake.integration.test_privacy import erased

NEW, ELSEWHERE = "GM0599", "GM0228"


def caseworker(municipality: str, subject: str) -> dict[str, str]:
    bearer = token([Role.CASEWORKER], subject=subject, municipality=municipality)
    return {"Authorization": f"Bearer {bearer}"}


async def test_the_old_municipality_exports_the_new_one_imports_and_the_route_goes_on(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = await completed(client, intake)
    await established(client, ref)
    exported = ok(await client.post(
        f"/participants/{ref}/move/export", json={"to_municipality": NEW, "moved_on": str(day(8))}
    ))  # fmt: skip
    document = exported["document"]
    assert exported["move"]["exported_by"] == "caseworker-anna"
    # Sealed, not readable: the envelope's clear fields name no personal field, and no
    # personal value shows anywhere. (A bare "bsn" may turn up by chance inside the
    # ciphertext's base64, so the sealed part is checked for the values, not the word.)
    opened = json.loads(base64.urlsafe_b64decode(document))
    clear = json.dumps({key: value for key, value in opened.items() if key != "sealed"})
    assert "bsn" not in clear and "given_names" not in clear
    assert "Haddad" not in base64.urlsafe_b64decode(document).decode()
    closed = await client.post(
        f"/participants/{ref}/pauses", json={"ground": "illness", "paused_from": str(day(8))}
    )
    assert closed.status_code == 409 and "closed as moved" in closed.text

    elsewhere = await client.post(
        "/participants/move/import", json={"document": document},
        headers=caseworker(ELSEWHERE, "caseworker-ede"),
    )  # fmt: skip
    assert elsewhere.status_code == 403
    envelope = json.loads(base64.urlsafe_b64decode(document))
    envelope["sealed"] = envelope["sealed"][:-8] + "AAAAAAAA"
    tampered = base64.urlsafe_b64encode(json.dumps(envelope).encode()).decode()
    bad = await client.post(
        "/participants/move/import", json={"document": tampered},
        headers=caseworker(NEW, "caseworker-nieuw"),
    )  # fmt: skip
    assert bad.status_code == 422 and "does not open" in bad.text

    new = caseworker(NEW, "caseworker-nieuw")
    imported = ok(await client.post(
        "/participants/move/import", json={"document": document}, headers=new
    ))  # fmt: skip
    assert imported["participant"]["participant_ref"] == ref
    assert imported["participant"]["municipality"] == NEW
    assert imported["move"]["imported_by"] == "caseworker-nieuw"
    assert imported["pip_due_on"] == str(day(8) + timedelta(weeks=10))
    again = await client.post("/participants/move/import", json={"document": document}, headers=new)
    assert again.status_code == 409

    old = caseworker("GM0363", "caseworker-anna")
    assert (await client.get(f"/participants/{ref}", headers=old)).status_code == 403
    pip = ok(await client.get(f"/participants/{ref}/pip", headers=new))
    assert pip["deadline"]["state"] == "due_soon" or pip["deadline"]["state"] == "running"
    assert pip["current"]["content"]["route"] == "z_route"  # the same route goes on
    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(), headers=new))
    amended = ok(await client.post(
        f"/participants/{ref}/pip/amendments", json={"dated": str(day(8)), "reason": "move"},
        headers=new,
    ))  # fmt: skip
    assert amended["current"]["number"] == 2 and amended["deadline"]["state"] == "met"
    assert amended["term"]["start"] == pip["term"]["start"]  # the term does not restart

    await wait_for(lambda: seen.of_type(INTAKE + "participant-moved-in.v1"), what="moved in")
    out = seen.of_type(INTAKE + "participant-moved-out.v1")[0]["data"]
    into = seen.of_type(INTAKE + "participant-moved-in.v1")[0]["data"]
    assert (out["from_municipality"], out["to_municipality"]) == ("GM0363", NEW)
    assert into["pip_due_on"] == str(day(8) + timedelta(weeks=10))
    log = ok(await client.get(f"/participants/{ref}/access-log", headers=new))
    assert any(entry["purpose"] == "move_export" for entry in log)


async def test_a_second_intake_service_with_its_own_database_imports_the_dossier(
    intake, client, services, amqp_connection
):
    """Two municipalities, each its own intake service and database (issue 15: "import
    into a separate intake service"). The old one exports; the new one, which has never
    seen the participant, imports the dossier: the participant with the personal data,
    the broad intake, the PIP's versions and change log, pauses and consents are created
    there, and the route goes on under the same reference. Both services share only the
    move key. Before: the import answered 404 ("this service did not export the dossier").

    Both run on one broker, the second under an instance name of its own
    (``ZROUTE_INSTANCE``: queue ``zroute.intake.gm0599``), so each hears every event. When
    the new service's ``participant-moved-in`` reaches the old one, the old copy is closed
    as handed over (read only) and its personal data is erased the retention period after
    the move, without telling the other services (the route goes on under the new
    service). Before: the old copy stayed "in transit" for ever."""
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    other = await services.start(
        definition(settings := own_database(services, instance="gm0599")), settings
    )
    assert other.topology.queue != intake.topology.queue
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{other.http_port}", timeout=10
    ) as there:
        ref = await completed(client, intake)
        await other.advance_clock(timedelta(days=8))  # one day on both services' clocks
        await established(client, ref)
        body = {"ground": "treatment", "paused_from": str(day(8))}
        pause = ok(await client.post(f"/participants/{ref}/pauses", json=body), 201)["current"]
        ok(await client.post(
            f"/participants/{ref}/pauses/{pause['pause_id']}/resumption",
            json={"resumed_on": str(day(20))},
        ))  # fmt: skip
        purpose = {"purpose": "legal_obligation"}
        before = ok(await client.get(f"/participants/{ref}", params=purpose))
        pip_before = ok(await client.get(f"/participants/{ref}/pip"))
        document = ok(await client.post(
            f"/participants/{ref}/move/export",
            json={"to_municipality": NEW, "moved_on": str(day(8))},
        ))["document"]  # fmt: skip

        new = caseworker(NEW, "caseworker-nieuw")
        assert (await there.get(f"/participants/{ref}", headers=new)).status_code == 404
        wrong = await there.post(
            "/participants/move/import", json={"document": document},
            headers=caseworker(ELSEWHERE, "caseworker-ede"),
        )  # fmt: skip
        assert wrong.status_code == 403
        assert not await other.pool.fetchval("SELECT count(*) FROM intake_participants")

        imported = ok(await there.post(
            "/participants/move/import", json={"document": document}, headers=new
        ))  # fmt: skip
        assert imported["participant"]["participant_ref"] == ref
        assert imported["participant"]["municipality"] == NEW
        assert imported["pip_due_on"] == str(day(8) + timedelta(weeks=10))
        again = await there.post(
            "/participants/move/import", json={"document": document}, headers=new
        )
        assert again.status_code == 409

        after = ok(await there.get(f"/participants/{ref}", params=purpose, headers=new))
        assert after["personal_data"] == before["personal_data"]
        assert after["intake"] == before["intake"]
        pip = ok(await there.get(f"/participants/{ref}/pip", headers=new))
        assert pip["versions"] == pip_before["versions"]
        assert pip["term"]["start"] == pip_before["term"]["start"]  # the term does not restart
        assert {c["action"] for c in pip_before["changes"]} <= {c["action"] for c in pip["changes"]}
        pauses = ok(await there.get(f"/participants/{ref}/pauses", headers=new))["pauses"]
        assert [p["pause_id"] for p in pauses] == [pause["pause_id"]]
        ok(await there.put(f"/participants/{ref}/pip/draft", json=content(), headers=new))
        amended = ok(await there.post(
            f"/participants/{ref}/pip/amendments", json={"dated": str(day(8)), "reason": "move"},
            headers=new,
        ))  # fmt: skip
        assert amended["current"]["number"] == 2 and amended["deadline"]["state"] == "met"

        # the old service closes its copy as handed over once the new one's import is told
        await wait_for(lambda: handed_over(intake, ref), what="the old copy handed over")
        still = await client.post(
            f"/participants/{ref}/pauses", json={"ground": "illness", "paused_from": str(day(8))}
        )
        assert still.status_code == 409 and "closed as handed over" in still.text
        here = ok(await client.get(f"/participants/{ref}"))  # kept, for the old decisions
        assert here["municipality"] == "GM0363"
        assert [c["action"] for c in here["changes"]][-2:] == ["moved_out", "handed_over"]
        due = await intake.pool.fetchval(
            "SELECT due_at FROM zr_timers WHERE kind = 'erase-personal-data' AND key = $1", ref
        )
        local = due.astimezone(ZoneInfo("Europe/Amsterdam")).date()
        assert local == day(8) + timedelta(days=RETENTION_DAYS), "from the move"
        # the new service heard its own moved-in and changed nothing
        assert ok(await there.get(f"/participants/{ref}", headers=new))["municipality"] == NEW

    await wait_for(lambda: seen.of_type(INTAKE + "participant-moved-in.v1"), what="moved in")
    [into] = seen.of_type(INTAKE + "participant-moved-in.v1")
    assert (into["data"]["from_municipality"], into["data"]["to_municipality"]) == ("GM0363", NEW)

    await intake.advance_clock(timedelta(days=RETENTION_DAYS + 10))
    await wait_for(lambda: erased(intake, ref), what="the old copy's personal data erased")
    assert not await other.pool.fetchval(
        "SELECT erased_at IS NOT NULL FROM intake_participants WHERE ref = $1", ref
    ), "the new service keeps the participant's data"
    told = await intake.pool.fetchval(  # written in the erasure's own transaction, or not
        "SELECT count(*) FROM zr_outbox WHERE event_type = $1",
        INTAKE + "participant-records-deleted.v1",
    )
    assert told == 0, "the old copy's erasure is not told: the route goes on under the new one"


async def handed_over(intake, ref: str) -> bool:
    return await intake.pool.fetchval(
        "SELECT state->'moves'->-1->>'handed_over_at' IS NOT NULL FROM intake_participants"
        " WHERE ref = $1",
        ref,
    )


async def test_a_service_with_another_move_key_cannot_open_the_dossier(intake, client, services):
    """The dossier opens only with the move key the two services share (422 otherwise)."""
    key = base64.b64encode(bytes(range(32))).decode()
    other = await services.start(
        definition(settings := own_database(services, intake_move_key=key)), settings,
        consume=False,
    )  # fmt: skip
    ref = await completed(client, intake)
    await established(client, ref)
    document = ok(await client.post(
        f"/participants/{ref}/move/export", json={"to_municipality": NEW, "moved_on": str(day(8))}
    ))["document"]  # fmt: skip
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{other.http_port}") as there:
        refused = await there.post(
            "/participants/move/import", json={"document": document},
            headers=caseworker(NEW, "caseworker-nieuw"),
        )  # fmt: skip
    assert refused.status_code == 422 and "does not open" in refused.text


def own_database(services, **overrides) -> Settings:
    """The settings of a second intake service: a database of its own."""
    url = services.db_template.replace("{service}", "{service}_gm0599")
    return services.settings(Settings, database_url=url, **overrides)
