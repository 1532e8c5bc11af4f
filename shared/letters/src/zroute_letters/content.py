"""What a letter says, given as plain data by the caller (intake, notifications).

The personal fields are left out of ``repr``: a content object that ends up in a log line
or a traceback shows no name, phone number or link.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, astuple, dataclass, field, replace
from datetime import date, time
from enum import StrEnum
from typing import Any


class TeachingForm(StrEnum):
    CLASSROOM = "classroom"
    ONLINE = "online"
    PRACTICE = "practice"


@dataclass(frozen=True)
class Session:
    day: date
    start: time
    end: time
    place: str
    form: TeachingForm


@dataclass(frozen=True)
class Appointment:
    day: date
    start: time
    place: str


@dataclass(frozen=True)
class Contact:
    name: str = field(repr=False)
    phone: str = field(repr=False)


@dataclass(frozen=True)
class LetterContent:
    """The start letter: the participant's week, the next appointment, whom to call."""

    language: str
    salutation_name: str | None = field(repr=False)
    sessions: tuple[Session, ...]
    next_appointment: Appointment | None
    contact: Contact
    page_url: str = field(repr=False)
    sender: str = "Gemeente"

    def digest(self) -> str:
        """A SHA-256 of everything the letter prints except its link: two contents with the
        same digest make the same letter, so a sender can keep the one it already sent."""
        printed = astuple(replace(self, page_url=""))
        return hashlib.sha256(repr(printed).encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The content as JSON-ready data (dates and times in ISO form), to keep the letter
        and print it later, the same, with :meth:`from_json`."""
        data = asdict(self)
        data["sessions"] = [
            {
                **s,
                "day": s["day"].isoformat(),
                "start": s["start"].isoformat(),
                "end": s["end"].isoformat(),
                "form": str(s["form"]),
            }
            for s in data["sessions"]
        ]
        booked = data["next_appointment"]
        if booked is not None:
            booked.update(day=booked["day"].isoformat(), start=booked["start"].isoformat())
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LetterContent:
        """The content :meth:`to_json` gave."""
        booked = data["next_appointment"]
        return cls(
            language=data["language"],
            salutation_name=data["salutation_name"],
            sessions=tuple(
                Session(
                    day=date.fromisoformat(s["day"]),
                    start=time.fromisoformat(s["start"]),
                    end=time.fromisoformat(s["end"]),
                    place=s["place"],
                    form=TeachingForm(s["form"]),
                )
                for s in data["sessions"]
            ),
            next_appointment=None
            if booked is None
            else Appointment(
                day=date.fromisoformat(booked["day"]),
                start=time.fromisoformat(booked["start"]),
                place=booked["place"],
            ),
            contact=Contact(**data["contact"]),
            page_url=data["page_url"],
            sender=data["sender"],
        )
