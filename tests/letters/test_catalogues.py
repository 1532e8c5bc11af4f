"""Every participant-facing message is in every language; a missing one falls back to Dutch
and is counted; the drafts are marked for a native speaker's review."""

from __future__ import annotations

import re

import pytest
from zroute_letters.catalogue import (
    DECISION_MESSAGES,
    LANGUAGES,
    MESSAGES,
    SECOND_FACTOR_MESSAGES,
    Catalogues,
    Entry,
    UnknownMessage,
    placeholders,
)

REVIEWED = ("nl", "en")


@pytest.fixture(scope="module")
def cats() -> Catalogues:
    return Catalogues.load()


def test_every_participant_facing_message_is_in_each_of_the_eight_languages(cats):
    missing = {lang: cats.missing(lang) for lang in LANGUAGES if cats.missing(lang)}
    assert not missing, f"messages missing from the catalogues: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_second_factor_form_is_in_each_language_marked_for_review_outside_nl_en(cats, lang):
    """The personal page's date of birth form speaks every participant language (issue 18):
    each of its strings is in the catalogue, as a draft for a native speaker except in
    Dutch and English."""
    own = cats.entries[lang]
    assert [m for m in SECOND_FACTOR_MESSAGES if m not in own] == []
    drafts = {m for m in SECOND_FACTOR_MESSAGES if own[m].needs_review}
    assert drafts == (set() if lang in REVIEWED else set(SECOND_FACTOR_MESSAGES))
    assert set(SECOND_FACTOR_MESSAGES) <= set(MESSAGES)


def test_the_catalogues_hold_no_message_that_is_not_listed(cats):
    listed = set(MESSAGES) | set(DECISION_MESSAGES)  # the decision letter's own catalogue
    extra = {lang: sorted(set(cats.entries[lang]) - listed) for lang in LANGUAGES}
    assert not any(extra.values()), f"add these to MESSAGES or remove them: {extra}"


def test_each_translation_has_the_same_placeholders_as_the_dutch(cats):
    wrong = [
        (lang, msgid)
        for lang in LANGUAGES
        for msgid in MESSAGES
        if placeholders(cats.entries[lang][msgid].text)
        != placeholders(cats.entries["nl"][msgid].text)
    ]
    assert not wrong, f"placeholders differ from the Dutch: {wrong}"


def test_dutch_and_english_are_complete_and_reviewed(cats):
    for lang in REVIEWED:
        assert cats.unreviewed(lang) == [], lang


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang not in REVIEWED])
def test_each_entry_is_a_flagged_draft_with_the_review_note_or_reviewed_without_it(lang):
    """A draft is flagged fuzzy, says it needs a native speaker and shows the Dutch; the
    reviewer who approves it removes the flag and the note together."""
    from importlib import resources

    from babel.messages.pofile import read_po

    po = resources.files("zroute_letters") / "locales" / lang / "LC_MESSAGES" / "participant.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    half_done = []
    for message in catalog:
        if not message.id:
            continue
        assert any(c.startswith("Dutch: ") for c in message.auto_comments), message.id
        noted = any("native speaker" in c for c in message.user_comments)
        if noted != message.fuzzy:
            half_done.append(message.id)
    assert not half_done, f"flag and review note must go together: {half_done}"


def test_a_missing_translation_falls_back_to_dutch_and_is_counted():
    nl = {m: Entry(f"NL {m} {{date}}", False) for m in MESSAGES}
    cats = Catalogues({"nl": nl, "ar": {"plan_start.body": Entry("AR {date}", True)}})
    assert cats.text("ar", "plan_start.body", date="1") == "AR 1"
    assert cats.fallback_count() == 0
    assert cats.text("ar", "letter.title", date="2") == "NL letter.title 2"
    assert cats.text("ti", "letter.title", date="3") == "NL letter.title 3"
    assert cats.text("ti", "letter.title", date="3") == "NL letter.title 3"
    assert cats.fallback_count() == 3
    assert cats.fallback_count("ar") == 1
    assert cats.fallback_count("ti") == 2
    assert cats.fallbacks[("ti", "letter.title")] == 2


def test_dari_is_served_by_the_persian_catalogue_without_a_fall_back(cats):
    assert cats.text("prs", "letter.title") == cats.text("fa", "letter.title")
    assert cats.missing("prs") == []


def test_a_message_unknown_even_in_dutch_is_an_error(cats):
    with pytest.raises(UnknownMessage):
        cats.text("ar", "no.such.message")


@pytest.mark.parametrize("lang", REVIEWED)
def test_plain_language_keeps_sentences_short(cats, lang):
    """A guard for B1 and below: no sentence in Dutch or English longer than 12 words."""
    long = [
        sentence
        for msgid in MESSAGES
        for sentence in re.split(r"(?<=[.?!])\s+", cats.entries[lang][msgid].text)
        if len(sentence.split()) > 12
    ]
    assert not long, long
