"""The participant's short messages (e-mail, the personal page), one per kind of event.

Notifications will call ``participant_message`` with the kind and the values; the subject
and the body come from the catalogues, in the participant's language (Dutch where a text
is missing, counted). ``direction`` tells an HTML template which way to lay the text out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from zroute_letters.catalogue import RIGHT_TO_LEFT, Catalogues, catalogue_language, catalogues
from zroute_letters.content import Session
from zroute_letters.formatting import time_span, weekday


class MessageKind(StrEnum):
    INTAKE_APPOINTMENT = "intake_appointment"
    INTAKE_CANCELLED = "intake_cancelled"
    PLAN_START = "plan_start"
    GROUP_TIMES = "group_times"
    SESSION_CANCELLED = "session_cancelled"
    SESSION_MOVED = "session_moved"
    REFERRAL_ACCEPTED = "referral_accepted"
    PIP_ESTABLISHED = "pip_established"
    PROGRESS_MEETING = "progress_meeting"


@dataclass(frozen=True)
class Message:
    language: str
    direction: str  # "rtl" or "ltr"
    subject: str
    body: str


def participant_message(
    kind: MessageKind, language: str, cats: Catalogues | None = None, **values: str
) -> Message:
    """Subject and body of one kind of message; ``values`` fill the body's placeholders."""
    cats = cats or catalogues()
    rtl = catalogue_language(language) in RIGHT_TO_LEFT
    return Message(
        language=language,
        direction="rtl" if rtl else "ltr",
        subject=cats.text(language, f"{kind.value}.subject"),
        body=cats.text(language, f"{kind.value}.body", **values),
    )


def week_times(sessions: Iterable[Session], language: str) -> str:
    """The ``{times}`` of the group-times message: "maandag 09:30-12:00, woensdag ..." (with an en dash)."""
    ordered = sorted(sessions, key=lambda s: (s.day, s.start))
    return ", ".join(f"{weekday(s.day, language)} {time_span(s.start, s.end)}" for s in ordered)
