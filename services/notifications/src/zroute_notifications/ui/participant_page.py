"""The participant's personal page as HTML (``GET /p/{token}``): their week with the
letters' pictograms, the next appointment, the contact person and the messages, in their
language (``dir="rtl"`` for Arabic and Farsi) with the Dutch after it. A refused link gets a
short page in Dutch and English saying why, naming nobody."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from zroute_letters import pictograms
from zroute_letters.catalogue import DUTCH, RIGHT_TO_LEFT, Catalogues, catalogue_language
from zroute_letters.formatting import language_name

from zroute_notifications.service_layer.handlers.page import PageView

# Why a link does not open, in plain words (the outcome codes of handlers/page.py).
REFUSALS = {
    "expired": (
        "Deze link werkt niet meer. Vraag uw contactpersoon om een nieuwe brief.",
        "This link has expired. Ask your contact person for a new letter.",
    ),
    "revoked": (
        "Deze link is ingetrokken. Vraag uw contactpersoon om een nieuwe brief.",
        "This link was withdrawn. Ask your contact person for a new letter.",
    ),
}
NOT_FOUND = (
    "Deze link bestaat niet. Kijk of u de hele link heeft overgenomen.",
    "This link does not exist. Check that you copied the whole link.",
)


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("zroute_notifications", "ui/templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(view: PageView, sender: str, audio_url: str) -> str:
    """The personal page of one participant."""
    return (
        environment()
        .get_template("participant_page.html.j2")
        .render(
            view=view,
            first=view.pages[0],
            sender=sender,
            audio_url=audio_url,
            # The spoken language by its own name, for a screen reader (never its code).
            audio_language_name=language_name(view.audio_language) if view.audio_language else "",
            icons={
                "calendar": Markup(pictograms.calendar()),
                "pin": Markup(pictograms.place_pin()),
                "phone": Markup(pictograms.phone()),
            },
        )
    )


def render_refusal(outcome: str) -> str:
    """The page for a link that does not open (expired, revoked, forged, unknown)."""
    text_nl, text_en = REFUSALS.get(outcome, NOT_FOUND)
    return (
        environment()
        .get_template("participant_refused.html.j2")
        .render(title_nl="Deze pagina opent niet", text_nl=text_nl, text_en=text_en)
    )


# The second factor's page (issue 18): its texts are the letters' catalogue messages
# ``factor.*``, in the participant's language with the Dutch beside it.
_FACTOR_TEXTS: Final = ("title", "text", "label", "open")
PROBLEMS: Final = frozenset({"wrong", "locked", "unavailable", "invalid"})


@dataclass(frozen=True)
class FactorText:
    """The second factor's page in one language."""

    lang: str
    dir: str
    t: dict[str, str]
    problem: str | None


def _factor_text(cats: Catalogues, language: str, problem: str | None, left: int) -> FactorText:
    return FactorText(
        lang=language,
        dir="rtl" if catalogue_language(language) in RIGHT_TO_LEFT else "ltr",
        t={name: cats.text(language, f"factor.{name}") for name in _FACTOR_TEXTS},
        problem=cats.text(language, f"factor.{problem}", left=str(left)) if problem else None,
    )


def render_second_factor(
    cats: Catalogues, language: str = DUTCH, problem: str | None = None, left: int = 0
) -> str:
    """The page that asks for the date of birth, with why the last answer failed, in
    ``language`` (the participant's) and in Dutch after it."""
    if problem is not None and problem not in PROBLEMS:
        raise ValueError(f"no text for the second factor's outcome {problem!r}")
    shown = [_factor_text(cats, language, problem, left)]
    if catalogue_language(language) != DUTCH:
        shown.append(_factor_text(cats, DUTCH, problem, left))
    return (
        environment()
        .get_template("participant_second_factor.html.j2")
        .render(first=shown[0], shown=shown, ask=problem != "locked")
    )
