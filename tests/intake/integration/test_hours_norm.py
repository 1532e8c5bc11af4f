"""Issue 15 point 2 (B 3.14): the PIP records the Z-route's hours norm (course hours with
KNM, participation hours with PVT and MAP within them, credits, a reduced norm, course
hours only for family migrants) and ``pip-established`` carries it to planning.

Against the code before: the draft refused the unknown ``hours_norm`` field (422) and
``pip-established`` carried ``hours_norm: null``.
"""

from __future__ import annotations

from tests.helpers import capture, wait_for
from tests.intake.integration.flow import ok
from tests.intake.integration.test_pip import INTAKE, completed, content, established

NORM = {
    "category": "family_migrant",
    "reduction_ground": "auditory_impairment",
    "reduced_course_hours": 600,
    "credits": [{"part": "course", "hours": 40.5, "source": "intake"}],
}


async def test_the_pip_sets_the_norm_and_pip_established_carries_it(
    intake, client, amqp_connection
):
    seen = await capture(amqp_connection, intake.topology.exchange, "intake.#")
    ref = await completed(client, intake)
    body = await established(client, ref, hours_norm=NORM)
    norm = body["current"]["content"]["hours_norm"]
    assert norm["category"] == "family_migrant" and norm["reduced_course_hours"] == 600
    await wait_for(lambda: seen.of_type(INTAKE + "pip-established.v1"), what="pip")
    event = seen.of_type(INTAKE + "pip-established.v1")[0]["data"]
    assert event["hours_norm"] == {
        "family_migrant": True, "reduced_course_hours": 600.0,
        "reduced_participation_hours": None, "credited_course_hours": 40.5,
        "credited_participation_hours": 0.0,
    }  # fmt: skip


async def test_a_norm_against_b_3_14_is_refused_with_its_reason(intake, client):
    ref = await completed(client, intake)
    wrong = NORM | {"credits": [{"part": "participation", "hours": 10, "source": "intake"}]}
    response = await client.put(f"/participants/{ref}/pip/draft", json=content(hours_norm=wrong))
    assert response.status_code == 422
    assert "no participation hours to credit" in response.text
    quarter = NORM | {"reduced_course_hours": 600.1}
    response = await client.put(f"/participants/{ref}/pip/draft", json=content(hours_norm=quarter))
    assert response.status_code == 422
    ok(await client.put(f"/participants/{ref}/pip/draft", json=content(hours_norm=NORM)))
