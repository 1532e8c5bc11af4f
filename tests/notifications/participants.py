"""A participant for the issue 18 tests: registered in a language, with a contact person
whose name and phone are in the staff directory, and a published week."""

from __future__ import annotations

from typing import Any

from zroute_contract.events import intake
from zroute_contract.events import planning as p
from zroute_contract.types import new_participant_ref
from zroute_letters import links
from zroute_letters.catalogue import Catalogues

from tests.notifications import world

CONTACT_NAME, CONTACT_PHONE = "Sanne de Vries", "038 498 1234"
CATS = Catalogues.load()


def schedule(ref: str, first_start: str = "09:30:00") -> p.SchedulePublished:
    sessions = [
        ("monday", "morning", first_start, 150, "classroom"),
        ("wednesday", "afternoon", "13:00:00", 150, "digital"),
        ("thursday", "morning", "09:00:00", 180, "practice_outside"),
    ]
    return world.event(
        p.SchedulePublished,
        ref,
        phase=1,
        valid_from="2027-01-11",
        sessions_per_week=3,
        session_minutes=150,
        variety_problems=[],
        sessions=[
            {
                "weekday": day,
                "day_part": part,
                "starts_at": at,
                "minutes": minutes,
                "teaching_form": form,
                "hours_kind": "language",
            }
            for day, part, at, minutes, form in sessions
        ],
    )


async def participant(feed: world.Feed, runtime: Any, language: str) -> str:
    ref = new_participant_ref()
    await feed.publish(world.agreement())
    await feed.publish(
        world.event(
            intake.ParticipantRegistered, ref, municipality="GM0363", preferred_language=language
        )
    )
    await feed.publish(world.contact(ref))
    await feed.all_handled(runtime)
    return ref


async def put_contact(runtime: Any) -> None:
    async with world.client(runtime) as http:
        response = await http.put(
            f"/directory/staff/{world.COACH}",
            json={
                "email": "anna@lead.test",
                "language": "en",
                "name": CONTACT_NAME,
                "phone": CONTACT_PHONE,
            },
        )
        assert response.status_code == 200, response.text


async def opened_link(runtime: Any, ref: str) -> tuple[Any, str]:
    """The page link of the participant's letter, and its token (signed as the letter's)."""
    link = await runtime.pool.fetchrow(
        "SELECT k.link_id, k.expires_at FROM nt_letters l"
        " JOIN nt_page_links k USING (link_id) WHERE l.participant_ref = $1",
        ref,
    )
    key = runtime.definition.deps.settings.page_link_keys()[0]
    return link, links.sign(key, link["link_id"], link["expires_at"])
