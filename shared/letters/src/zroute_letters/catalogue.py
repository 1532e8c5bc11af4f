"""The translation catalogues of the participant-facing messages, and the fall back to Dutch.

The ``.po`` files under ``locales/<language>/LC_MESSAGES/participant.po`` are the source:
a native speaker reviews them in any PO editor. They are read once, at load time, into
plain dictionaries (Babel's PO reader does the parsing; no compiled ``.mo`` files are
kept). Message ids are symbolic (``letter.title``); the Dutch catalogue holds the Dutch
text and is the fall back for every other language.

Entries marked ``fuzzy`` are first drafts waiting for a native speaker's review. They are
used all the same: a draft in the participant's language, always printed beside the Dutch,
helps more than Dutch alone. ``unreviewed()`` lists them, so a caller can report them.
"""

from __future__ import annotations

import logging
import string
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Final

from babel.messages.pofile import read_po

logger = logging.getLogger(__name__)

DUTCH: Final = "nl"
# The catalogue languages: Dutch and English complete, the participants' languages present.
LANGUAGES: Final = ("nl", "en", "ar", "ti", "fa", "tr", "uk", "so")
# Other codes a caller may use, mapped to the catalogue that serves them. Dari is written in
# the same script and shares almost all the words of these plain sentences with Farsi: one
# Persian catalogue serves both; dates are written the Afghan way for Dari (see formatting).
ALIASES: Final = {"prs": "fa", "fa-AF": "fa", "fa_AF": "fa"}
RIGHT_TO_LEFT: Final = frozenset({"ar", "fa"})
DOMAIN: Final = "participant"
# The PIP decision letter's texts: a formal decision, kept in a catalogue of its own
# (``decision.po``), complete in Dutch (the decision itself) and English; other languages
# get a cover page from the participant catalogue instead (zroute_letters.decision).
DECISION_DOMAIN: Final = "decision"

# The personal page's date of birth form (its heading, text, field, button and the four
# reasons an answer fails), shown in the participant's language with the Dutch beside it.
SECOND_FACTOR_MESSAGES: Final = (
    "factor.title",
    "factor.text",
    "factor.label",
    "factor.open",
    "factor.wrong",
    "factor.locked",
    "factor.unavailable",
    "factor.invalid",
)
# Every participant-facing message; each must be in every catalogue (tests/letters checks).
MESSAGES: Final = (
    "intake_appointment.subject",
    "intake_appointment.body",
    "intake_cancelled.subject",
    "intake_cancelled.body",
    "plan_start.subject",
    "plan_start.body",
    "group_times.subject",
    "group_times.body",
    "session_cancelled.subject",
    "session_cancelled.body",
    "session_moved.subject",
    "session_moved.body",
    "referral_accepted.subject",
    "referral_accepted.body",
    "pip_established.subject",
    "pip_established.body",
    "progress_meeting.subject",
    "progress_meeting.body",
    "common.questions",
    "letter.title",
    "letter.greeting_name",
    "letter.greeting",
    "letter.intro",
    "letter.week",
    "letter.day",
    "letter.time",
    "letter.place",
    "letter.form",
    "form.classroom",
    "form.online",
    "form.practice",
    "letter.next",
    "letter.contact",
    "letter.qr",
    "letter.dutch_follows",
    *SECOND_FACTOR_MESSAGES,
)


