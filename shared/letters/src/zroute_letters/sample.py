"""A sample start letter with made-up names, places and numbers: for the tests, the pages in
docs/letters/ and a native speaker reviewing a translation in its place on the letter."""

from __future__ import annotations

from datetime import date, time

from zroute_letters.content import Appointment, Contact, LetterContent, Session, TeachingForm

WEEK = (
    Session(
        date(2027, 1, 11),
        time(9, 30),
        time(12, 0),
        "Taalhuis, Stationsplein 4, Zwolle",
        TeachingForm.CLASSROOM,
    ),
    Session(date(2027, 1, 13), time(13, 0), time(15, 30), "Thuis", TeachingForm.ONLINE),
    Session(
        date(2027, 1, 14),
        time(9, 0),
        time(12, 0),
        "Kringloop De Bolder, Zwolle",
        TeachingForm.PRACTICE,
    ),
)


def letter(language: str, name: str | None = "Amina Yusuf") -> LetterContent:
    """The sample letter in a language (``name=None``: the general greeting)."""
    return LetterContent(
        language=language,
        salutation_name=name,
        sessions=WEEK,
        next_appointment=Appointment(
            date(2027, 1, 20), time(10, 0), "Stadskantoor, Lubeckplein 2, Zwolle"
        ),
        contact=Contact("Sanne de Vries", "038 498 1234"),
        page_url="https://mijn.zwolle.example/p/v1.Xq3kVd9sTzW0bK2mPq7aYg.1800000000.sig",
        sender="Gemeente Zwolle",
    )
