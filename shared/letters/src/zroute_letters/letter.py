"""The start letter: Jinja2 template to HTML, HTML to PDF with WeasyPrint.

Layout (docs/letters.md argues it): the letter in the participant's language on the first
page, the same letter in Dutch on the next page, both in the same layout, so a helper can
point from one line to the same line in Dutch. A Dutch-speaking participant gets one page.
Arabic and Farsi pages are laid out right to left (``dir="rtl"``); times, phone numbers and
addresses inside them are isolated left to right.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from zroute_letters import pictograms
from zroute_letters.catalogue import (
    DUTCH,
    RIGHT_TO_LEFT,
    Catalogues,
    catalogue_language,
    catalogues,
)
from zroute_letters.content import LetterContent, Session
from zroute_letters.formatting import clock_time, language_name, long_date, time_span, weekday


@dataclass(frozen=True)
class Row:
    strip: Markup
    day: str
    date: str
    clock: Markup
    times: str
    place: str
    form_icon: Markup
    form: str


@dataclass(frozen=True)
class Page:
    lang: str
    language_name: str
    dir: str
    t: dict[str, str]
    greeting: str
    rows: tuple[Row, ...]
    next_date: str | None
    next_time: str | None
    next_place: str | None
    questions: str
    last: bool


@cache
def environment() -> Environment:
    """The letters' Jinja2 environment (templates in the package, HTML autoescaped)."""
    return Environment(
        loader=PackageLoader("zroute_letters", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


_PLAIN = (
    "letter.title",
    "letter.intro",
    "letter.week",
    "letter.day",
    "letter.time",
    "letter.place",
    "letter.form",
    "letter.next",
    "letter.contact",
    "letter.qr",
    "letter.dutch_follows",
)


def _row(session: Session, language: str, rtl: bool, cats: Catalogues) -> Row:
    return Row(
        strip=Markup(pictograms.week_strip(session.day.isoweekday(), rtl)),
        day=weekday(session.day, language),
        date=long_date(session.day, language).split(" ", 1)[-1],
        clock=Markup(pictograms.clock(session.start)),
        times=time_span(session.start, session.end),
        place=session.place,
        form_icon=Markup(pictograms.teaching_form(session.form)),
        form=cats.text(language, f"form.{session.form.value}"),
    )


def page(content: LetterContent, language: str, cats: Catalogues, last: bool) -> Page:
    """One page of the letter in one language (the template's whole context)."""
    rtl = catalogue_language(language) in RIGHT_TO_LEFT
    if content.salutation_name:
        greeting = cats.text(
            language, "letter.greeting_name", name=isolate(content.salutation_name)
        )
    else:
        greeting = cats.text(language, "letter.greeting")
    nxt = content.next_appointment
    return Page(
        lang=language,
        language_name=language_name(language),
        dir="rtl" if rtl else "ltr",
        t={msgid.split(".", 1)[1]: cats.text(language, msgid) for msgid in _PLAIN},
        greeting=greeting,
        rows=tuple(_row(s, language, rtl, cats) for s in sorted(content.sessions, key=_when)),
        next_date=long_date(nxt.day, language) if nxt else None,
        next_time=clock_time(nxt.start) if nxt else None,
        next_place=nxt.place if nxt else None,
        questions=cats.text(
            language,
            "common.questions",
            name=isolate(content.contact.name),
            phone=isolate(content.contact.phone.replace(" ", "\u00a0")),
        ),
        last=last,
    )


def isolate(text: str) -> str:
    """Unicode first-strong isolate: a Latin name, an address or a phone number inside
    Arabic text keeps its own order and punctuation (WeasyPrint ignores ``<bdi>``)."""
    return f"\u2068{text}\u2069"


def _when(session: Session) -> tuple[object, object]:
    return (session.day, session.start)


def languages_of(content: LetterContent, cats: Catalogues) -> tuple[str, ...]:
    """The participant's language first, then Dutch; Dutch once when they are the same.

    A language without a catalogue gets the Dutch page only, and every text of the letter
    is counted as a fall back for it.
    """
    language = content.language
    if catalogue_language(language) == DUTCH:
        return (DUTCH,)
    if not cats.knows(language):
        for msgid in _PLAIN:
            cats.text(language, msgid)  # falls back, and counts
        return (DUTCH,)
    return (language, DUTCH)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG."""
    # Imported here: a service that imports the letters for their texts (intake's
    # decision letter) should not hold segno in memory from its start (issue 20).
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=3, border=2))


def render_html(content: LetterContent, cats: Catalogues | None = None) -> str:
    cats = cats or catalogues()
    languages = languages_of(content, cats)
    pages = [page(content, lang, cats, lang == languages[-1]) for lang in languages]
    template = environment().get_template("letter.html.j2")
    return template.render(
        pages=pages,
        first=pages[0],
        content=content,
        qr=Markup(qr_svg(content.page_url)),
        icons={
            "calendar": Markup(pictograms.calendar()),
            "pin": Markup(pictograms.place_pin()),
            "phone": Markup(pictograms.phone()),
        },
    )


def render_pdf(content: LetterContent, cats: Catalogues | None = None) -> bytes:
    """The letter as PDF bytes, ready for print and post."""
    from weasyprint import HTML  # imported here: loading pango takes a moment

    pdf = HTML(string=render_html(content, cats)).write_pdf()
    if pdf is None:  # only when a target file is given, which is not the case here
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
