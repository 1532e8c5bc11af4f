"""Personal-page links: signed, expiring, revocable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from zroute_letters.links import (
    LinkRejected,
    Rejection,
    new_link_id,
    sign,
    url,
    verify,
)
from zroute_letters.settings import LinkSettings

KEY = b"k" * 32
OLD_KEY = b"o" * 32
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=42)


def rejection(token: str, **kwargs) -> Rejection:
    with pytest.raises(LinkRejected) as caught:
        verify(token, kwargs.pop("keys", [KEY]), kwargs.pop("now", NOW), **kwargs)
    return caught.value.reason


def test_a_signed_link_verifies_until_it_expires():
    link_id = new_link_id()
    link = verify(sign(KEY, link_id, LATER), [KEY], NOW)
    assert link.link_id == link_id
    assert link.expires_at == LATER


def test_a_tampered_link_is_rejected():
    token = sign(KEY, new_link_id(), LATER)
    version, link_id, expiry, signature = token.split(".")
    other = new_link_id()
    assert rejection(f"{version}.{other}.{expiry}.{signature}") is Rejection.BAD_SIGNATURE
    longer = str(int(expiry) + 86400)
    assert rejection(f"{version}.{link_id}.{longer}.{signature}") is Rejection.BAD_SIGNATURE
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert rejection(f"{version}.{link_id}.{expiry}.{flipped}") is Rejection.BAD_SIGNATURE
    assert rejection(token, keys=[b"x" * 32]) is Rejection.BAD_SIGNATURE


@pytest.mark.parametrize("token", ["", "v1", "v2.a.1.s", "v1..1.s", "v1.a.x.s", "v1.a.1.s.t"])
def test_a_malformed_token_is_rejected(token):
    assert rejection(token) is Rejection.MALFORMED


def test_an_expired_link_is_rejected():
    token = sign(KEY, new_link_id(), LATER)
    assert rejection(token, now=LATER) is Rejection.EXPIRED
    assert rejection(token, now=LATER + timedelta(seconds=1)) is Rejection.EXPIRED


def test_a_revoked_link_is_rejected_and_others_are_not():
    revoked_id, kept_id = new_link_id(), new_link_id()
    revoked = {revoked_id}
    assert rejection(sign(KEY, revoked_id, LATER), revoked=revoked) is Rejection.REVOKED
    assert verify(sign(KEY, kept_id, LATER), [KEY], NOW, revoked).link_id == kept_id


def test_a_link_signed_with_the_previous_key_still_works_during_a_rotation():
    token = sign(OLD_KEY, new_link_id(), LATER)
    assert verify(token, [KEY, OLD_KEY], NOW)
    assert rejection(token, keys=[KEY]) is Rejection.BAD_SIGNATURE


def test_a_short_key_is_refused():
    with pytest.raises(ValueError, match="32 bytes"):
        sign(b"short", new_link_id(), LATER)


def test_the_link_carries_nothing_but_random_id_expiry_and_signature():
    link_id = new_link_id()
    address = url("https://mijn.example/", sign(KEY, link_id, LATER))
    assert address.startswith("https://mijn.example/p/v1.")
    assert len(link_id) == 22  # 128 random bits


def test_the_key_comes_from_settings(monkeypatch):
    monkeypatch.setenv("ZROUTE_PAGE_LINK_KEY", "n" * 32)
    monkeypatch.setenv("ZROUTE_PAGE_LINK_PREVIOUS_KEYS", '["' + "p" * 32 + '"]')
    settings = LinkSettings()
    assert settings.keys() == [b"n" * 32, b"p" * 32]
    assert settings.page_link_days == 42
