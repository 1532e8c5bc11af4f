"""One router per resource of the intake API."""

from zroute_intake.entrypoints.http import (
    changes,
    consents,
    contact_cards,
    contact_persons,
    intakes,
    meetings,
    moves,
    participants,
    pauses,
    pip,
    pip_letter,
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
]
