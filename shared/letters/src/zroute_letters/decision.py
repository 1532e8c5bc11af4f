"""The PIP decision letter (*beschikking*, Wet inburgering 2021 art. 15(3)) as PDF.

The decision is a formal, binding text in Dutch: the Dutch pages are the decision. Before
them comes one page in the participant's language:

- where that language's catalogue holds the decision texts (``decision.*``; English does),
  the whole decision again in that language, marked as a translation;
- otherwise a short cover in that language (the catalogue's ``pip_established`` message,
  whom to call, "the Dutch letter follows"), which every participant language has.

A Dutch-speaking participant gets the Dutch pages only. The objection notice (*bezwaar*
within six weeks, Awb art. 6:7) is part of every version. Codes (route, reasons, exam parts)
are written out from the catalogue; the caller gives support lines and attached decisions
as the text the municipality uses for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from zroute_letters.catalogue import (
    DECISION_MESSAGES,
    DUTCH,
    RIGHT_TO_LEFT,
    Catalogues,
    catalogue_language,
    catalogues,
)
from zroute_letters.formatting import full_date, language_name
from zroute_letters.letter import environment, isolate


@dataclass(frozen=True)
class DecisionContent:
    """One established version of a participant's PIP, as the letter states it.

    The personal fields (name, address, the caseworker's name and phone) are left out of
    ``repr``, like the start letter's.
    """

    language: str
    municipality: str
    reference: str
    """The decision's own reference (the participant's pseudonymous reference and the
    version, for example); never the BSN."""
    version: int
    dated: date
    route: str
    route_reason: str
    support: tuple[str, ...]
    pvt_hours_per_week: float
    map_hours_per_week: float
    route_hours_per_week: float
    progress_meetings: int
    term_starts: date
    term_ends: date
    addressee: str = field(repr=False)
    address_lines: tuple[str, ...] = field(repr=False)
    contact_name: str = field(repr=False)
    contact_phone: str = field(repr=False)
    objection_address: str = field(repr=False)
    early_childhood_agreements: tuple[str, ...] = ()
    participatiewet_decisions: tuple[str, ...] = ()
    exam_wish: tuple[str, ...] = ()
    amendment_reason: str | None = None
    """None for the first version; the reason of the change after it."""


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class DecisionPage:
    lang: str
    language_name: str
    dir: str
    full: bool
    """The whole decision (True) or the cover in the participant's language (False)."""
    translation: bool
    t: dict[str, str]
    lines: tuple[Line, ...]
    decided: str
    amends: str | None
    term: str
    objection: str
    contact: str
    cover: tuple[str, ...]


def has_decision_texts(language: str, cats: Catalogues) -> bool:
    """Whether the language's own catalogue can write the whole decision."""
    return all(cats.has(language, m) for m in DECISION_MESSAGES)


def languages_of(content: DecisionContent, cats: Catalogues) -> tuple[str, ...]:
    """The participant's language first (when it is not Dutch and has a catalogue), then
    Dutch, which is the decision itself."""
    if catalogue_language(content.language) == DUTCH or not cats.knows(content.language):
        return (DUTCH,)
    return (content.language, DUTCH)


def _hours(value: float, language: str, cats: Catalogues) -> str:
    number = f"{value:g}"
    return cats.text(language, "decision.hours_per_week", hours=number)


def _listed(items: tuple[str, ...], language: str, cats: Catalogues) -> str:
    return "; ".join(items) if items else cats.text(language, "decision.none")


def _lines(c: DecisionContent, language: str, cats: Catalogues) -> tuple[Line, ...]:
    def t(msgid: str) -> str:
        return cats.text(language, msgid)

    exams = tuple(t(f"decision.exam.{part}") for part in c.exam_wish)
    return (
        Line(t("decision.route"), t(f"decision.route.{c.route}")),
        Line(t("decision.route_reason"), t(f"decision.reason.{c.route_reason}")),
        Line(t("decision.support"), _listed(c.support, language, cats)),
        Line(t("decision.pvt"), _hours(c.pvt_hours_per_week, language, cats)),
        Line(t("decision.map"), _hours(c.map_hours_per_week, language, cats)),
        Line(t("decision.intensity"), _hours(c.route_hours_per_week, language, cats)),
        Line(t("decision.progress_meetings"), str(c.progress_meetings)),
        Line(t("decision.early_childhood"), _listed(c.early_childhood_agreements, language, cats)),
        Line(t("decision.participatiewet"), _listed(c.participatiewet_decisions, language, cats)),
        Line(t("decision.exam_wish"), _listed(exams, language, cats)),
    )


