"""The right-of-access document (AVG art. 15): what the municipality holds about one
participant, the decisions taken (PIP versions, objections, DUO's decisions, progress
meetings) and who read their personal data, in plain Dutch or plain English, for the
caseworker to hand over.

Plain Python: the service layer gathers the records, this module words them. Each line
is a (label, value) pair; codes are shown as they are, next to a plain explanation where
the code alone says little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from zroute_intake.domain.access import Access
from zroute_intake.domain.meetings import MeetingSeries
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.pip_case import PipCase

LANGUAGES = ("nl", "en")
NONE = "\N{EN DASH}"
"""Shown where there is no value."""
UNTIL = "\N{EN DASH}"

TEXT: dict[str, dict[str, str]] = {
    "title": {"nl": "Uw gegevens bij de gemeente", "en": "Your data held by the municipality"},
    "intro": {
        "nl": "U heeft gevraagd welke gegevens wij over u hebben (AVG artikel 15). Hieronder staat"
        " wat wij over uw inburgering bewaren, welke besluiten wij namen en wie uw persoonlijke"
        " gegevens heeft bekeken. Klopt er iets niet? Vraag uw klantmanager om het te verbeteren.",
        "en": "You asked which data we hold about you (GDPR article 15). Below is what we keep about"
        " your integration, the decisions we took and who looked at your personal data. Is"
        " something wrong? Ask your caseworker to correct it.",
    },
    "personal": {"nl": "Wie u bent", "en": "Who you are"},
    "erased": {
        "nl": "Uw persoonlijke gegevens zijn gewist na de bewaartermijn.",
        "en": "Your personal data was erased after the retention period.",
    },
    "route": {"nl": "Uw inburgering", "en": "Your integration"},
    "decisions": {"nl": "Besluiten over uw plan (PIP)", "en": "Decisions on your plan (PIP)"},
    "duo": {"nl": "Besluiten en berichten van DUO", "en": "Decisions and messages from DUO"},
    "meetings": {"nl": "Voortgangsgesprekken", "en": "Progress meetings"},
    "consents": {"nl": "Uw toestemmingen", "en": "Your consents"},
    "contacts": {"nl": "Uw vaste contactpersoon", "en": "Your contact person"},
    "access": {"nl": "Wie uw gegevens bekeek", "en": "Who looked at your data"},
    "none": {"nl": "Niets", "en": "Nothing"},
    "bsn": {"nl": "Burgerservicenummer", "en": "Citizen service number (BSN)"},
    "name": {"nl": "Naam", "en": "Name"},
    "born": {"nl": "Geboortedatum", "en": "Date of birth"},
    "address": {"nl": "Adres", "en": "Address"},
    "phone": {"nl": "Telefoon", "en": "Phone"},
    "reference": {"nl": "Uw nummer bij ons", "en": "Your number with us"},
    "municipality": {"nl": "Gemeente", "en": "Municipality"},
    "registered": {"nl": "Aangemeld op", "en": "Registered on"},
    "status": {"nl": "Waar u nu bent", "en": "Where you are now"},
    "language": {"nl": "Uw taal", "en": "Your language"},
    "interpreter": {"nl": "Tolk nodig", "en": "Interpreter needed"},
    "level": {"nl": "Taalniveau bij de intake", "en": "Language level at the intake"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "version": {"nl": "Versie %s van uw plan", "en": "Version %s of your plan"},
    "version_text": {
        "nl": "datum %s, route %s, %s uur per week, %s voortgangsgesprekken, reden: %s",
        "en": "dated %s, route %s, %s hours a week, %s progress meetings, reason: %s",
    },
    "first": {"nl": "eerste plan", "en": "first plan"},
    "objection": {
        "nl": "Bezwaar of beroep tegen versie %s",
        "en": "Objection or appeal against version %s",
    },
    "term": {"nl": "Uw inburgeringstermijn", "en": "Your integration term"},
    "term_text": {"nl": "van %s tot %s", "en": "from %s until %s"},
    "extension": {"nl": "Verlenging door DUO", "en": "Extension by DUO"},
    "release": {"nl": "Vrijstelling of ontheffing door DUO", "en": "Exemption or release by DUO"},
    "meeting": {"nl": "Gesprek %s", "en": "Meeting %s"},
    "planned": {"nl": "gepland op %s", "en": "planned for %s"},
    "held": {
        "nl": "gehouden op %s; besluit: %s; notities: %s",
        "en": "held on %s; decision: %s; notes: %s",
    },
    "final": {"nl": "Eindgesprek", "en": "Final meeting"},
    "read": {"nl": "%s (%s) voor: %s", "en": "%s (%s) for: %s"},
}


def t(key: str, language: str) -> str:
    """The text of ``key`` in ``language`` (Dutch when the language is not provided)."""
    texts = TEXT[key]
    return texts.get(language, texts["nl"])


@dataclass(frozen=True)
class Section:
    """One part of the document: a heading and its lines."""

    key: str
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class AccessDocument:
    """The whole document in one language."""

    language: str
    participant_ref: str
    made_on: date
    title: str
    intro: str
    sections: list[Section]


@dataclass(frozen=True)
class Records:
    """What the service layer gathered for one participant."""

    participant: Participant
    personal: PersonalData | None
    case: PipCase
    meetings: MeetingSeries
    accesses: Sequence[Access]
    duo_records: Sequence[dict[str, Any]] = ()


def _day(value: date | datetime | None) -> str:
    return NONE if value is None else value.isoformat()


def _personal(r: Records, lang: str) -> Section:
    p = r.personal
    if p is None:
        return Section("personal", t("personal", lang), [("", t("erased", lang))])
    address = f"{p.street} {p.house_number}, {p.postal_code} {p.city}"
    return Section(
        "personal",
        t("personal", lang),
        [
            (t("bsn", lang), p.bsn),
            (t("name", lang), f"{p.given_names} {p.family_name}"),
            (t("born", lang), _day(p.date_of_birth)),
            (t("address", lang), address),
            (t("phone", lang), p.phone or NONE),
        ],
    )


def _route(r: Records, lang: str) -> Section:
    who = r.participant
    outcome = who.current_outcome
    lines = [
        (t("reference", lang), who.ref),
        (t("municipality", lang), who.municipality),
        (t("registered", lang), _day(who.registered_on)),
        (t("status", lang), who.status.value),
        (t("language", lang), who.preferred_language),
        (t("interpreter", lang), t("yes" if who.interpreter_needed else "no", lang)),
    ]
    if outcome is not None:
        lines.append((t("level", lang), outcome.language_level.value))
    return Section("route", t("route", lang), lines)


def _decisions(r: Records, lang: str) -> Section:
    lines = []
    for v in r.case.decision.versions:
        c = v.content
        reason = v.reason.value if v.reason else t("first", lang)
        text = t("version_text", lang) % (
            _day(v.dated),
            c.route.value,
            c.route_hours_per_week,
            c.progress_meetings,
            reason,
        )
        lines.append((t("version", lang) % v.number, text))
    for o in r.case.decision.objections:
        outcome = f"{o.stage.value}, {_day(o.lodged_on)}: {o.outcome.value if o.outcome else '…'}"
        lines.append((t("objection", lang) % o.against_version, outcome))
    term = r.case.term()
    if term is not None:
        lines.append((t("term", lang), t("term_text", lang) % (_day(term.start), _day(term.end))))
    return Section("decisions", t("decisions", lang), lines)


def _duo(r: Records, lang: str) -> Section:
    lines = [
        (
            t("extension", lang),
            f"{e.ground.value}, {_day(e.decided_on)} \N{RIGHTWARDS ARROW} {_day(e.new_end)}",
        )
        for e in r.case.extensions
    ]
    if r.case.release is not None:
        rel = r.case.release
        lines.append((t("release", lang), f"{rel.kind.value}, {_day(rel.effective_on)}"))
    for record in r.duo_records:
        details = ", ".join(f"{k}: {v}" for k, v in sorted(record["payload"].items()) if v)
        lines.append((str(record["kind"]), details))
    return Section("duo", t("duo", lang), lines)


def _meetings(r: Records, lang: str) -> Section:
    lines = []
    for m in r.meetings.meetings:
        if m.record is None:
            lines.append((t("meeting", lang) % m.number, t("planned", lang) % _day(m.due_on)))
            continue
        decision = m.record.decision.value if m.record.decision else NONE
        text = t("held", lang) % (_day(m.record.held_on), decision, m.record.notes or NONE)
        lines.append((t("meeting", lang) % m.number, text))
    final = r.meetings.final
    if final is not None:
        lines.append(
            (t("final", lang), t("held", lang) % (_day(final.held_on), NONE, final.notes or NONE))
        )
    return Section("meetings", t("meetings", lang), lines)


def _consents_and_contacts(r: Records, lang: str) -> list[Section]:
    consents = [
        (c.purpose.value, f"{_day(c.given_on)} {UNTIL} {_day(c.withdrawn_on or c.valid_until)}"
         f"{' (' + c.partner_id + ')' if c.partner_id else ''}")
        for c in r.participant.consents
    ]  # fmt: skip
    contacts = [
        (a.contact.role.value, f"{a.contact.staff_ref}, {_day(a.assigned_from)}")
        for a in r.participant.contacts
    ]
    return [
        Section("consents", t("consents", lang), consents),
        Section("contacts", t("contacts", lang), contacts),
    ]


def _access(r: Records, lang: str) -> Section:
    lines = [
        (_day(a.accessed_at), t("read", lang) % (a.actor, ", ".join(a.actor_roles), a.purpose))
        for a in r.accesses
    ]
    return Section("access", t("access", lang), lines)


def document(records: Records, language: str, today: date) -> AccessDocument:
    """The document in ``language`` (``nl`` or ``en``)."""
    lang = language if language in LANGUAGES else "nl"
    sections = [
        _personal(records, lang),
        _route(records, lang),
        _decisions(records, lang),
        _duo(records, lang),
        _meetings(records, lang),
        *_consents_and_contacts(records, lang),
        _access(records, lang),
    ]
    return AccessDocument(
        lang, records.participant.ref, today, t("title", lang), t("intro", lang), sections
    )
