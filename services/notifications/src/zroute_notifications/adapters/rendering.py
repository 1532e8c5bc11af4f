"""Message text from templates: a catalogue per language (``messages.<lang>.json``, one
subject and body per event type, jinja2) inside shared layouts, HTML autoescaped."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from zroute_runtime.clock import local_timezone

_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


NAME_SLOT = "[[participant-name]]"
"""Where the participant's name goes in a stored message; filled in only in the e-mail
sent, from intake at send time (issue 18)."""


@dataclass(frozen=True)
class Part:
    """One event's message: subject, body as text and as (escaped) HTML, record link."""

    subject: str
    text: str
    html: str
    link: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class Templates:
    """Renders messages in the languages it has a catalogue for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.catalogues: dict[str, dict[str, Any]] = {}
        for file in sorted(path.glob("messages.*.json")):
            catalogue = json.loads(file.read_text(encoding="utf-8"))
            self.catalogues[catalogue["language"]] = catalogue
        self._envs = {
            (lang, html): self._environment(lang, html)
            for lang in self.catalogues
            for html in (True, False)
        }
        self._templates: dict[tuple[str, bool, str], Template] = {}

    def event_names(self) -> dict[str, set[str]]:
        return {lang: set(c["messages"]) for lang, c in self.catalogues.items()}

    def ui(self, language: str, key: str, **values: Any) -> str:
        text: str = self.catalogues[language]["ui"][key]
        return text.format(**values)

    # -- filters ------------------------------------------------------------------
    def _environment(self, language: str, html: bool) -> Environment:
        env = Environment(
            loader=FileSystemLoader(self.path),
            autoescape=select_autoescape(default=True, default_for_string=True) if html else False,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        codes = self.catalogues[language]["codes"]
        months = _MONTHS_NL if language == "nl" else _MONTHS_EN
        env.filters["code"] = lambda v: codes.get(str(v), str(v).replace("_", " "))
        env.filters["d"] = lambda v: _date(v, months)
        env.filters["dt"] = lambda v: _datetime(v, months)
        env.filters["h"] = _hours
        env.filters["total"] = lambda v: sum(Decimal(str(x)) for x in (v or {}).values())
        env.globals["ui"] = lambda key, **kw: self.ui(language, key, **kw)
        return env

    # -- messages -----------------------------------------------------------------
    def render_part(
        self, language: str, event_name: str, context: Mapping[str, Any], link: str
    ) -> Part:
        """One event's subject and body, before the layout."""
        entry = self.catalogues[language]["messages"][event_name]
        return Part(
            subject=self._compiled(language, False, entry["subject"]).render(context),
            text=self._compiled(language, False, entry["body"]).render(context),
            html=self._compiled(language, True, entry["body"]).render(context),
            link=link,
        )

    def _compiled(self, language: str, html: bool, source: str) -> Template:
        """The catalogue entry ``source`` compiled once: compiling it for every message
        (jinja2's ``from_string``) was a sixth of this service's CPU in a digest round."""
        key = (language, html, source)
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = self._envs[(language, html)].from_string(source)
        return template

    def compose(
        self,
        language: str,
        parts: Sequence[Part],
        subject: str | None = None,
        *,
        name_slot: str | None = None,
    ) -> Rendered:
        """The message: one part on its own, several as a digest. ``name_slot``, when
        given, is a line naming the participant that the delivery fills in at send time
        (:data:`NAME_SLOT`), so the stored message holds no name."""
        if len(parts) == 1 and subject is None:
            return self._layout(language, parts[0].subject, parts, "", name_slot)
        title = subject or self.ui(language, "digest_subject", n=len(parts))
        return self._layout(language, title, parts, self.ui(language, "digest_intro"), name_slot)

    def _layout(
        self,
        language: str,
        subject: str,
        parts: Sequence[Part],
        intro: str,
        name_slot: str | None = None,
    ) -> Rendered:
        values = {
            "subject": subject,
            "parts": parts,
            "intro": intro,
            "language": language,
            "name_slot": name_slot,
        }
        text = self._envs[(language, False)].get_template("message.txt.j2").render(values)
        html = self._envs[(language, True)].get_template("message.html.j2").render(values)
        return Rendered(subject=subject, text=text, html=html)

    def render_page(self, language: str, template: str, values: Mapping[str, Any]) -> str:
        return self._envs[(language, True)].get_template(template).render(values)


def _date(value: Any, months: list[str]) -> str:
    if value is None:
        return "-"
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _datetime(value: Any, months: list[str]) -> str:
    # The deployment's one timezone (ZROUTE_TIMEZONE), read when the message is rendered.
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    local = moment.astimezone(local_timezone())
    return f"{_date(local.date(), months)} {local:%H:%M}"


def _hours(value: Any) -> str:
    number = Decimal(str(value)).normalize()
    return format(number, "f")