_PLAIN = (
    "decision.title",
    "decision.translation_note",
    "decision.subject",
    "decision.reference",
    "decision.version",
    "decision.greeting",
    "decision.content",
    "decision.term",
    "decision.objection",
    "decision.contact",
    "decision.closing",
)


def _full_page(c: DecisionContent, language: str, cats: Catalogues) -> DecisionPage:
    rtl = catalogue_language(language) in RIGHT_TO_LEFT
    amends = None
    if c.amendment_reason is not None:
        amends = cats.text(
            language,
            "decision.amends",
            previous=str(c.version - 1),
            reason=cats.text(language, f"decision.amendment.{c.amendment_reason}"),
        )
    return DecisionPage(
        lang=language,
        language_name=language_name(language),
        dir="rtl" if rtl else "ltr",
        full=True,
        translation=catalogue_language(language) != DUTCH,
        t={msgid.split(".", 1)[1]: cats.text(language, msgid) for msgid in _PLAIN},
        lines=_lines(c, language, cats),
        decided=cats.text(
            language,
            "decision.decided",
            municipality=c.municipality,
            date=full_date(c.dated, language),
        ),
        amends=amends,
        term=cats.text(
            language,
            "decision.term_text",
            start=full_date(c.term_starts, language),
            end=full_date(c.term_ends, language),
        ),
        objection=cats.text(
            language,
            "decision.objection_text",
            address=isolate(c.objection_address),
        ),
        contact=cats.text(
            language,
            "common.questions",
            name=isolate(c.contact_name),
            phone=isolate(c.contact_phone.replace(" ", "\u00a0")),
        ),
        cover=(),
    )


def _cover_page(c: DecisionContent, language: str, cats: Catalogues) -> DecisionPage:
    """One page in the participant's language when its catalogue has no decision texts:
    the message that the plan is established, whom to call, and that the Dutch follows."""
    rtl = catalogue_language(language) in RIGHT_TO_LEFT
    return DecisionPage(
        lang=language,
        language_name=language_name(language),
        dir="rtl" if rtl else "ltr",
        full=False,
        translation=True,
        t={"title": cats.text(language, "pip_established.subject")},
        lines=(),
        decided="",
        amends=None,
        term="",
        objection="",
        contact=cats.text(
            language,
            "common.questions",
            name=isolate(c.contact_name),
            phone=isolate(c.contact_phone.replace(" ", "\u00a0")),
        ),
        cover=(
            cats.text(language, "pip_established.body", date=full_date(c.dated, language)),
            cats.text(language, "letter.dutch_follows"),
        ),
    )


def pages(content: DecisionContent, cats: Catalogues) -> list[DecisionPage]:
    """The letter's pages in order: the participant's language first, Dutch last."""
    result = []
    for language in languages_of(content, cats):
        if language == DUTCH or has_decision_texts(language, cats):
            result.append(_full_page(content, language, cats))
        else:
            result.append(_cover_page(content, language, cats))
    return result


def render_html(content: DecisionContent, cats: Catalogues | None = None) -> str:
    """The decision letter as HTML (the PDF's source)."""
    cats = cats or catalogues()
    rendered = pages(content, cats)
    template = environment().get_template("decision.html.j2")
    return template.render(
        pages=rendered,
        first=rendered[0],
        content=content,
        address=Markup("<br>").join(content.address_lines),
    )


def render_pdf(content: DecisionContent, cats: Catalogues | None = None) -> bytes:
    """The decision letter as PDF bytes, for print and post."""
    from weasyprint import HTML  # imported here: loading pango takes a moment

    pdf = HTML(string=render_html(content, cats)).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
