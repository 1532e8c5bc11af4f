"""Places on the participant's week (issue 18), against the real planning and
notifications services: a coordinator gives a location code its name and address in
planning (``PUT /places/{location_id}``); ``schedule-published`` names the session's
location by code only; the personal page and the start letter, rendered by notifications,
show where, read from planning with notifications' own service token."""

from __future__ import annotations

import subprocess

import httpx
from zroute_contract.events import planning as p
from zroute_planning.bootstrap import definition as planning_definition
from zroute_planning.domain.rules import GroupRules, PlanningRules
from zroute_planning.settings import Settings as PlanningSettings
from zroute_runtime.auth import Role

from tests.helpers import capture, token, wait_for
from tests.notifications import world
from tests.notifications.participants import opened_link, participant, put_contact

PLACE = {"name": "Taalhuis Noord", "address": "Kerkplein 1, 8011 AB Zwolle"}


def schedule_at(ref: str, location_id: str) -> p.SchedulePublished:
    sessions = [
        ("monday", "morning", "09:30:00", "classroom", location_id),
        ("wednesday", "afternoon", "13:00:00", "digital", None),
    ]
    return world.event(
        p.SchedulePublished,
        ref,
        phase=1,
        valid_from="2027-01-11",
        sessions_per_week=2,
        session_minutes=150,
        variety_problems=[],
        sessions=[
            {
                "weekday": day,
                "day_part": part,
                "starts_at": at,
                "minutes": 150,
                "teaching_form": form,
                "hours_kind": "language",
                "location_id": where,
            }
            for day, part, at, form, where in sessions
        ],
    )


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


async def test_the_page_and_the_letter_show_where_the_week_takes_place(
    services, smtp, amqp_connection, tmp_path
):
    settings = services.settings(
        PlanningSettings, planning_rules=PlanningRules(groups=GroupRules()), solver_workers=1
    )
    planning = await services.start(planning_definition(settings), settings)
    base = f"http://127.0.0.1:{planning.http_port}"
    coordinator = {"Authorization": f"Bearer {token([Role.COORDINATOR])}"}
    async with httpx.AsyncClient(base_url=base, headers=coordinator) as http:
        saved = await http.put("/places/taalhuis-noord", json=PLACE)
        assert saved.status_code == 200, saved.text
        bad = await http.put("/places/taalhuis-noord", json={"name": "", "address": "x"})
        assert bad.status_code == 422
    staff = {"Authorization": f"Bearer {token([Role.PARTNER_STAFF], partner_id='school')}"}
    async with httpx.AsyncClient(base_url=base, headers=staff) as http:
        refused = await http.put("/places/taalhuis-noord", json=PLACE)
        assert refused.status_code == 403
        assert (await http.get("/places/nowhere")).status_code == 404

    nt = await world.start(services, smtp.port, planning_api_url=base)
    bus = await capture(amqp_connection, nt.topology.exchange, "#")
    feed = world.Feed(amqp_connection, nt.topology.exchange)
    await put_contact(nt)
    ref = await participant(feed, nt, "uk")
    await feed.publish(schedule_at(ref, "taalhuis-noord"))

    async def letter_written() -> bool:
        return bool(
            await nt.pool.fetchval(
                "SELECT count(*) FROM nt_letters WHERE participant_ref = $1", ref
            )
        )

    await wait_for(letter_written, timeout=90, what="the start letter")
    _, page_token = await opened_link(nt, ref)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{nt.http_port}") as anonymous:
        page = await anonymous.get(f"/p/{page_token}")
    assert page.status_code == 200, page.text
    assert "Taalhuis Noord, Kerkplein 1, 8011 AB Zwolle" in page.text
    assert "taalhuis-noord" not in page.text  # the code is resolved, not shown

    async with world.client(nt, [Role.CASEWORKER], municipality="GM0363") as caseworker:
        [letter] = (await caseworker.get(f"/participants/{ref}/letters")).json()
        # Printed now, from the kept content (WeasyPrint's first use takes a moment).
        pdf = await caseworker.get(letter["pdf"], timeout=90)
    assert pdf.status_code == 200, pdf.text
    assert "Taalhuis Noord" in pdf_text(pdf.content, tmp_path)

    # Only the code travels: the place's name and address are on no event.
    on_the_bus = " ".join(m.body.decode() for m in bus.messages)
    assert "Taalhuis Noord" not in on_the_bus and "Kerkplein" not in on_the_bus