# The codes the decision letter writes out (the contract's Route and RouteReason, intake's
# amendment reasons and exam parts), one message each.
DECISION_ROUTES = ("z_route", "b1_route", "education_route")
ROUTE_REASONS = (
    "low_learnability",
    "literacy",
    "care_needs",
    "combined",
    "learnability_sufficient",
    "education_level",
)
AMENDMENT_REASONS = ("progress_meeting", "route_switch", "objection", "move")
EXAM_PARTS = ("a2_reading", "a2_listening", "a2_writing", "a2_speaking", "knm")
# The texts a full decision page needs; a catalogue without all of them gets the cover.
DECISION_MESSAGES = (
    "decision.title",
    "decision.translation_note",
    "decision.subject",
    "decision.reference",
    "decision.version",
    "decision.greeting",
    "decision.decided",
    "decision.amends",
    "decision.content",
    "decision.route",
    "decision.route_reason",
    "decision.support",
    "decision.none",
    "decision.pvt",
    "decision.map",
    "decision.intensity",
    "decision.hours_per_week",
    "decision.progress_meetings",
    "decision.early_childhood",
    "decision.participatiewet",
    "decision.exam_wish",
    "decision.term",
    "decision.term_text",
    "decision.objection",
    "decision.objection_text",
    "decision.contact",
    "decision.closing",
    *(f"decision.route.{code}" for code in DECISION_ROUTES),
    *(f"decision.reason.{code}" for code in ROUTE_REASONS),
    *(f"decision.amendment.{code}" for code in AMENDMENT_REASONS),
    *(f"decision.exam.{code}" for code in EXAM_PARTS),
)


class UnknownMessage(KeyError):
    """A message id that is not even in the Dutch catalogue: a programming error."""


@dataclass(frozen=True)
class Entry:
    text: str
    needs_review: bool


def catalogue_language(language: str) -> str:
    """The catalogue that serves a language code (``prs`` is served by ``fa``)."""
    return ALIASES.get(language, language)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _load(language: str) -> dict[str, Entry]:
    """A language's entries from both catalogues (participant messages and the decision)."""
    path = resources.files("zroute_letters") / "locales" / language / "LC_MESSAGES"
    entries: dict[str, Entry] = {}
    for domain in (DOMAIN, DECISION_DOMAIN):
        po = path / f"{domain}.po"
        if not po.is_file():
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=domain)
        for message in catalog:
            text = message.string
            if message.id and isinstance(message.id, str) and isinstance(text, str) and text:
                entries[message.id] = Entry(text, message.fuzzy)
    return entries


@dataclass
class Catalogues:
    """All catalogues, loaded once; ``text`` falls back to Dutch and counts each fall back."""

    entries: Mapping[str, Mapping[str, Entry]]
    fallbacks: Counter[tuple[str, str]] = field(default_factory=Counter)

    @classmethod
    def load(cls, languages: tuple[str, ...] = LANGUAGES) -> Catalogues:
        return cls({language: _load(language) for language in languages})

    def knows(self, language: str) -> bool:
        """Whether there is a catalogue for the language at all."""
        return bool(self.entries.get(catalogue_language(language)))

    def has(self, language: str, msgid: str) -> bool:
        return msgid in self.entries.get(catalogue_language(language), {})

    def text(self, language: str, msgid: str, **values: str) -> str:
        """The message in the language, filled in; in Dutch (counted) when it is missing."""
        entry = self.entries.get(catalogue_language(language), {}).get(msgid)
        if entry is None:
            entry = self.entries.get(DUTCH, {}).get(msgid)
            if entry is None:
                raise UnknownMessage(msgid)
            self.fallbacks[(catalogue_language(language), msgid)] += 1
            # The message id and the language only: never the values filled in.
            logger.warning("translation_missing language=%s message=%s", language, msgid)
        return entry.text.format_map(values) if values else entry.text

    def fallback_count(self, language: str | None = None) -> int:
        """How many texts fell back to Dutch, in all or in one language (for a metric)."""
        return sum(
            n
            for (lang, _), n in self.fallbacks.items()
            if language is None or lang == catalogue_language(language)
        )

    def missing(self, language: str) -> list[str]:
        """The participant-facing messages the language's catalogue lacks."""
        return [m for m in MESSAGES if not self.has(language, m)]

    def unreviewed(self, language: str) -> list[str]:
        """The messages still marked as drafts waiting for a native speaker."""
        own = self.entries.get(catalogue_language(language), {})
        return [m for m, entry in own.items() if entry.needs_review]


_DEFAULT: Catalogues | None = None


def catalogues() -> Catalogues:
    """The process's catalogues, loaded on first use (nothing happens at import time)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Catalogues.load()
    return _DEFAULT
