"""The pieces of token forwarding without a server (issue 19): the access token in the
session is encrypted, bounded in size and read back; an expired one sends the user to
the login; the API maps a provider's claims as the login does."""

from __future__ import annotations

import base64
import time
from types import SimpleNamespace

import pytest
from fastapi import Response
from zroute_runtime.auth import Principal, Role
from zroute_runtime.auth.claims import ClaimMapping
from zroute_runtime.auth.tokens import claim_mapping
from zroute_runtime.settings import ServiceSettings
from zroute_ui import remote
from zroute_ui.oidc import claim_mapping as login_mapping
from zroute_ui.session import MAX_ACCESS_TOKEN_BYTES, SessionStore, new_session
from zroute_ui.settings import UiSettings
from zroute_ui.testing import ROLE_MAP

SECRET = "s" * 40
ME = Principal("u1", frozenset({Role.CASEWORKER}), municipality="GM0363")


def settings(**changes) -> UiSettings:
    values = {"ui_session_secret": SECRET, "ui_claim_roles": "groups", "ui_role_map": ROLE_MAP}
    return UiSettings(**(values | changes))


def _cookie(store: SessionStore, session) -> str:
    response = Response()
    store.save(response, session)
    header = response.headers["set-cookie"]
    return header.split(";", 1)[0].split("=", 1)[1]


def test_the_access_token_is_kept_encrypted_and_read_back():
    store = SessionStore("intake", settings())
    session = new_session(ME, "opaque-access-token-123", time.time() + 3600)
    raw = _cookie(store, session)
    # Signed cookies are readable: the token must not be in it, in any encoding.
    payload = raw.split(".")[0] + "=="
    assert b"opaque-access-token" not in base64.urlsafe_b64decode(payload.encode())
    assert "opaque-access-token" not in raw
    loaded = store.load(raw)
    assert loaded is not None and loaded.access_token == "opaque-access-token-123"
    # Another service (another cookie name, bound in the encryption) cannot open it.
    other = SessionStore("planning", settings())
    sealed = store._seal("opaque-access-token-123")
    assert other._open(sealed) is None


def test_a_token_too_large_for_the_cookie_is_not_kept():
    big = "x" * (MAX_ACCESS_TOKEN_BYTES + 1)
    session = new_session(ME, big, time.time() + 3600)
    assert session.access_token is None and session.access_expires_at is None
    store = SessionStore("intake", settings())
    fits = new_session(ME, "y" * MAX_ACCESS_TOKEN_BYTES, time.time() + 3600)
    assert len(_cookie(store, fits)) < 4000


def _page(session) -> SimpleNamespace:
    kit = SimpleNamespace(settings=settings(ui_service_urls={"planning": "http://127.0.0.1:9"}))
    return SimpleNamespace(session=session, kit=kit, request=SimpleNamespace(headers={}))


async def test_an_expired_token_sends_the_user_to_the_login_and_none_says_log_in_again():
    expired = new_session(ME, "t", time.time() - 1)
    with pytest.raises(remote.TokenRefused):
        await remote.read(_page(expired), "planning", "/participants/x/plan")
    without = new_session(ME, None, None)
    answer = await remote.read(_page(without), "planning", "/participants/x/plan")
    assert answer.outcome is remote.Outcome.NO_TOKEN and not answer.ok
    # A service that is down: "not available", never an exception.
    live = new_session(ME, "t", time.time() + 60)
    down = await remote.read(_page(live), "planning", "/participants/x/plan")
    assert down.outcome is remote.Outcome.UNAVAILABLE


def test_the_api_maps_claims_as_the_login_does():
    ui = settings()
    assert claim_mapping(ui) == login_mapping(ui)
    claims = {"sub": "u1", "groups": ["zroute-klantmanager", "other"], "municipality": "GM0363"}
    assert claim_mapping(ui).apply(claims)["roles"] == ["caseworker"]
    own = ServiceSettings(auth_claim_roles="grp", auth_role_map={"cw": "caseworker"})
    assert claim_mapping(own) == ClaimMapping(roles_claim="grp", role_map={"cw": "caseworker"})
    assert claim_mapping(ServiceSettings()).is_identity
