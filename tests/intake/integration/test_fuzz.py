"""Malformed bodies at every endpoint: never a 5xx, a refused request stores nothing (no
state change, no event, no timer, no access-log row), and an accepted one (a bent body
may still be valid) commits its change together with its events."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.intake import builders
from tests.intake.integration.flow import complete, hold_intake, register

EXAMPLES_PER_ENDPOINT = 40

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def malformed(draw, valid: dict[str, Any]) -> Any:
    """A valid body bent out of shape: a key dropped, a value replaced, a key added, a
    nested value replaced, or something else entirely."""
    kind = draw(st.sampled_from(["drop", "replace", "add", "nested", "other"]))
    body = json.loads(json.dumps(valid))
    keys = sorted(body)
    if kind == "drop":
        body.pop(draw(st.sampled_from(keys)))
    elif kind == "replace":
        body[draw(st.sampled_from(keys))] = draw(json_values)
    elif kind == "add":
        body[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
    elif kind == "nested":
        nested = [k for k in keys if isinstance(body[k], dict | list) and body[k]]
        if not nested:
            return draw(json_values)
        key = draw(st.sampled_from(nested))
        inner = body[key] if isinstance(body[key], dict) else body[key][0]
        if isinstance(inner, dict):
            inner[draw(st.sampled_from(sorted(inner)))] = draw(json_values)
        else:
            body[key][0] = draw(json_values)
    else:
        return draw(json_values)
    return body


FUZZ = settings(
    max_examples=EXAMPLES_PER_ENDPOINT,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

SNAPSHOT = """
SELECT (SELECT coalesce(string_agg(ref || ':' || version || ':' || status, ',' ORDER BY ref), '')
          FROM intake_participants),
       (SELECT count(*) FROM zr_outbox),
       (SELECT count(*) FROM zr_timers),
       (SELECT count(*) FROM intake_access_log)
"""


async def test_malformed_bodies_never_cause_a_5xx_nor_store_anything_half(intake, client):
    fresh = (await register(client))["participant_ref"]
    held = (await register(client))["participant_ref"]
    await hold_intake(client, intake, held)
    done = (await register(client))["participant_ref"]
    await complete(client, intake, done)
    today = str(intake.clock.now().date())
    endpoints = [
        ("POST", "/participants", builders.registration()),
        ("PUT", f"/participants/{fresh}/intake", builders.schedule(days_ahead=30)),
        ("POST", f"/participants/{held}/intake/outcome", builders.outcome()),
        ("POST", f"/participants/{done}/intake/corrections", builders.outcome(reason="reassessment")),
        ("PUT", f"/participants/{fresh}/contact-person",
         {"contact_person": builders.contact("bram-b"), "assigned_from": today}),
        ("POST", f"/participants/{fresh}/consents", builders.consent(given_on=today)),
        ("POST", f"/participants/{fresh}/withdrawal", {"reason": "moved", "effective_on": today}),
    ]  # fmt: skip
    loop = asyncio.get_running_loop()
    base = str(client.base_url)
    headers = dict(client.headers)

    def snapshot() -> tuple:
        future = asyncio.run_coroutine_threadsafe(intake.pool.fetchrow(SNAPSHOT), loop)
        return tuple(future.result(timeout=10))

    def check(http: httpx.Client, method: str, path: str, **kwargs: Any) -> None:
        before = snapshot()
        response = http.request(method, path, **kwargs)
        assert response.status_code < 500, (method, path, response.status_code, response.text)
        after = snapshot()
        if response.status_code >= 400:
            assert after == before, (method, path, "a refused request changed something")
        elif method != "GET":  # an accepted change commits with its event(s), never without
            assert after[1] > before[1], (method, path, "a change without its event")

    def fuzzer(http: httpx.Client, method: str, path: str, valid: dict[str, Any]):
        @FUZZ
        @given(body=malformed(valid))
        def bent_body(body: Any) -> None:
            check(http, method, path, json=body)

        return bent_body

    def fuzz_all() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
            for method, path, valid in endpoints:
                fuzzer(http, method, path, valid)()

            @FUZZ
            @given(
                raw=st.binary(max_size=64),
                if_match=st.text(
                    alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=12
                ),
                consent=st.text(
                    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="/?#%"),
                    min_size=1, max_size=40,
                ),
                query=st.text(max_size=20),
            )  # fmt: skip
            def bent_requests(raw: bytes, if_match: str, consent: str, query: str) -> None:
                content = {"Content-Type": "application/json"}
                check(http, "POST", "/participants", content=raw, headers=content)
                check(http, "POST", f"/participants/{fresh}/consents/{consent}/withdrawal")
                check(
                    http, "PUT", f"/participants/{fresh}/intake",
                    json=builders.schedule(days_ahead=30), headers={"If-Match": if_match},
                )  # fmt: skip
                for name in ("status", "contact_staff_ref", "intake_from", "limit", "offset"):
                    check(http, "GET", "/participants", params={name: query})
                check(http, "GET", f"/participants/{fresh}", params={"purpose": query})

            bent_requests()

    await asyncio.to_thread(fuzz_all)
