"""The intake's outcome by life domain (issue 19, section 4): one row per life domain of
the broad intake, with the support it needs and what the intake found there, worded by
the catalogue.

The outcome keeps its parts by kind (the needs per domain, the levels, childcare,
transport, availability, care signals); the caseworker reads it by domain, as the broad
intake was held. Health is no need but care signals (health details): a coordinator reads
the dossier without them, as the API leaves them out for everyone but caseworkers, so
their rows say so rather than "no need".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list
from zroute_contract.events.codes import (
    HEALTH_DOMAINS,
    LifeDomain,
    NeedSeverity,
)
from zroute_runtime.auth import Role
from zroute_ui import N_
from zroute_ui.i18n import translations

from zroute_intake.domain.outcome import Outcome

Gettext = Callable[[str], str]

DOMAINS = {
    LifeDomain.LANGUAGE_LITERACY: N_("Language and literacy"),
    LifeDomain.HEALTH_PHYSICAL: N_("Physical health"),
    LifeDomain.HEALTH_PSYCHOLOGICAL: N_("Mental health"),
    LifeDomain.FINANCES: N_("Finances"),
    LifeDomain.HOUSING: N_("Housing"),
    LifeDomain.FAMILY_CHILDCARE: N_("Family and childcare"),
    LifeDomain.TRANSPORT_MOBILITY: N_("Transport and mobility"),
    LifeDomain.WORK_DAYTIME: N_("Work and daytime activities"),
    LifeDomain.SOCIAL_NETWORK: N_("Social network"),
}
SEVERITY = {
    NeedSeverity.NONE: N_("no support needed"),
    NeedSeverity.LIGHT: N_("light support"),
    NeedSeverity.MODERATE: N_("moderate support"),
    NeedSeverity.SEVERE: N_("intensive support"),
}
NOT_ASSESSED = N_("not recorded")
NONE_SHOWN = "\u2013"  # an en dash: nothing on record
# The findings' labels ("Literacy: low-literate").
LANGUAGE_LEVEL = N_("Language level")
LITERACY = N_("Literacy")
LEARNABILITY = N_("Learnability")
WORK_PROSPECTS = N_("Work prospects")
AVAILABLE = N_("Available")
CARE_SIGNALS_HIDDEN = N_("care signals are shown to caseworkers only")
CODES = {
    # literacy
    "literate": N_("literate"),
    "low_literate": N_("low-literate"),
    "not_alphabetised": N_("never learned to read and write"),
    "latin_script_learner": N_("learning the Latin script"),
    # learnability
    "very_low": N_("very low"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    # care signals
    "physical_care": N_("physical care"),
    "mental_health_care": N_("mental health care"),
    "debt_finance": N_("debts and finances"),
    "routine": N_("routine"),
    "urgent": N_("urgent"),
    "asap": N_("as soon as possible"),
    "stat": N_("immediately"),
    # transport
    "public_transport_pass": N_("public transport pass"),
    "bicycle": N_("bicycle"),
    "group_transport": N_("group transport"),
    "accessible_transport": N_("accessible transport"),
    "accompanied_travel": N_("accompanied travel"),
    # work prospects (the broad intake's written record)
    "not_foreseen": N_("not foreseen"),
    "long_term": N_("in the long term"),
    "with_support": N_("with support"),
    "short_term": N_("in the short term"),
    # goals
    "language_self_reliance": N_("self-reliance in Dutch"),
    "health_self_reliance": N_("self-reliance in health"),
    "financial_self_reliance": N_("financial self-reliance"),
    "digital_skills": N_("digital skills"),
    "social_participation": N_("social participation"),
    "volunteering": N_("volunteering"),
    "daytime_activity": N_("daytime activity"),
    "paid_work": N_("paid work"),
    "education": N_("education"),
    # availability
    "monday": N_("Monday"),
    "tuesday": N_("Tuesday"),
    "wednesday": N_("Wednesday"),
    "thursday": N_("Thursday"),
    "friday": N_("Friday"),
    "saturday": N_("Saturday"),
    "sunday": N_("Sunday"),
    "morning": N_("morning"),
    "afternoon": N_("afternoon"),
    "evening": N_("evening"),
}


@dataclass(frozen=True)
class DomainRow:
    """One life domain of the outcome, in the page's words."""

    domain: str
    need: str
    found: str


