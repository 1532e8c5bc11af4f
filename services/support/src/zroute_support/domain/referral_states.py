"""The lifecycle of a closed-loop care referral, as HL7 FHIR models it with a Task.

The referrer (the participant's contact person, on the municipality's side) owns the
request: it creates and may cancel it. The care partner (FHIR: the performer) owns the
execution: it accepts or rejects, starts, holds, resumes, fails and completes. The
system may cancel (consent or participant withdrawn). Nobody else moves a referral.
"""

from __future__ import annotations

from collections.abc import Mapping

from zroute_contract.events.codes import ReferralSide, ReferralStatus

from zroute_support.domain.errors import TransitionNotAllowed

S = ReferralStatus
_PERFORMER = frozenset({ReferralSide.PERFORMER})
_CANCELLERS = frozenset({ReferralSide.REFERRER, ReferralSide.SYSTEM})

TRANSITIONS: Mapping[tuple[ReferralStatus, ReferralStatus], frozenset[ReferralSide]] = {
    (S.REQUESTED, S.ACCEPTED): _PERFORMER,
    (S.REQUESTED, S.REJECTED): _PERFORMER,
    (S.REQUESTED, S.CANCELLED): _CANCELLERS,
    (S.ACCEPTED, S.IN_PROGRESS): _PERFORMER,
    (S.ACCEPTED, S.ON_HOLD): _PERFORMER,
    (S.ACCEPTED, S.COMPLETED): _PERFORMER,
    (S.ACCEPTED, S.FAILED): _PERFORMER,
    (S.ACCEPTED, S.CANCELLED): _CANCELLERS,
    (S.IN_PROGRESS, S.ON_HOLD): _PERFORMER,
    (S.IN_PROGRESS, S.COMPLETED): _PERFORMER,
    (S.IN_PROGRESS, S.FAILED): _PERFORMER,
    (S.IN_PROGRESS, S.CANCELLED): _CANCELLERS,
    (S.ON_HOLD, S.IN_PROGRESS): _PERFORMER,
    (S.ON_HOLD, S.FAILED): _PERFORMER,
    (S.ON_HOLD, S.CANCELLED): _CANCELLERS,
}
"""Every allowed (from, to) status change and the sides that may make it."""

OPEN = frozenset({S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD})
"""Statuses in which the referral still takes the partner's capacity and can change."""
TERMINAL = frozenset(S) - OPEN

_SIDE_NAMES = {
    ReferralSide.REFERRER: "the referrer",
    ReferralSide.PERFORMER: "the care partner",
    ReferralSide.SYSTEM: "the system",
}


def check(current: ReferralStatus, target: ReferralStatus, side: ReferralSide) -> None:
    """Raise :class:`TransitionNotAllowed` unless ``side`` may move ``current`` to ``target``."""
    sides = TRANSITIONS.get((current, target))
    if sides is None:
        raise TransitionNotAllowed(
            f"a referral that is {current.value} cannot become {target.value}"
        )
    if side not in sides:
        owners = " or ".join(sorted(_SIDE_NAMES[s] for s in sides))
        raise TransitionNotAllowed(
            f"only {owners} may make a referral {target.value}, not {_SIDE_NAMES[side]}"
        )


def allowed(current: ReferralStatus, target: ReferralStatus, side: ReferralSide) -> bool:
    return side in TRANSITIONS.get((current, target), frozenset())
