"""One router per resource of the intake API."""

from zroute_intake.entrypoints.http import (
    audit,
    changes,
    consents,
    contact_cards,
    contact_persons,
    duo,
    intakes,
    meetings,
    moves,
    participants,
    pauses,
    pip,
    pip_letter,
    reports,
    right_of_access,
    withdrawal,
)

ROUTERS = [
    moves.router,
    participants.router,
    intakes.router,
    contact_persons.router,
    consents.router,
    withdrawal.router,
    changes.router,
    pauses.router,
    pip.router,
    pip_letter.router,
    meetings.router,
    contact_cards.router,
    audit.router,
    reports.router,
    duo.router,
    right_of_access.router,
]
