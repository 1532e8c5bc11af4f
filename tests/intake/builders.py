"""Valid request bodies and values for the intake tests; tests change what they test."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from zroute_runtime.auth import Role
from zroute_runtime.privacy import random_valid_bsn

from tests.helpers import token

PROGRAMME = "programme-demo"
CARE_PARTNER = "care-coordinator"
MUNICIPALITY = "GM0363"
# The services fixture's simulated clock starts here (Monday 4 January 2027, 09:00).
CLOCK_START = datetime.fromisoformat("2027-01-04T09:00:00+01:00")
TODAY = CLOCK_START.date()


valid_bsn = random_valid_bsn


def invalid_bsn() -> str:
    bsn = valid_bsn()
    return bsn[:8] + str((int(bsn[8]) + 1) % 10)


def contact(staff_ref: str = "caseworker-anna") -> dict[str, Any]:
    return {"staff_ref": staff_ref, "role": "caseworker", "municipality": MUNICIPALITY}


def registration(**changes: Any) -> dict[str, Any]:
    body = {
        "programme_id": PROGRAMME,
        "municipality": MUNICIPALITY,
        "bsn": valid_bsn(),
        "given_names": "Amina",
        "family_name": "Haddad",
        "date_of_birth": "1984-03-12",
        "address": {
            "street": "Kerkstraat",
            "house_number": "12A",
            "postal_code": "1017 GB",
            "city": "Amsterdam",
        },
        "phone": "+31 6 12345678",
        "preferred_language": "ar",
        "interpreter_needed": True,
        "contact_person": contact(),
    }
    return body | changes


def schedule(days_ahead: int = 7, **changes: Any) -> dict[str, Any]:
    body = {
        "starts_at": (CLOCK_START + timedelta(days=days_ahead)).isoformat(),
        "duration_minutes": 120,
        "location_id": "town-hall",
        "attendees": [
            {"partner_id": "taalschool", "role": "language_partner"},
            {"partner_id": "zorgpartner", "role": "care_partner"},
        ],
        "interpreter": {"language": "ar", "mode": "in_person", "status": "confirmed"},
    }
    return body | changes


def outcome(**changes: Any) -> dict[str, Any]:
    body = {
        "language_level": "A0",
        "literacy": "not_alphabetised",
        "learnability_band": "low",
        "needs": [
            {"domain": "language_literacy", "severity": "severe"},
            {"domain": "finances", "severity": "moderate"},
        ],
        "childcare": {"needed": True, "child_ages": [2, 5]},
        "transport": {"needed": True, "modes": ["public_transport_pass"]},
        "availability": [
            {"weekday": "monday", "day_part": "morning"},
            {"weekday": "wednesday", "day_part": "morning"},
        ],
        "goals": ["language_self_reliance", "social_participation"],
        "route": "z_route",
        "route_reason": "combined",
        "care_signals": [
            {
                "domain": "health_psychological",
                "category": "mental_health_care",
                "severity": "moderate",
                "urgency": "routine",
            }
        ],
    }
    return body | changes


def consent(**changes: Any) -> dict[str, Any]:
    body = {"purpose": "partner_sharing", "partner_id": "taalschool", "given_on": str(TODAY)}
    return body | changes


def auth(*roles: Role, subject: str = "caseworker-anna") -> dict[str, str]:
    return {"Authorization": f"Bearer {token(list(roles or [Role.CASEWORKER]), subject=subject)}"}


def day(offset: int) -> str:
    return str(TODAY + timedelta(days=offset))


__all__ = ["date"]
