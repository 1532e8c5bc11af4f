"""Dates, days and times as the participant reads them.

Day and month names come from the CLDR data Babel ships, so they need no translation. All
digits are written as 0-9 in every language: the same digits as on the Dutch page, the
clock on the wall and the phone, so a time or phone number can be compared at a glance.
Dari (``prs``) gets the Afghan month names (CLDR ``fa_AF``), Farsi the Iranian ones.
"""

from __future__ import annotations

from datetime import date, time
from typing import Final

from babel import Locale
from babel.dates import format_date

_BABEL_LOCALE: Final = {"prs": "fa_AF", "fa-AF": "fa_AF", "fa_AF": "fa_AF"}
# Arabic-Indic (U+0660..) and Persian (U+06F0..) digits to 0-9.
_DIGITS: Final = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)


def language_name(language: str) -> str:
    """The language's name in itself, for the tag on each page (a helper sees which is which)."""
    if language in _BABEL_LOCALE:
        return "دری"  # Dari: CLDR names fa_AF "فارسی" too, but its speakers call it Dari
    name = Locale.parse(babel_locale(language)).get_language_name()
    return (name or language).capitalize()


def babel_locale(language: str) -> str:
    return _BABEL_LOCALE.get(language, language)


def western_digits(text: str) -> str:
    return text.translate(_DIGITS)


def weekday(day: date, language: str) -> str:
    return western_digits(format_date(day, "EEEE", locale=babel_locale(language)))


def long_date(day: date, language: str) -> str:
    """Day and month written out, with the weekday: "maandag 12 januari"."""
    text = format_date(day, "EEEE d MMMM", locale=babel_locale(language))
    return western_digits(text)


def full_date(day: date, language: str) -> str:
    """Day, month and year, as a decision states a date: "4 januari 2027"."""
    text = format_date(day, "long", locale=babel_locale(language))
    return western_digits(text)


def clock_time(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def time_span(start: time, end: time) -> str:
    return f"{clock_time(start)}\u2013{clock_time(end)}"
