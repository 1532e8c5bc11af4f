"""Names on partner screens where the contact card allows (issue 18.2, issue 19).

Planning's and support's records hold pseudonymous references only. A partner's screen
(a roll-call, a group, placements, accepted referrals) asks intake for each
participant's contact card (``GET /participants/{ref}/contact-card?purpose=...``) with
the logged-in user's own token: intake gives the name only for a relation it knows and
a consent in force, and writes every card it gives to the participant's access log. A
refused card leaves the reference on the screen with the reason ("no consent").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zroute_ui.i18n import N_
from zroute_ui.remote import Outcome, read_all

if TYPE_CHECKING:
    from zroute_ui.kit import Page

CARD = "/participants/{ref}/contact-card"
# More members than this on one page and the screen shows references only: the cards
# are read one by one and each one is a line in the participant's access log.
MAX_CARDS = 40
REFUSALS = {
    "no_consent": N_("no consent"),
    "no_relation": N_("no relation with your organisation"),
    "no_fields": N_("the card shows no name"),
}
OTHER = {
    Outcome.FORBIDDEN: N_("no access"),
    Outcome.NOT_FOUND: N_("unknown in intake"),
    Outcome.UNAVAILABLE: N_("intake not available"),
    Outcome.NO_TOKEN: N_("log in again"),
    Outcome.REFUSED: N_("intake does not accept your login"),
}


@dataclass(frozen=True)
class Shown:
    """How one participant appears: the name, or the reference with why (a message id)."""

    ref: str
    name: str | None
    reason: str | None


async def names(page: Page, refs: Iterable[str], purpose: str) -> dict[str, Shown]:
    """Each reference's name from its contact card, or the reason there is none."""
    wanted = list(dict.fromkeys(refs))
    if len(wanted) > MAX_CARDS:
        return {ref: Shown(ref, None, N_("too many to look up")) for ref in wanted}
    answers = await read_all(
        page,
        {ref: ("intake", CARD.format(ref=ref), {"purpose": purpose}) for ref in wanted},
    )
    shown = {}
    for ref, answer in answers.items():
        if answer.ok and isinstance(answer.data, dict) and answer.data.get("name"):
            shown[ref] = Shown(ref, str(answer.data["name"]), None)
            continue
        code = (answer.detail or "").split(":", 1)[0]
        reason = REFUSALS.get(code) if answer.outcome is Outcome.FORBIDDEN else None
        shown[ref] = Shown(ref, None, reason or OTHER.get(answer.outcome, N_("no name")))
    return shown
