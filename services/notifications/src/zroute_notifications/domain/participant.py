"""The participant as a recipient (issue 18): the matrix's ``participant`` lines, and what a
message or the start letter says, from the events only. Plain rules, no I/O.

The participant is reached by ``letter`` (the start letter as PDF, kept for the
caseworker to print and post), ``page`` (the message on the personal page, reached through
a signed, expiring link) and ``email``: the message, in their language with the Dutch
beside it, sent to the address intake holds, pulled at send time (this service stores no
participant's address; without one nothing is sent, and the delivery log says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from zroute_contract.events.base import Event
from zroute_letters.content import Appointment, Session, TeachingForm
from zroute_letters.formatting import clock_time, long_date
from zroute_letters.messages import MessageKind, week_times

PARTICIPANT: Final = "participant"
LETTER: Final = "letter"
PAGE: Final = "page"
EMAIL: Final = "email"
CHANNELS: Final = (LETTER, PAGE, EMAIL)
# Only the start letter exists as a letter: it needs the week, which schedule-published
# carries.
LETTER_EVENTS: Final = frozenset({"schedule-published"})

# The contract's teaching forms drawn with the letters' three pictograms.
_FORMS: Final = {
    "classroom": TeachingForm.CLASSROOM,
    "knm": TeachingForm.CLASSROOM,
    "digital": TeachingForm.ONLINE,
    "practice_outside": TeachingForm.PRACTICE,
    "workplace_learning": TeachingForm.PRACTICE,
}
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class ParticipantTarget:
    """A ``participant`` line of a rule: which message, on which channels."""

    kind: MessageKind
    channels: tuple[str, ...]


def participant_target(
    raw: dict[str, Any], cls: type[Event], where: str, problems: list[str]
) -> ParticipantTarget | None:
    """The ``participant`` recipient ``raw`` of a rule for ``cls``, or None with problems."""
    found: list[str] = []
    try:
        kind = MessageKind(str(raw.get("message")))
    except ValueError:
        allowed = ", ".join(k.value for k in MessageKind)
        found.append(f"{where}: a participant line needs a message (one of {allowed})")
    channels = raw.get("channels")
    if not isinstance(channels, list) or not channels:
        found.append(f"{where}: channels must be a non-empty list")
        channels = []
    for channel in channels:
        if channel not in CHANNELS:
            found.append(
                f"{where}: the participant is reached by letter, page or email only ({channel!r})"
            )
    if LETTER in channels and cls.spec.name not in LETTER_EVENTS:
        found.append(f"{where}: a letter needs the week (schedule-published only)")
    if "participant_ref" not in cls.model_fields:
        found.append(f"{where}: role participant needs an event about one participant")
    if raw.get("timing", "immediate") != "immediate":
        found.append(f"{where}: the participant's messages are immediate")
    problems.extend(found)
    if found:
        return None
    return ParticipantTarget(kind, tuple(dict.fromkeys(channels)))


def target_dict(target: ParticipantTarget) -> dict[str, Any]:
    """A participant line in the matrix's configuration format."""
    return {
        "role": PARTICIPANT,
        "message": target.kind.value,
        "channels": list(target.channels),
        "timing": "immediate",
    }


def first_day(valid_from: date, weekday: str) -> date:
    """The first ``weekday`` on or after ``valid_from``."""
    offset = (_WEEKDAYS.index(weekday) - valid_from.weekday()) % 7
    return valid_from + timedelta(days=offset)


def location_ids(schedule: dict[str, Any]) -> set[str]:
    """The location codes a published schedule's sessions name (issue 18)."""
    return {str(s["location_id"]) for s in schedule["sessions"] if s.get("location_id")}


def week(
    schedule: dict[str, Any],
    online_place: str = "online",
    places: Mapping[str, str] | None = None,
) -> tuple[Session, ...]:
    """The first week of a published schedule (``schedule-published``'s data) as sessions.

    An online session says so; the others show their place (``places``: a location code's
    name and address, from planning) where the event names a location planning knows,
    else nothing."""
    places = places or {}
    valid_from = date.fromisoformat(str(schedule["valid_from"]))
    sessions = []
    for s in schedule["sessions"]:
        start = time.fromisoformat(str(s["starts_at"]))
        end_moment = datetime.combine(valid_from, start) + timedelta(minutes=int(s["minutes"]))
        form = _FORMS.get(str(s["teaching_form"]), TeachingForm.CLASSROOM)
        sessions.append(
            Session(
                day=first_day(valid_from, str(s["weekday"])),
                start=start,
                end=end_moment.time(),
                place=(
                    online_place
                    if form is TeachingForm.ONLINE
                    else places.get(str(s.get("location_id") or ""), "")
                ),
                form=form,
            )
        )
    return tuple(sorted(sessions, key=lambda x: (x.day, x.start)))


def appointment(starts_at: datetime, place: str) -> Appointment:
    """The next appointment (the intake) at its local day and time."""
    return Appointment(starts_at.date(), starts_at.time().replace(second=0), place)


def message_values(
    data: dict[str, Any],
    language: str,
    *,
    local_start: datetime | None = None,
    sessions: tuple[Session, ...] = (),
    partner: str = "",
    place: str = "",
) -> dict[str, str]:
    """The placeholders a message may use, from the event's data (codes and dates only),
    written the participant's way (dates and weekdays in their language)."""
    day: date | None = local_start.date() if local_start else None
    for name in ("start_on", "valid_from", "dated"):
        if day is None and data.get(name):
            day = date.fromisoformat(str(data[name]))
    return {
        "date": long_date(day, language) if day else "",
        "time": clock_time(local_start.time()) if local_start else "",
        "times": week_times(sessions, language),
        "place": place,
        "partner": partner,
    }