def by_life_domain(
    outcome: Outcome, _: Gettext, *, with_care_signals: bool, language: str = "nl"
) -> list[DomainRow]:
    """Every life domain, in the contract's order, with its need and findings."""
    needs = {need.domain: need.severity for need in outcome.needs}
    rows = []
    for domain, label in DOMAINS.items():
        found = _findings(
            outcome, domain, _, with_care_signals=with_care_signals, language=language
        )
        if domain in HEALTH_DOMAINS or domain is LifeDomain.FINANCES:
            signals = [s for s in outcome.care_signals if s.domain is domain]
            if domain in HEALTH_DOMAINS and not with_care_signals:
                need = _(CARE_SIGNALS_HIDDEN)
            elif domain in HEALTH_DOMAINS:
                # Health is recorded as care signals only: their most serious is the need.
                worst = max((s.severity for s in signals), key=_rank, default=None)
                need = _(SEVERITY[worst]) if worst else _(NOT_ASSESSED)
            else:
                need = _(SEVERITY[needs[domain]]) if domain in needs else _(NOT_ASSESSED)
        else:
            need = _(SEVERITY[needs[domain]]) if domain in needs else _(NOT_ASSESSED)
        rows.append(DomainRow(_(label), need, "; ".join(found) or NONE_SHOWN))
    return rows


def goals(outcome: Outcome, _: Gettext) -> str:
    """The goals agreed for the PIP, in words."""
    return ", ".join(_word(g, _) for g in outcome.goals) or NONE_SHOWN


def _findings(
    outcome: Outcome, domain: LifeDomain, _: Gettext, *, with_care_signals: bool, language: str
) -> list[str]:
    found: list[str] = []
    if domain is LifeDomain.LANGUAGE_LITERACY:
        found.append(_said(LANGUAGE_LEVEL, outcome.language_level.value, _))
        found.append(_said(LITERACY, _word(outcome.literacy, _), _))
        found.append(_said(LEARNABILITY, _word(outcome.learnability_band, _), _))
    elif domain is LifeDomain.FAMILY_CHILDCARE:
        care = outcome.childcare
        if care.needed:
            ages = format_list([str(age) for age in care.child_ages], locale=language)
            found.append(_("Childcare to arrange, children aged %(ages)s") % {"ages": ages})
        else:
            found.append(_("No childcare to arrange"))
    elif domain is LifeDomain.TRANSPORT_MOBILITY:
        if outcome.transport.needed:
            modes = _words(outcome.transport.modes, _)
            found.append(_("Transport to arrange: %(modes)s") % {"modes": modes})
        else:
            found.append(_("No transport to arrange"))
    elif domain is LifeDomain.WORK_DAYTIME:
        record = outcome.broad_intake
        if record is not None and record.work_prospects is not None:
            found.append(_said(WORK_PROSPECTS, _word(record.work_prospects, _), _))
        slots = ", ".join(
            f"{_word(s.weekday, _)} {_word(s.day_part, _)}" for s in outcome.availability
        )
        found.append(_said(AVAILABLE, slots or NONE_SHOWN, _))
    # Care signals: for caseworkers only (else the need column says who may read them).
    if with_care_signals and (domain in HEALTH_DOMAINS or domain is LifeDomain.FINANCES):
        found += [
            _("Care signal: %(category)s, %(urgency)s")
            % {"category": _word(s.category, _), "urgency": _word(s.urgency, _)}
            for s in outcome.care_signals
            if s.domain is domain
        ]
    return found


def _said(label: str, value: str, _: Gettext) -> str:
    return f"{_(label)}: {value}"


def _rank(severity: NeedSeverity) -> int:
    return list(NeedSeverity).index(severity)


def _word(code: object, _: Gettext) -> str:
    value = str(getattr(code, "value", code))
    return _(CODES[value]) if value in CODES else value.replace("_", " ")


def _words(codes: Iterable[object], _: Gettext) -> str:
    return ", ".join(_word(c, _) for c in codes)


def page_context(outcome: Outcome | None, language: str, roles: Iterable[str]) -> dict[str, Any]:
    """What ``life_domains.html.j2`` shows: the rows and the goals, in the page's language
    (care signals for caseworkers only, as the API gives them)."""
    if outcome is None:
        return {"domains": [], "goals": ""}
    _ = translations(language).gettext
    signals = Role.CASEWORKER in set(roles)
    return {
        "domains": by_life_domain(outcome, _, with_care_signals=signals, language=language),
        "goals": goals(outcome, _),
    }
