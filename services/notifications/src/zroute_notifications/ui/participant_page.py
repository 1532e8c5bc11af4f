"""The participant's personal page as HTML (``GET /p/{token}``): their week with the
letters' pictograms, the next appointment, the contact person and the messages, in their
language (``dir="rtl"`` for Arabic and Farsi) with the Dutch after it. A refused link gets a
short page in Dutch and English saying why, naming nobody."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from zroute_letters import pictograms

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


# The second factor's page (issue 18), in Dutch and English: plain words, one field.
SECOND_FACTOR = {
    "title_nl": "Uw geboortedatum",
    "text_nl": "Typ uw geboortedatum. Dan ziet u uw pagina.",
    "text_en": "Type your date of birth to see your page.",
    "label_nl": "Geboortedatum",
    "label_en": "Date of birth",
    "open_nl": "Openen",
    "open_en": "Open",
}
PROBLEMS = {
    "wrong": (
        "Deze datum klopt niet. U kunt het nog {left} keer proberen.",
        "That date is not right. You can try {left} more times.",
    ),
    "locked": (
        "Te vaak een verkeerde datum. Probeer het later opnieuw, of bel uw contactpersoon.",
        "Too many wrong dates. Try again later, or call your contact person.",
    ),
    "unavailable": (
        "Dit lukt nu niet. Probeer het later opnieuw.",
        "This does not work just now. Please try again later.",
    ),
    "invalid": (
        "Typ een datum: dag, maand en jaar.",
        "Type a date: day, month and year.",
    ),
}


def render_second_factor(problem: str | None = None, left: int = 0) -> str:
    """The page that asks for the date of birth, with why the last answer failed."""
    shown = None
    if problem is not None:
        nl, en = PROBLEMS[problem]
        shown = (nl.format(left=left), en.format(left=left))
    return (
        environment()
        .get_template("participant_second_factor.html.j2")
        .render(t=SECOND_FACTOR, problem=shown, ask=problem != "locked")
    )
