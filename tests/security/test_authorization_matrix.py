"""The generated authorization test: every operation of every service's OpenAPI document,
called with every role and scope, answers as the access matrix says (issue 12).

For each service, running for real on the broker and database, the test reads
``/openapi.json`` and calls every operation in it with:

- no token (401 unless the matrix calls the operation public);
- each role, as a token for the own municipality (GM0363), another municipality (GM0599)
  and no municipality claim (caseworkers, coordinators); for the own and another partner
  (partner staff); and as the operator.

A role the matrix does not name must get 403, whatever the route code would do; a role it
names must get past the role check (no 401, no "requires role" 403; the route may still
refuse the record with 403, 404 or 422). An operation in the document without a matrix
entry fails the test, and so does a matrix entry the document does not have.

Real data in two municipalities: intake, planning and support are seeded with records of
GM0363 (participants, consents, plans, groups, referrals, preconditions, placements, a
programme taught by care-a), and every
operation whose path names them is called with their ids. On those, a caller of the
other municipality (GM0599) or of another partner is never answered 2xx where the matrix
limits its role to its own municipality or partner, a read by the other municipality is
403 or 404 (or an empty list), and a read by the own municipality is not refused (200,
or 404 for a part not made yet). Notifications
is called with well-formed ids of records that do not exist (its scope on real data in
two municipalities is proven by tests/notifications/integration/test_attack_rows.py).

Every mismatch is collected, so the count against older code is one number; the test
prints the number of (operation, role, scope) cases it ran.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from zroute_runtime.auth import Role
from zroute_runtime.auth.matrix import Access, Scope, matrix_for

from tests.helpers import token

OWN, OTHER = "GM0363", "GM0599"


@dataclass(frozen=True)
class Caller:
    role: Role
    scope: str
    partner_id: str | None = None
    municipality: str | None = None

    def headers(self) -> dict[str, str]:
        bearer = token(
            [self.role],
            partner_id=self.partner_id,
            municipality=self.municipality,
            subject=f"authz-{self.role}",
        )
        return {"Authorization": f"Bearer {bearer}"}


CALLERS = [
    *(
        Caller(role, scope, municipality=code)
        for role in (Role.CASEWORKER, Role.COORDINATOR)
        for scope, code in (("own", OWN), ("other municipality", OTHER), ("no municipality", None))
    ),
    Caller(Role.PARTNER_STAFF, "own partner", partner_id="care-a", municipality=None),
    Caller(Role.PARTNER_STAFF, "other partner", partner_id="care-b", municipality=None),
    Caller(Role.OPERATOR, "any"),
    Caller(Role.SERVICE, "any"),
]

# A syntactically valid value for every path parameter name the services use.
PLACEHOLDERS = {
    "participant_ref": "zr-" + "0" * 31 + "1",
    "partner_id": "care-a",
    "programme_id": "amsterdam-z",
    "version": "1",
    "kind": "partner",
    "ref": "care-a",
    "name": "cloudevent.json",
    "module": "digital_skills",
    "location_id": "town-hall",
}
# Moving the clock fires timers: its role check is exercised with a zero advance (422).
BODIES: dict[tuple[str, str], Any] = {("POST", "/admin/clock/advance"): {"seconds": 0}}
QUERIES: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/programmes/{programme_id}/responsible"): {"task": "childcare"},
    ("GET", "/participants/{participant_ref}/contact-card"): {"purpose": "contact_participant"},
    ("GET", "/participants/{participant_ref}/name-for-message"): {"partner_id": "care-a"},
}


def path_for(template: str) -> str:
    def fill(match: re.Match[str]) -> str:
        return PLACEHOLDERS.get(match.group(1), str(uuid.uuid4()))

    return re.sub(r"{([^}]+)}", fill, template)


def seeded_path(template: str, known: dict[str, str]) -> str | None:
    names = re.findall(r"{([^}]+)}", template)
    if not names or not all(n in known for n in names):
        return None
    return re.sub(r"{([^}]+)}", lambda m: known[m.group(1)], template)


def role_refused(response: httpx.Response) -> bool:
    return response.status_code == 403 and "requires role" in response.text


async def check_service(
    runtime: Any, service: str, known: dict[str, str] | None = None
) -> tuple[int, list[str]]:
    """Runs every case against one service; returns the number of cases and mismatches."""
    known = known or {}
    matrix = matrix_for(service)
    operator = Caller(Role.OPERATOR, "any").headers()
    mismatches: list[str] = []
    cases = 0
    base = f"http://127.0.0.1:{runtime.http_port}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        spec = (await http.get("/openapi.json", headers=operator)).json()
        operations = [
            (method.upper(), path)
            for path, item in spec["paths"].items()
            for method in item
            if method in ("get", "post", "put", "patch", "delete")
        ]
        documented = set(operations) | {("GET", "/metrics")}
        for method, path in sorted(set(matrix) - documented):
            mismatches.append(f"{method} {path}: in the matrix but not served")
        for method, path in operations:
            where = f"{service} {method} {path}"
            access = matrix.get((method, path))
            if access is None:
                mismatches.append(f"{where}: no access matrix entry")
                continue
            seeded = seeded_path(path, known)
            url = seeded or path_for(path)
            body = BODIES.get((method, path), {} if method in ("POST", "PUT") else None)

            query = QUERIES.get((method, path), {})

            async def call(
                headers: dict[str, str],
                method: str = method,
                url: str = url,
                body: Any = body,
                query: dict[str, str] = query,
            ) -> httpx.Response:
                return await http.request(method, url, json=body, params=query, headers=headers)

            cases += 1
            anonymous = await call({})
            mismatches += anonymous_mismatches(where, access, anonymous)
            if access.public:
                continue
            for caller in CALLERS:
                cases += 1
                response = await call(caller.headers())
                mismatches += caller_mismatches(where, method, access, caller, response, seeded)
    return cases, mismatches


def anonymous_mismatches(where: str, access: Access, response: httpx.Response) -> list[str]:
    """A public operation answers without a token; every other one answers 401."""
    if access.public:
        if response.status_code in (401, 403):
            return [f"{where} anonymous: {response.status_code}, public"]
        return []
    if response.status_code != 401:
        return [f"{where} anonymous: {response.status_code}, expected 401"]
    return []


def caller_mismatches(
    where: str,
    method: str,
    access: Access,
    caller: Caller,
    response: httpx.Response,
    seeded: str | None,
) -> list[str]:
    """The answer to one role and scope against what the matrix grants it."""
    label = f"{where} as {caller.role} ({caller.scope}): {response.status_code}"
    if caller.role not in access.roles:
        if response.status_code != 403:
            return [f"{label}, expected 403 (role not in the matrix)"]
        return []
    if response.status_code == 401 or role_refused(response):
        return [f"{label}, the matrix grants {access.grants[caller.role]}"]
    if response.status_code >= 500:
        return [f"{label}, a server error"]
    if seeded is not None:
        return on_real_data(label, method, access.grants[caller.role], caller, response)
    return []


def on_real_data(label: str, method: str, scope: Scope, caller: Caller, response) -> list[str]:
    """The scope check on a seeded record of GM0363 (addressed to care-a or another)."""
    status = response.status_code
    outsider = (caller.scope == "other municipality" and scope is Scope.OWN_MUNICIPALITY) or (
        caller.scope == "other partner" and scope in (Scope.OWN_PARTNER, Scope.ADDRESSED_PARTNER)
    )
    # A filtered list (an HTML or file answer, such as the right-of-access document, is none).
    is_json = response.headers.get("content-type", "").startswith("application/json")
    nothing = status == 200 and method == "GET" and is_json and response.json() == []
    if outsider and 200 <= status < 300 and not nothing:
        return [f"{label}, another {caller.scope.split()[-1]}'s record was served"]
    if outsider and method == "GET" and status not in (403, 404) and not nothing:
        return [f"{label}, expected 403 or 404 for another {caller.scope.split()[-1]}'s record"]
    if caller.scope == "own" and method == "GET" and status not in (200, 404):
        # 404: a part not made yet (a follow-up), never a refusal of the own municipality
        return [f"{label}, expected 200 for the own municipality's record"]
    return []


async def seed_intake(runtime: Any) -> dict[str, str]:
    from tests.intake import builders
    from tests.intake.integration.flow import register

    headers = Caller(Role.CASEWORKER, "own", municipality=OWN).headers()
    base = f"http://127.0.0.1:{runtime.http_port}"
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
        ref = (await register(http))["participant_ref"]
        given = str(runtime.clock.now().date())
        consent = await http.post(
            f"/participants/{ref}/consents", json=builders.consent(given_on=given)
        )
        assert consent.status_code == 201, consent.text
    return {"participant_ref": ref, "consent_id": consent.json()["consents"][0]["consent_id"]}


async def seed_planning(runtime: Any, amqp_connection: Any) -> dict[str, str]:
    from tests.helpers import capture
    from tests.planning.events import PROGRAMME
    from tests.planning.integration.conftest import Planning
    from tests.planning.integration.test_attack_rows import agreement, participants

    seen = await capture(amqp_connection, runtime.topology.exchange, "planning.#")
    base = f"http://127.0.0.1:{runtime.http_port}"
    async with httpx.AsyncClient(base_url=base, headers=Caller(Role.OPERATOR, "any").headers(),
                                 timeout=30) as http:  # fmt: skip
        planning = Planning(runtime, seen, http, amqp_connection)
        await agreement(planning, PROGRAMME, OWN, "care-a")
        refs = await participants(planning, PROGRAMME, OWN)
        coordinator = Caller(Role.COORDINATOR, "own", municipality=OWN).headers()
        formed = await http.post(
            "/group-formations", json={"programme_id": PROGRAMME}, headers=coordinator
        )
        assert formed.status_code == 200, formed.text
        [group] = (await http.get("/groups", headers=coordinator)).json()
    return {"participant_ref": sorted(refs)[0], "group_id": group["group_id"]}


async def seed_support(runtime: Any, amqp_connection: Any) -> dict[str, str]:
    from tests.helpers import capture
    from tests.support.integration.test_placements import requested
    from tests.support.integration.test_preconditions import childcare_task, intake
    from tests.support.integration.test_referrals import referred
    from tests.support.scenario import PROGRAMME, Scenario

    seen = await capture(amqp_connection, runtime.topology.exchange)
    scenario = Scenario(runtime, seen, amqp_connection)
    await scenario.setup()
    ref, referral = await referred(scenario)
    await scenario.feed(intake(ref, childcare=True, transport=False))
    precondition = await childcare_task(scenario, ref)
    placement = requested(ref)
    await scenario.feed(placement)
    await scenario.close()
    return {
        "participant_ref": ref,
        "referral_id": referral["data"]["referral_id"],
        "precondition_id": precondition["precondition_id"],
        "request_id": str(placement.placement_request_id),
        "programme_id": PROGRAMME,
    }


async def start(services: Any, service: str) -> Any:
    import importlib

    definition = importlib.import_module(f"zroute_{service}.bootstrap").definition
    settings_cls = importlib.import_module(f"zroute_{service}.settings").Settings
    overrides: dict[str, Any] = {}
    if service == "notifications":
        overrides = {"smtp_host": "127.0.0.1", "smtp_port": 9, "operator_email": None}
    if service == "planning":
        from tests.planning.integration.conftest import TEST_RULES

        overrides = {"planning_rules": TEST_RULES, "solver_workers": 1}
    settings = services.settings(settings_cls, **overrides)
    return await services.start(definition(settings), settings)


@pytest.mark.parametrize("service", ["intake", "planning", "support", "notifications"])
async def test_every_operation_answers_every_role_and_scope_as_the_matrix_says(
    services, amqp_connection, service
):
    runtime = await start(services, service)
    known: dict[str, str] = {}
    if service == "intake":
        known = await seed_intake(runtime)
    elif service == "planning":
        known = await seed_planning(runtime, amqp_connection)
    elif service == "support":
        known = await seed_support(runtime, amqp_connection)
    cases, mismatches = await check_service(runtime, service, known)
    print(f"{service}: {cases} (operation, role, scope) cases, {len(mismatches)} mismatches")
    assert cases > 0
    assert not mismatches, f"{len(mismatches)} of {cases} cases:\n" + "\n".join(mismatches)
