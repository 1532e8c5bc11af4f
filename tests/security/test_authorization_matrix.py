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
from zroute_runtime.auth.matrix import matrix_for

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
}
# Moving the clock fires timers: its role check is exercised with a zero advance (422).
BODIES: dict[tuple[str, str], Any] = {("POST", "/admin/clock/advance"): {"seconds": 0}}


def path_for(template: str) -> str:
    def fill(match: re.Match[str]) -> str:
        return PLACEHOLDERS.get(match.group(1), str(uuid.uuid4()))

    return re.sub(r"{([^}]+)}", fill, template)


def role_refused(response: httpx.Response) -> bool:
    return response.status_code == 403 and "requires role" in response.text


async def check_service(runtime: Any, service: str) -> tuple[int, list[str]]:
    """Runs every case against one service; returns the number of cases and mismatches."""
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
            url = path_for(path)
            body = BODIES.get((method, path), {} if method in ("POST", "PUT") else None)

            async def call(
                headers: dict[str, str], method: str = method, url: str = url, body: Any = body
            ) -> httpx.Response:
                return await http.request(method, url, json=body, headers=headers)

            cases += 1
            anonymous = await call({})
            if access.public:
                if anonymous.status_code in (401, 403):
                    mismatches.append(f"{where} anonymous: {anonymous.status_code}, public")
                continue
            if anonymous.status_code != 401:
                mismatches.append(f"{where} anonymous: {anonymous.status_code}, expected 401")
            for caller in CALLERS:
                cases += 1
                response = await call(caller.headers())
                label = f"{where} as {caller.role} ({caller.scope}): {response.status_code}"
                if caller.role not in access.roles:
                    if response.status_code != 403:
                        mismatches.append(f"{label}, expected 403 (role not in the matrix)")
                elif response.status_code == 401 or role_refused(response):
                    mismatches.append(f"{label}, the matrix grants {access.grants[caller.role]}")
                elif response.status_code >= 500:
                    mismatches.append(f"{label}, a server error")
    return cases, mismatches


async def start(services: Any, service: str) -> Any:
    import importlib

    definition = importlib.import_module(f"zroute_{service}.bootstrap").definition
    settings_cls = importlib.import_module(f"zroute_{service}.settings").Settings
    overrides: dict[str, Any] = {}
    if service == "notifications":
        overrides = {"smtp_host": "127.0.0.1", "smtp_port": 9, "operator_email": None}
    settings = services.settings(settings_cls, **overrides)
    return await services.start(definition(settings), settings)


@pytest.mark.parametrize("service", ["intake", "planning", "support", "notifications"])
async def test_every_operation_answers_every_role_and_scope_as_the_matrix_says(services, service):
    runtime = await start(services, service)
    cases, mismatches = await check_service(runtime, service)
    print(f"{service}: {cases} (operation, role, scope) cases, {len(mismatches)} mismatches")
    assert cases > 0
    assert not mismatches, f"{len(mismatches)} of {cases} cases:\n" + "\n".join(mismatches)
