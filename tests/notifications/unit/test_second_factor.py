"""The personal page's second factor (issue 18): wrong answers counted and locking the
link for a while; a session cookie bound to one link, signed and expiring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from zroute_notifications.domain.second_factor import Attempts, session_cookie, session_valid

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
LOCK = timedelta(minutes=60)
KEY = b"k" * 32


def test_the_limit_th_wrong_answer_locks_the_link_for_a_while_then_counts_afresh():
    attempts = Attempts()
    for left in (2, 1):
        attempts = attempts.after_failure(NOW, 3, LOCK)
        assert not attempts.locked(NOW) and attempts.left(3) == left
    attempts = attempts.after_failure(NOW, 3, LOCK)
    assert attempts.locked(NOW) and attempts.locked(NOW + LOCK - timedelta(seconds=1))
    assert not attempts.locked(NOW + LOCK) and attempts.left(3) == 3


def test_a_session_opens_its_own_link_only_until_it_expires():
    value = session_cookie(KEY, "link-a", NOW, timedelta(minutes=30))
    assert session_valid([KEY], "link-a", value, NOW + timedelta(minutes=29))
    assert not session_valid([KEY], "link-a", value, NOW + timedelta(minutes=30))
    assert not session_valid([KEY], "link-b", value, NOW)
    assert not session_valid([b"x" * 32], "link-a", value, NOW)
    assert session_valid([b"x" * 32, KEY], "link-a", value, NOW)  # an older key, rotating


def test_a_missing_or_mangled_session_opens_nothing():
    value = session_cookie(KEY, "link-a", NOW, timedelta(minutes=30))
    expires, mac = value.split(".")
    for bad in (None, "", "nodot", f"x{expires}.{mac}", f"{int(expires) + 60}.{mac}"):
        assert not session_valid([KEY], "link-a", bad, NOW), bad
