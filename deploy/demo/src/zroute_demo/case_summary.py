"""The summary's tables of issues 15 to 18, read back through the services' HTTP APIs:
the municipality's case (deadlines, terms, amendments, extensions, final meetings), the
hours by kind and recording partner (from planning's hours export), support's cases, and
the participants' start letters by language (from notifications)."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from rich.table import Table
from zroute_runtime.auth import Role

from zroute_demo.actors import check
from zroute_demo.cohort import PROGRAMME, Person
from zroute_demo.planning_steps import ON_NORM, WAIVED
from zroute_demo.scenario import Scenario


def table(title: str, columns: list[str]) -> Table:
    """A summary table: the first column left, the figures right."""
    out = Table(title=title, title_justify="left")
    for n, column in enumerate(columns):
        out.add_column(column, justify="left" if n == 0 else "right")
    return out


UNDER_WAIVER = "routes completed under a waiver (norm not reached)"


async def municipality_table(scenario: Scenario) -> Table:
    """Issue 15: the PIPs against their ten weeks, terms, amendments, extensions and the
    final meeting before every completion."""
    counts: Counter[str] = Counter()
    n = len(scenario.people)
    for person in scenario.people:
        pip = check(await scenario.caseworker(person).get(f"/participants/{person.ref}/pip"))
        counts[f"PIPs established, deadline {pip['deadline']['state']}"] += 1
        counts["terms extended by DUO (extension recorded)"] += bool(pip["extensions"])
        reasons = [v["reason"] for v in pip["versions"] if v["reason"]]
        counts["PIPs amended after a progress meeting"] += "progress_meeting" in reasons
        counts["PIPs amended after a move"] += "move" in reasons
        counts["terms starting the day after the PIP's date"] += await _term_follows(
            scenario, person, pip
        )
        counts["completions preceded by the final meeting"] += await _final_first(scenario, person)
    rows = table("The municipality's case (issue 15)", ["what", "participants"])
    for label, count in sorted(counts.items()):
        rows.add_row(label, f"{count} of {n}")
    rows.add_row("routes completed", f"{len(scenario.completed_on)} of {n}")
    # B 3.14: a route completes on the PIP's norm; short of it, only on the municipality's
    # recorded decision that waives the rest (the exception).
    on_norm = scenario.stats[ON_NORM]
    rows.add_row(f"  {ON_NORM}", f"{on_norm} of {n}")
    rows.add_row(f"  {UNDER_WAIVER}", f"{scenario.stats[WAIVED]} of {n}")
    for label in ("pauses for treatment", "pauses resumed"):
        rows.add_row(label, str(scenario.stats[label]))
    moved = "moves to another municipality (dossier imported)"
    rows.add_row(moved, str(scenario.stats[moved]))
    return rows


async def _term_follows(scenario: Scenario, person: Person, pip: dict[str, Any]) -> bool:
    """Whether planning's term starts the day after the first PIP version's date (W 11)."""
    if not pip["versions"]:
        return False
    first = date.fromisoformat(pip["versions"][0]["dated"])
    plan = check(await scenario.coordinator("planning").get(f"/participants/{person.ref}/plan"))
    start = plan.get("integration_term_start")
    return start is not None and date.fromisoformat(start) == first + timedelta(days=1)


async def _final_first(scenario: Scenario, person: Person) -> bool:
    """Whether the route's completion came on or after the final meeting."""
    completed = scenario.completed_on.get(person.ref)
    if completed is None:
        return False
    found = check(
        await scenario.caseworker(person).get(f"/participants/{person.ref}/progress-meetings")
    )
    final = found["final_meeting"]
    return final is not None and final["held_on"] <= completed


