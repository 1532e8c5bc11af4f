"""Attacks of issue 12 on planning, replayed over HTTP against the running service.

Row 7: the waiting list was visible to every partner and municipality, a GM0363 caseworker
read GM0599's groups with their members, and a GM0363 coordinator ran group formation for
GM0599's programme. Row 10: group formation checked a fixed default partner instead of
the programme's teaching partner.
"""

from __future__ import annotations

import uuid

from zroute_contract.events.codes import RouteTask
from zroute_contract.events.intake import ParticipantRegistered
from zroute_contract.events.support import AgreementRecorded, TaskAssignment
from zroute_runtime.auth import Role

from tests.helpers import token
from tests.planning.events import PROGRAMME, SUPPORT, TODAY
from tests.planning.integration.conftest import intake_completed

OWN, OTHER = "GM0363", "GM0599"
OTHER_PROGRAMME = "programme-ede"


def bearer(role: Role, **claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {token([role], **claims)}"}


async def participants(planning, programme: str, municipality: str, count: int = 3) -> set[str]:
    refs = set()
    for _ in range(count):
        intake = intake_completed().model_copy(
            update={"programme_id": programme, "municipality": municipality}
        )
        await planning.feed(
            ParticipantRegistered(
                participant_ref=intake.participant_ref,
                programme_id=programme,
                municipality=municipality,
                registered_on=TODAY,
                preferred_language="ar",
                interpreter_needed=False,
            )
        )
        await planning.activate(intake)
        refs.add(intake.participant_ref)
    return refs


async def agreement(planning, programme: str, municipality: str, teacher: str) -> None:
    await planning.feed(
        AgreementRecorded(
            agreement_id=uuid.uuid4(),
            programme_id=programme,
            municipality=municipality,
            version=1,
            valid_from=TODAY,
            lead_partner_id=teacher,
            assignments=(TaskAssignment(task=RouteTask.LANGUAGE_TEACHING, partner_id=teacher),),
        ),
        source=SUPPORT,
    )


async def test_row7_row10_planning_keeps_to_a_municipality_and_the_programmes_teacher(planning):
    await agreement(planning, PROGRAMME, OWN, "language-school")
    await agreement(planning, OTHER_PROGRAMME, OTHER, "ede-school")
    own = await participants(planning, PROGRAMME, OWN)
    other = await participants(planning, OTHER_PROGRAMME, OTHER)
    http = planning.http

    async def waiting(headers) -> set[str]:
        response = await http.get("/waiting-list", headers=headers)
        assert response.status_code == 200, response.text
        return {w["participant_ref"] for w in response.json()}

    assert await waiting(bearer(Role.CASEWORKER, municipality=OWN)) == own
    assert await waiting(bearer(Role.PARTNER_STAFF, partner_id="ede-school")) == other
    assert await waiting(bearer(Role.PARTNER_STAFF, partner_id="stranger-school")) == set()

    refused = await http.post(
        "/group-formations",
        json={"programme_id": OTHER_PROGRAMME},
        headers=bearer(Role.COORDINATOR, municipality=OWN),
    )
    assert refused.status_code == 403, refused.text
    assert await waiting(bearer(Role.COORDINATOR)) == own | other  # nothing was formed

    # Row 10: the programme's own teaching partner forms its groups; the default may not.
    default = await http.post(
        "/group-formations",
        json={"programme_id": OTHER_PROGRAMME},
        headers=bearer(Role.PARTNER_STAFF, partner_id="language-school"),
    )
    assert default.status_code == 403, default.text
    formed = await http.post(
        "/group-formations",
        json={"programme_id": OTHER_PROGRAMME},
        headers=bearer(Role.PARTNER_STAFF, partner_id="ede-school"),
    )
    assert formed.status_code == 200, formed.text
    assert formed.json()["groups_formed"] == 1
    assert (
        await http.post("/group-formations", json={"programme_id": PROGRAMME})
    ).status_code == 200

    mine = await http.get("/groups", headers=bearer(Role.CASEWORKER, municipality=OWN))
    assert {m for g in mine.json() for m in g["members"]} == own
    everyone = (await http.get("/groups")).json()
    [theirs] = [g for g in everyone if g["programme_id"] == OTHER_PROGRAMME]
    denied = await http.get(
        f"/groups/{theirs['group_id']}", headers=bearer(Role.CASEWORKER, municipality=OWN)
    )
    assert denied.status_code == 403
    allowed = await http.get(
        f"/groups/{theirs['group_id']}", headers=bearer(Role.CASEWORKER, municipality=OTHER)
    )
    assert allowed.status_code == 200 and set(allowed.json()["members"]) == other
