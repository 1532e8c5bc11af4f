"""A sample start letter and PIP decision with made-up names, places and numbers: for the tests, the pages in
docs/letters/ and a native speaker reviewing a translation in its place on the letter."""

from __future__ import annotations

from datetime import date, time

from zroute_letters.content import Appointment, Contact, LetterContent, Session, TeachingForm
from zroute_letters.decision import DecisionContent

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


def decision(language: str, *, version: int = 1) -> DecisionContent:
    """A sample PIP decision (made-up data); ``version`` 2 is an amendment after a
    progress meeting."""
    return DecisionContent(
        language=language,
        municipality="Gemeente Zwolle",
        reference=f"PIP zr-7Q4M2K9X v{version}",
        version=version,
        dated=date(2027, 1, 4) if version == 1 else date(2027, 9, 6),
        route="z_route",
        route_reason="literacy",
        support=("Maatschappelijke begeleiding door VluchtelingenWerk", "Kinderopvang geregeld"),
        pvt_hours_per_week=2,
        map_hours_per_week=0 if version == 1 else 4,
        route_hours_per_week=16,
        progress_meetings=4,
        term_starts=date(2027, 1, 5),
        term_ends=date(2030, 1, 4),
        addressee="Amina Yusuf",
        address_lines=("Assendorperstraat 12", "8012 DH Zwolle"),
        contact_name="Sanne de Vries",
        contact_phone="038 498 1234",
        objection_address="Gemeente Zwolle, Postbus 10007, 8000 GA Zwolle",
        exam_wish=("a2_speaking", "knm"),
        amendment_reason=None if version == 1 else "progress_meeting",
    )
