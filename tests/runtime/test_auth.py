"""Authentication and authorisation on a real endpoint: uvicorn serving the app factory's app.

401 when the caller cannot be identified (no, garbage, expired, forged, foreign token),
403 when the caller is known but lacks the role or acts for another partner.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from zroute_contract.errors import Forbidden
from zroute_runtime.auth import (
    AuthConfigurationError,
    InvalidToken,
    Principal,
    Role,
    ensure_partner_access,
    issue_token,
    principal_from_claims,
)
from zroute_runtime.settings import ServiceSettings

from tests.runtime.http_fixtures import local_settings, probe_app, serve

SETTINGS = local_settings()


def token(*roles: Role, **kwargs: Any) -> str:
    return issue_token(SETTINGS, "staff-7f3a", roles, **kwargs)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def raw_token(
    claims: dict[str, Any], key: str = SETTINGS.auth_signing_key.get_secret_value()
) -> str:
    now = datetime.now(UTC)
    base = {"iss": SETTINGS.auth_issuer, "aud": SETTINGS.auth_audience, "iat": now}
    return jwt.encode({**base, **claims}, key, algorithm="HS256")


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(probe_app(SETTINGS)) as url, httpx.AsyncClient(base_url=url) as http:
        yield http


def assert_unauthorized(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"error": reason, "detail": []}


# --- 401: the caller cannot be identified ----------------------------------------------


async def test_a_request_without_a_token_gets_401_with_a_bearer_challenge(client) -> None:
    response = await client.get("/cases")
    assert_unauthorized(response, "missing bearer token")
    assert "invalid_token" not in response.headers["WWW-Authenticate"]


async def test_a_non_bearer_authorization_header_counts_as_no_token(client) -> None:
    response = await client.get("/cases", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert_unauthorized(response, "missing bearer token")


async def test_a_garbage_token_gets_401_invalid_token(client) -> None:
    response = await client.get("/cases", headers=bearer("not-a-jwt"))
    assert_unauthorized(response, "malformed token")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


async def test_an_expired_token_gets_401(client) -> None:
    expired = token(Role.CASEWORKER, issued_at=datetime.now(UTC) - timedelta(hours=2))
    assert_unauthorized(await client.get("/cases", headers=bearer(expired)), "token expired")


async def test_a_token_signed_with_another_key_gets_401(client) -> None:
    forged = issue_token(
        local_settings(auth_signing_key="another-key-of-sufficient-length-0123456789"),
        "staff-7f3a",
        [Role.CASEWORKER],
    )
    response = await client.get("/cases", headers=bearer(forged))
    assert_unauthorized(response, "token signature does not verify")


async def test_a_token_for_another_audience_gets_401(client) -> None:
    other = issue_token(
        local_settings(auth_audience="zroute-planning"), "staff-7f3a", [Role.CASEWORKER]
    )
    response = await client.get("/cases", headers=bearer(other))
    assert_unauthorized(response, "token is not meant for this service (audience)")


async def test_a_token_from_another_issuer_gets_401(client) -> None:
    other = issue_token(local_settings(auth_issuer="elsewhere"), "staff-7f3a", [Role.CASEWORKER])
    response = await client.get("/cases", headers=bearer(other))
    assert_unauthorized(response, "token issuer is not trusted")


async def test_a_token_without_expiry_gets_401(client) -> None:
    eternal = raw_token({"sub": "staff-7f3a", "roles": ["caseworker"]})
    response = await client.get("/cases", headers=bearer(eternal))
    assert_unauthorized(response, "token lacks the exp claim")


async def test_an_unsigned_alg_none_token_gets_401(client) -> None:
    claims = {
        "iss": SETTINGS.auth_issuer,
        "aud": SETTINGS.auth_audience,
        "sub": "staff-7f3a",
        "roles": ["caseworker"],
        "exp": datetime.now(UTC) + timedelta(hours=1),
    }
    unsigned = jwt.encode(claims, None, algorithm="none")
    response = await client.get("/cases", headers=bearer(unsigned))
    assert_unauthorized(response, "token signing algorithm not accepted")


async def test_a_partner_staff_token_without_partner_id_gets_401(client) -> None:
    exp = datetime.now(UTC) + timedelta(hours=1)
    claims = {"sub": "staff-7f3a", "roles": ["partner_staff"], "exp": exp}
    response = await client.get("/whoami", headers=bearer(raw_token(claims)))
    assert_unauthorized(response, "token has role partner_staff but no partner_id")


# --- 403: known caller, not allowed ---------------------------------------------------


async def test_a_valid_token_without_the_role_gets_403(client) -> None:
    response = await client.get("/cases", headers=bearer(token(Role.OPERATOR)))
    assert response.status_code == 403
    assert response.json() == {"error": "requires role: caseworker", "detail": []}


async def test_roles_unknown_to_the_platform_grant_nothing(client) -> None:
    exp = datetime.now(UTC) + timedelta(hours=1)
    claims = {"sub": "staff-7f3a", "roles": ["admin", "offline_access"], "exp": exp}
    response = await client.get("/cases", headers=bearer(raw_token(claims)))
    assert response.status_code == 403


async def test_partner_staff_of_one_partner_get_403_on_another_partners_records(client) -> None:
    staff_a = token(Role.PARTNER_STAFF, partner_id="taalschool-a")
    response = await client.get("/partners/zorg-b/things", headers=bearer(staff_a))
    assert response.status_code == 403
    assert response.json()["error"] == "no access to this partner's records"


# --- 200: the right caller -------------------------------------------------------------


async def test_a_caseworker_token_reaches_the_caseworker_endpoint(client) -> None:
    response = await client.get("/cases", headers=bearer(token(Role.CASEWORKER)))
    assert response.status_code == 200
    assert response.json()["subject"] == "staff-7f3a"


async def test_partner_staff_reach_their_own_partners_records(client) -> None:
    staff_a = token(Role.PARTNER_STAFF, partner_id="taalschool-a")
    response = await client.get("/partners/taalschool-a/things", headers=bearer(staff_a))
    assert response.status_code == 200


async def test_a_coordinator_reaches_any_partners_records(client) -> None:
    coordinator = token(Role.COORDINATOR, municipality="GM0363")
    response = await client.get("/partners/zorg-b/things", headers=bearer(coordinator))
    assert response.status_code == 200


async def test_operational_endpoints_need_no_token(client) -> None:
    for path in ("/health", "/ready", "/metrics"):
        assert (await client.get(path)).status_code == 200, path


# --- a service with no auth configured runs closed, not open ----------------------------


async def test_a_service_without_auth_settings_refuses_every_token() -> None:
    bare = ServiceSettings(auth_signing_key=None, auth_oidc_jwks_url=None)
    async with serve(probe_app(bare)) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.get("/cases", headers=bearer(token(Role.CASEWORKER)))
        assert response.status_code == 503
        assert (await http.get("/health")).status_code == 200


# --- OIDC: keys from a JWKS endpoint, RS256 and ES256 --------------------------------


@dataclass
class IdentityProvider:
    """Keys of a stand-in OIDC provider and the URL of its JWKS."""

    rsa_key: rsa.RSAPrivateKey
    ec_key: ec.EllipticCurvePrivateKey
    jwks_url: str
    issuer: str = "https://idp.example.test/realms/zroute"
    audience: str = "zroute-probe"

    def sign(
        self,
        roles: list[str],
        *,
        key: str = "rsa",
        ttl: timedelta = timedelta(minutes=5),
        **claims: Any,
    ) -> str:
        now = datetime.now(UTC)
        body = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": "staff-oidc-1",
            "iat": now,
            "exp": now + ttl,
            "roles": roles,
            **claims,
        }
        if key == "rsa":
            return jwt.encode(body, self.rsa_key, algorithm="RS256", headers={"kid": "rsa-1"})
        return jwt.encode(body, self.ec_key, algorithm="ES256", headers={"kid": "ec-1"})

    def settings(self, **overrides: Any) -> ServiceSettings:
        values = {
            "auth_signing_key": None,
            "auth_oidc_jwks_url": self.jwks_url,
            "auth_issuer": self.issuer,
            "auth_audience": self.audience,
            **overrides,
        }
        return ServiceSettings(**values)


def _jwk(public_key: Any, kid: str, alg: str) -> dict[str, Any]:
    algorithm = jwt.algorithms.RSAAlgorithm if alg == "RS256" else jwt.algorithms.ECAlgorithm
    jwk = algorithm.to_jwk(public_key, as_dict=True)
    return {**jwk, "kid": kid, "alg": alg, "use": "sig"}


@pytest.fixture(scope="module")
async def idp() -> AsyncIterator[IdentityProvider]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    keys = {
        "keys": [
            _jwk(rsa_key.public_key(), "rsa-1", "RS256"),
            _jwk(ec_key.public_key(), "ec-1", "ES256"),
        ]
    }

    async def jwks(_: Request) -> JSONResponse:
        return JSONResponse(keys)

    async with serve(Starlette(routes=[Route("/jwks.json", jwks)])) as url:
        yield IdentityProvider(rsa_key=rsa_key, ec_key=ec_key, jwks_url=f"{url}/jwks.json")


@pytest.fixture(scope="module")
async def oidc_client(idp: IdentityProvider) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(probe_app(idp.settings())) as url, httpx.AsyncClient(base_url=url) as http:
        yield http


async def test_an_rs256_token_from_the_identity_provider_is_accepted(idp, oidc_client) -> None:
    response = await oidc_client.get("/cases", headers=bearer(idp.sign(["caseworker"])))
    assert response.status_code == 200, response.text
    assert response.json()["subject"] == "staff-oidc-1"


async def test_an_es256_token_from_the_identity_provider_is_accepted(idp, oidc_client) -> None:
    signed = idp.sign(["partner_staff"], key="ec", partner_id="zorg-b")
    response = await oidc_client.get("/partners/zorg-b/things", headers=bearer(signed))
    assert response.status_code == 200, response.text


async def test_an_oidc_token_without_the_role_gets_403(idp, oidc_client) -> None:
    response = await oidc_client.get("/cases", headers=bearer(idp.sign(["operator"])))
    assert response.status_code == 403


async def test_an_expired_oidc_token_gets_401(idp, oidc_client) -> None:
    expired = idp.sign(["caseworker"], ttl=timedelta(minutes=-5))
    assert_unauthorized(await oidc_client.get("/cases", headers=bearer(expired)), "token expired")


async def test_a_token_with_a_key_id_the_provider_does_not_publish_gets_401(oidc_client) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    forged = jwt.encode(
        {"iss": "x", "aud": "zroute-probe", "sub": "s", "exp": now + timedelta(minutes=5)},
        stranger,
        algorithm="RS256",
        headers={"kid": "rsa-unknown"},
    )
    response = await oidc_client.get("/cases", headers=bearer(forged))
    assert_unauthorized(response, "token signed with an unknown key")


async def test_a_locally_signed_token_is_refused_when_oidc_is_configured(idp, oidc_client) -> None:
    # Algorithm confusion: HS256 "signed" with the provider's public key as the secret.
    public_pem = idp.rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = datetime.now(UTC)
    claims = {
        "iss": idp.issuer,
        "aud": idp.audience,
        "sub": "s",
        "roles": ["caseworker"],
        "exp": now + timedelta(minutes=5),
    }
    header = {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}
    confused = _hs256_by_hand(header, claims, public_pem)
    response = await oidc_client.get("/cases", headers=bearer(confused))
    assert_unauthorized(response, "token signing algorithm not accepted")


def _hs256_by_hand(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    # PyJWT refuses to use a PEM key as an HMAC secret, so an attacker's token is built here.
    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    body = {**claims, "exp": int(claims["exp"].timestamp())}
    signing_input = b64(json.dumps(header).encode()) + b"." + b64(json.dumps(body).encode())
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + b64(signature)).decode()


async def test_an_unreachable_identity_provider_gives_503_not_401(idp) -> None:
    dead = idp.settings(auth_oidc_jwks_url="http://127.0.0.1:9/jwks.json")
    async with serve(probe_app(dead)) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.get("/cases", headers=bearer(idp.sign(["caseworker"])))
    assert response.status_code == 503
    assert response.json()["error"] == "identity provider keys unavailable"


async def test_an_identity_provider_publishing_no_usable_keys_gives_503(idp) -> None:
    async def empty_jwks(_: Request) -> JSONResponse:
        return JSONResponse({"keys": []})

    async with serve(Starlette(routes=[Route("/jwks.json", empty_jwks)])) as jwks_url:
        empty = idp.settings(auth_oidc_jwks_url=f"{jwks_url}/jwks.json")
        async with serve(probe_app(empty)) as url, httpx.AsyncClient(base_url=url) as http:
            response = await http.get("/cases", headers=bearer(idp.sign(["caseworker"])))
    assert response.status_code == 503
    assert response.json()["error"] == "identity provider keys unusable"


# --- pure rules -----------------------------------------------------------------------


def test_issue_token_needs_a_signing_key() -> None:
    with pytest.raises(AuthConfigurationError):
        issue_token(local_settings(auth_signing_key=None), "s", [Role.CASEWORKER])


def test_issue_token_refuses_a_short_signing_key() -> None:
    with pytest.raises(AuthConfigurationError, match="at least 32 bytes"):
        issue_token(local_settings(auth_signing_key="short"), "s", [Role.CASEWORKER])


def test_issue_token_refuses_partner_staff_without_a_partner() -> None:
    with pytest.raises(ValueError, match="partner_id"):
        issue_token(SETTINGS, "s", [Role.PARTNER_STAFF])


def test_claims_become_a_principal_with_only_known_roles() -> None:
    principal = principal_from_claims(
        {"sub": "s-1", "roles": ["coordinator", "uma_authorization"], "municipality": "GM0363"}
    )
    assert principal == Principal("s-1", frozenset({Role.COORDINATOR}), None, "GM0363")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "s", "roles": "caseworker"},
        {"sub": "s", "roles": ["caseworker"], "municipality": "Amsterdam"},
        {"sub": "s", "roles": ["partner_staff"], "partner_id": "Not A Partner Id!"},
        {"sub": "", "roles": []},
    ],
)
def test_malformed_claims_are_refused(claims: dict[str, Any]) -> None:
    with pytest.raises(InvalidToken):
        principal_from_claims(claims)


def test_only_coordinators_operators_and_the_partners_own_staff_act_for_a_partner() -> None:
    own = Principal("s", frozenset({Role.PARTNER_STAFF}), partner_id="taalschool-a")
    for allowed in (
        own,
        Principal("c", frozenset({Role.COORDINATOR})),
        Principal("o", frozenset({Role.OPERATOR})),
    ):
        ensure_partner_access(allowed, "taalschool-a")
    for refused in (own, Principal("k", frozenset({Role.CASEWORKER}))):
        with pytest.raises(Exception) as info:
            ensure_partner_access(refused, "zorg-b")
        assert info.value.status_code == 403


@pytest.mark.parametrize(
    ("roles", "scope"),
    [
        ({Role.CASEWORKER}, "GM0363"),
        ({Role.COORDINATOR}, "GM0363"),
        ({Role.COORDINATOR, Role.OPERATOR}, "GM0363"),  # a case-work role never reaches further
        ({Role.OPERATOR}, None),
        ({Role.PARTNER_STAFF}, None),  # limited by the partner instead
    ],
)
def test_caseworkers_and_coordinators_are_limited_to_the_municipality_their_token_names(
    roles, scope
) -> None:
    principal = Principal("staff-1", frozenset(roles), partner_id="school", municipality="GM0363")
    assert principal.municipality_scope() == scope
    unnamed = Principal("staff-1", frozenset(roles), partner_id="school")
    assert unnamed.municipality_scope() is None


@pytest.mark.parametrize(
    ("roles", "scope"),
    [
        ({Role.PARTNER_STAFF}, "school"),
        ({Role.CASEWORKER}, None),
        ({Role.COORDINATOR}, None),
        ({Role.OPERATOR}, None),  # planning used to limit an operator to its token's partner
        ({Role.PARTNER_STAFF, Role.COORDINATOR}, None),
    ],
)
def test_only_partner_staff_are_limited_to_their_partner(roles, scope) -> None:
    principal = Principal("staff-1", frozenset(roles), partner_id="school")
    assert principal.partner_scope() == scope


def test_a_record_of_another_municipality_is_refused_with_a_reason() -> None:
    caseworker = Principal("k", frozenset({Role.CASEWORKER}), municipality="GM0363")
    caseworker.ensure_municipality("GM0363")
    with pytest.raises(Forbidden, match="referral belongs to another municipality"):
        caseworker.ensure_municipality("GM0344", "referral")
    Principal("o", frozenset({Role.OPERATOR})).ensure_municipality("GM0344")


def _counting_verifier() -> tuple[Any, list[str]]:
    from zroute_runtime.auth.tokens import TokenVerifier

    asked: list[str] = []

    async def resolve(token: str) -> str:
        asked.append(token)
        return SETTINGS.auth_signing_key.get_secret_value()

    verifier = TokenVerifier(
        resolve_key=resolve,
        algorithms=["HS256"],
        issuer=SETTINGS.auth_issuer,
        audience=SETTINGS.auth_audience,
        max_lifetime=timedelta(hours=2),
    )
    return verifier, asked


async def test_a_verified_token_answers_from_memory_on_the_next_request() -> None:
    """Issue 20: the token check was a share of every request's time; a token already
    verified and not expired is not decoded and its key not looked up again."""
    verifier, asked = _counting_verifier()
    value = token(Role.CASEWORKER, municipality="GM0363")
    first = await verifier.verify(value)
    again = await verifier.verify(value)
    assert first == again == Principal("staff-7f3a", frozenset({Role.CASEWORKER}), None, "GM0363")
    assert len(asked) == 1
    other = token(Role.COORDINATOR)  # another token is checked on its own
    assert (await verifier.verify(other)).roles == frozenset({Role.COORDINATOR})
    assert len(asked) == 2


async def test_a_remembered_token_is_checked_again_once_it_expires(monkeypatch) -> None:
    from zroute_runtime.auth import tokens

    verifier, asked = _counting_verifier()
    value = token(Role.CASEWORKER, ttl=timedelta(minutes=5))
    await verifier.verify(value)
    expires = jwt.decode(value, options={"verify_signature": False})["exp"]
    # Past its expiry and the leeway on the service's clock: memory no longer answers,
    # the token goes through the full check again (which refuses it on a real clock).
    later = expires + tokens.CLOCK_LEEWAY.total_seconds() + 1
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    with contextlib.suppress(InvalidToken):  # whether the decode's own clock agrees or not
        await verifier.verify(value)
    assert len(asked) == 2


async def test_a_refused_token_is_not_remembered() -> None:
    verifier, asked = _counting_verifier()
    forged = raw_token({"sub": "s", "exp": datetime.now(UTC) + timedelta(minutes=5)}, "x" * 40)
    for _ in range(2):
        with pytest.raises(InvalidToken):
            await verifier.verify(forged)
    assert len(asked) == 2
