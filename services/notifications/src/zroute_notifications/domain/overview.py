"""The consultation overview of one programme (lesson L3): the figures the partners
discuss at their regular consultation, computed from the read model's rows.

No care details: referrals are counted by status only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

KINDS = ("language", "participation", "knm", "map")
# The B 3.14 norm's two parts and the ledger kinds that count toward each: course hours are
# NT2 and KNM together, participation hours hold PVT and MAP (Besluit inburgering 2021).
NORM_PARTS = {"course": ("language", "knm"), "participation": ("participation", "map", "pvt")}
# A plan activated without a norm (before issue 15) has the full norm of an asylum permit
# holder, as planning counts it.
FULL_NORM = {"course_hours": 800, "participation_hours": 800}
PHASE_ORDER = (
    "registered",
    "intake_completed",
    "waiting_for_start",
    "active",
    "paused",
    "completed",
    "withdrawn",
)
OPEN_REFERRAL = ("requested", "accepted", "in-progress", "on-hold")


@dataclass(frozen=True)
class HoursBar:
    kind: str
    hours: Decimal
    target: Decimal

    @property
    def percentage(self) -> int:
        return int(self.hours * 100 / self.target) if self.target else 0


@dataclass(frozen=True)
class WeekAttendance:
    week: str
    sessions: int
    present: int

    @property
    def rate(self) -> int:
        return round(self.present * 100 / self.sessions) if self.sessions else 0


@dataclass
class Overview:
    programme_id: str
    today: date
    phases: list[tuple[str, int]] = field(default_factory=list)
    hours: list[HoursBar] = field(default_factory=list)
    norm: list[HoursBar] = field(default_factory=list)
    """Hours (attended and credited) against the B 3.14 norm: course, participation."""
    attendance: list[WeekAttendance] = field(default_factory=list)
    referrals: list[tuple[str, int]] = field(default_factory=list)
    referrals_escalated: int = 0
    preconditions: list[dict[str, Any]] = field(default_factory=list)
    placements: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    waiting_list: list[dict[str, Any]] = field(default_factory=list)
    participants: int = 0


def _phase(row: Mapping[str, Any]) -> str:
    if row["status"] == "active" and row.get("phase"):
        return f"phase {row['phase']}"
    return str(row["status"])


def _phase_key(label: str) -> tuple[int, int]:
    if label.startswith("phase "):
        return (PHASE_ORDER.index("active"), int(label.split()[1]))
    return (PHASE_ORDER.index(label) if label in PHASE_ORDER else 99, 0)


def build(
    programme_id: str,
    today: date,
    participants: Iterable[Mapping[str, Any]],
    attendance: Iterable[Mapping[str, Any]],
    items: Iterable[Mapping[str, Any]],
    *,
    lapsing_within: timedelta,
    weeks: int = 8,
) -> Overview:
    """The consultation overview of one programme on ``today``, from the read model's rows."""
    overview = Overview(programme_id, today)
    people = list(participants)
    overview.participants = len(people)
    phases = Counter(_phase(p) for p in people)
    overview.phases = sorted(phases.items(), key=lambda kv: _phase_key(kv[0]))
    _add_hours_and_attendance(overview, people, attendance, weeks)
    _add_items(overview, items, today, lapsing_within)
    return overview


def _targets(people: list[Mapping[str, Any]]) -> dict[str, Decimal]:
    """The summed hour targets of the participants still on the route."""
    targets: dict[str, Decimal] = defaultdict(Decimal)
    for p in people:
        if p["status"] != "withdrawn" and p.get("targets"):
            for kind in KINDS:
                targets[kind] += Decimal(str(p["targets"].get(kind, 0)))
    return targets


def _add_hours_and_attendance(
    overview: Overview,
    people: list[Mapping[str, Any]],
    attendance: Iterable[Mapping[str, Any]],
    weeks: int,
) -> None:
    targets = _targets(people)
    hours: dict[str, Decimal] = defaultdict(Decimal)
    by_week: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in attendance:
        if a["status"] == "present":
            hours[a["kind"]] += Decimal(str(a["hours"]))
        year, week, _ = a["session_on"].isocalendar()
        counts = by_week[f"{year}-W{week:02d}"]
        counts[0] += 1
        counts[1] += a["status"] == "present"
    overview.hours = [HoursBar(k, hours[k], targets[k]) for k in KINDS]
    overview.norm = _norm_bars(people, hours)
    overview.attendance = [
        WeekAttendance(w, c[0], c[1]) for w, c in sorted(by_week.items())[-weeks:]
    ]


def _norm_bars(people: list[Mapping[str, Any]], hours: Mapping[str, Decimal]) -> list[HoursBar]:
    """Course and participation hours of the programme against the summed norms of the
    participants still on the route; credited hours count toward their part."""
    reached = {part: sum((hours.get(k, Decimal(0)) for k in kinds), Decimal(0))
               for part, kinds in NORM_PARTS.items()}  # fmt: skip
    norm = dict.fromkeys(NORM_PARTS, Decimal(0))
    for p in people:
        if p["status"] == "withdrawn" or not p.get("targets"):
            continue
        own = p["targets"].get("norm") or FULL_NORM
        for part in NORM_PARTS:
            norm[part] += Decimal(str(own.get(f"{part}_hours", 0)))
            reached[part] += Decimal(str(own.get(f"credited_{part}_hours", 0)))
    return [HoursBar(part, reached[part], norm[part]) for part in NORM_PARTS]


def _add_items(
    overview: Overview, items: Iterable[Mapping[str, Any]], today: date, lapsing_within: timedelta
) -> None:
    """Open referrals counted by status; the other open items listed by due date."""
    listings = {
        "placement": overview.placements,
        "review": overview.reviews,
        "follow_up": overview.follow_ups,
        "waitlist": overview.waiting_list,
    }
    referral_status: Counter[str] = Counter()
    for item in items:
        kind, status = item["kind"], item["status"]
        entry = {
            "participant_ref": item["participant_ref"],
            "status": status,
            "due_on": item.get("due_on"),
            "detail": item.get("detail"),
        }
        if kind == "referral" and item["open"] and status in OPEN_REFERRAL:
            referral_status[status] += 1
            overview.referrals_escalated += item.get("detail") == "escalated"
        elif kind == "precondition" and _precondition_matters(item, today, lapsing_within):
            overview.preconditions.append(entry)
        elif kind in listings and item["open"]:
            listings[kind].append(entry)
    overview.referrals = [(s, referral_status[s]) for s in OPEN_REFERRAL if referral_status[s]]
    for listing in (overview.preconditions, *listings.values()):
        listing.sort(key=lambda e: (e["due_on"] or date.max, e["participant_ref"] or ""))


def _precondition_matters(item: Mapping[str, Any], today: date, within: timedelta) -> bool:
    """Missing or lapsed, or arranged but ending within ``within``."""
    if not item["open"]:
        return False
    if item["status"] in ("missing", "lapsed"):
        return True
    until = item.get("due_on")
    return item["status"] == "arranged" and until is not None and until <= today + within
