"""Messages to employers and job coaches name the participant where consent allows (issue
18, item 2), against the real intake and notifications services: notifications pulls the
name from intake at send time as a service principal; intake decides it as the partner's
contact card and logs the read; otherwise the e-mail says why it does not name them. The
name is never stored in the notifications database."""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx
from zroute_contract.events.support import JobCoachAssigned, PlacementConfirmed
from zroute_intake.bootstrap import definition as intake_definition
from zroute_intake.settings import Settings as IntakeSettings

from tests.helpers import wait_for
from tests.intake import builders
from tests.intake.integration.flow import ok
from tests.notifications import world

EMPLOYER = "bakkerij-zon"
HR = "hr@bakkerij.test"
JOB_COACH = "coach-jan"
JAN = "jan@workplaces.test"


async def test_the_employer_reads_the_name_and_the_job_coach_reads_why_not(
    services, smtp, amqp_connection
):
    settings = services.settings(IntakeSettings)
    intake = await services.start(intake_definition(settings), settings)
    nt = await world.start(
        services, smtp.port, intake_api_url=f"http://127.0.0.1:{intake.http_port}"
    )
    await world.seed_directory(nt)
    async with world.client(nt) as http:
        for kind, ref, email, language in [
            ("employer", EMPLOYER, HR, "nl"),
            ("staff", JOB_COACH, JAN, "en"),
        ]:
            answer = await http.put(
                f"/directory/{kind}/{ref}", json={"email": email, "language": language}
            )
            assert answer.status_code == 200, answer.text

    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{intake.http_port}", headers=builders.auth()
    ) as caseworker:
        ref = ok(await caseworker.post("/participants", json=builders.registration()), 201)[
            "participant_ref"
        ]
        consent = builders.consent(partner_id=EMPLOYER)
        ok(await caseworker.post(f"/participants/{ref}/consents", json=consent), 201)

        feed = world.Feed(amqp_connection, nt.topology.exchange)
        await feed.publish(world.registered(ref))
        await feed.publish(world.contact(ref))
        placement_id = uuid4()
        confirmed = world.event(
            PlacementConfirmed, ref, placement_id=placement_id, partner_id=world.WORKPLACES,
            employer_id=EMPLOYER, starts_on=world.DAY, ends_on=None,
        )  # fmt: skip
        confirmed_id = await feed.publish(confirmed)

        async def intake_related() -> bool:
            return bool(
                await intake.pool.fetchval(
                    "SELECT count(*) FROM zr_inbox WHERE event_id = $1", UUID(confirmed_id)
                )
            )

        await wait_for(intake_related, what="intake to record the placement")
        await feed.publish(
            world.event(
                JobCoachAssigned,
                ref,
                placement_id=placement_id,
                partner_id=world.WORKPLACES,
                job_coach=JOB_COACH,
                employer_id=EMPLOYER,
                assigned_from=world.DAY,
            )
        )

        def mail_to(address: str, words: str):
            return [m for m in smtp.to(address) if words in smtp.text(m)]

        [named, *_] = await wait_for(
            lambda: mail_to(HR, "Deelnemer: Amina Haddad"), what="the employer's named e-mail"
        )
        assert f"Amina Haddad ({ref})" in smtp.text(named)
        [withheld, *_] = await wait_for(
            lambda: mail_to(JAN, "name not shared"), what="the job coach's e-mail"
        )
        assert f"{ref} (name not shared: no consent to share the name with you)" in smtp.text(
            withheld
        )
        assert "Amina" not in withheld.as_string()

        reads = ok(await caseworker.get(f"/participants/{ref}/access-log"))
    assert reads and all(
        (r["actor"], r["purpose"], r["fields"]) == ("notifications", "name_in_message", ["name"])
        for r in reads
    )
    stored = await nt.pool.fetchval(
        "SELECT count(*) FROM nt_notifications"
        " WHERE body_text LIKE '%Amina%' OR body_html LIKE '%Amina%' OR subject LIKE '%Amina%'"
    )
    assert stored == 0