async def hours_by_partner_table(scenario: Scenario) -> Table:
    """Issue 16: the programme's hours export summed by kind and by recording partner."""
    response = await scenario.coordinator("planning").get(f"/programmes/{PROGRAMME}/hours.csv")
    lines = list(csv.DictReader(io.StringIO(response.text))) if response.status_code == 200 else []
    hours: defaultdict[tuple[str, str], float] = defaultdict(float)
    sessions: Counter[tuple[str, str]] = Counter()
    corrections: Counter[tuple[str, str]] = Counter()
    for line in lines:
        key = (line["kind"], line["recording_partner"] or "platform staff")
        hours[key] += float(line["hours"])
        sessions[key] += int(line["sessions"])
        corrections[key] += int(line["corrections"])
    rows = table(
        "Hours by kind and recording partner (issue 16, the hours export)",
        ["kind, recorded by", "hours", "sessions", "corrections"],
    )
    for kind, partner in sorted(hours):
        key = (kind, partner)
        rows.add_row(
            f"{kind}, {partner}", f"{hours[key]:,.1f}", str(sessions[key]), str(corrections[key])
        )
    rows.add_row("total", f"{sum(hours.values()):,.1f}", str(sum(sessions.values())), "")
    return rows


CALENDAR = (
    "calendar sessions dated",
    "calendar holiday weeks skipped",
    "calendar sessions taken over by a substitute",
    "calendar sessions moved",
    "roll-calls per calendar session",
    "roll-call lines",
    "attendance records",
    "group sessions recorded in one roll-call",
    "attendance records corrected",
    "workplace days recorded by the job coach",
    "PVT hours recorded by the named partner",
)


def calendar_table(scenario: Scenario) -> Table:
    """Issue 16: the cohort taught from the calendar, roll-call per session."""
    rows = table("Taught from the calendar (issue 16)", ["step", "count"])
    for label in CALENDAR:
        shown = (
            "attendance lines of the weeks not dated" if label == "attendance records" else label
        )
        rows.add_row(shown, str(scenario.stats[label]))
    return rows


def support_table(scenario: Scenario) -> Table:
    """Issue 17: the support cases the demo exercised, as counted when they happened."""
    rows = table("Support's cases (issue 17)", ["case", "count"])
    for label, count in sorted(scenario.stats.items()):
        if label.startswith("support: "):
            rows.add_row(label.removeprefix("support: "), str(count))
    return rows


DUTCH = "nl"
ALL_LANGUAGES = "all languages"
"""The letters table's last row: participants with a start letter of all participants."""


async def letters_table(scenario: Scenario) -> Table:
    """Issue 18: each participant's start letter, read back from notifications as the
    municipality's caseworker who prints and posts it, by the participant's language: how
    many have a letter (a PDF that opens) and in which languages. A language without a
    catalogue gets the Dutch letter only, and is shown as that fall-back."""
    people: Counter[str] = Counter()
    lettered: Counter[str] = Counter()
    written_in: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for person in scenario.people:
        language = person.language
        people[language] += 1
        shown = await _letter_languages(scenario, person)
        if shown is not None:
            lettered[language] += 1
            written_in[language][shown] += 1
    rows = table(
        "Start letters by the participant's language (issue 18, read from notifications)",
        ["participant's language", "letter in", "participants with a letter"],
    )
    for language in sorted(people):
        kinds = written_in[language]
        letter_in = (
            ", ".join(k if len(kinds) == 1 else f"{k} ({n})" for k, n in sorted(kinds.items()))
            or "-"
        )
        rows.add_row(language, letter_in, f"{lettered[language]} of {people[language]}")
    total = sum(people.values())
    rows.add_row(ALL_LANGUAGES, "", f"{sum(lettered.values())} of {total}")
    return rows


async def _letter_languages(scenario: Scenario, person: Person) -> str | None:
    """The languages of the participant's newest start letter (``ar + nl``), or None when
    there is no letter or its PDF does not open."""
    caseworker = scenario.client("notifications", Role.CASEWORKER, subject=person.caseworker)
    letters = check(await caseworker.get(f"/participants/{person.ref}/letters"))
    if not letters:
        return None
    newest = letters[0]
    pdf = await caseworker.get(newest["pdf"])
    if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
        return None
    languages = list(newest["languages"])
    shown = " + ".join(languages)
    if person.language != DUTCH and person.language not in languages:
        shown += " (Dutch fall-back: no catalogue)"
    return shown
