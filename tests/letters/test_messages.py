"""The participant's short messages: every kind in every language, filled in, directed."""

from __future__ import annotations

import pytest
from zroute_letters.catalogue import LANGUAGES, MESSAGES, Catalogues, placeholders
from zroute_letters.messages import MessageKind, participant_message, week_times
from zroute_letters.sample import WEEK

VALUES = {
    "date": "1",
    "time": "2",
    "place": "3",
    "times": "4",
    "partner": "5",
}


def test_every_kind_has_a_subject_and_a_body_in_the_catalogues():
    for kind in MessageKind:
        assert f"{kind.value}.subject" in MESSAGES
        assert f"{kind.value}.body" in MESSAGES


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", list(MessageKind))
def test_each_kind_is_filled_in_in_each_language_without_a_fall_back(kind, lang):
    cats = Catalogues.load()
    needed = placeholders(cats.text("nl", f"{kind.value}.body"))
    message = participant_message(kind, lang, cats, **{k: VALUES[k] for k in needed})
    assert message.subject and "{" not in message.body
    assert all(VALUES[k] in message.body for k in needed)
    assert message.direction == ("rtl" if lang in ("ar", "fa") else "ltr")
    assert cats.fallback_count() == 0


def test_the_group_times_are_written_day_by_day_in_the_language():
    assert week_times(WEEK, "nl") == (
        "maandag 09:30\u201312:00, woensdag 13:00\u201315:30, donderdag 09:00\u201312:00"
    )
    assert week_times(WEEK, "ar").startswith("الاثنين 09:30")
