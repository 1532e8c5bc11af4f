"""The consent rules, applied by intake and support alike (and by any service a partner
writes in their place): when a consent is in force, and what a care-referral consent covers.

A consent is in force from the day it was given up to and including its ``valid_until``,
unless it was withdrawn: a withdrawal ends it at once, whatever its date, because the
participant's word counts from the moment it is recorded.

A care-referral consent that names care signals covers exactly those signals, and a
referral without a signal (a caseworker's manual referral) only in the categories of
those signals: a consent given for a mental-health signal does not cover debt help. A
consent naming no signal covers what its own terms say: a care referral of any category.
Any other purpose covers no referral.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from uuid import UUID

from zroute_contract.events.codes import CareCategory, ConsentPurpose


def consent_in_force(
    *, given_on: date, valid_until: date | None, withdrawn_on: date | None, day: date
) -> bool:
    """True when a consent given on ``given_on`` holds on ``day``."""
    if withdrawn_on is not None:
        return False
    return given_on <= day and (valid_until is None or day <= valid_until)


def consent_covers_referral(
    *,
    purpose: ConsentPurpose,
    care_signal_ids: Collection[UUID],
    signal_id: UUID | None = None,
    category: CareCategory | None = None,
    signal_categories: Mapping[UUID, CareCategory] | None = None,
) -> bool:
    """True when a consent (in force: the caller checks its dates) covers the referral of
    ``signal_id``, or a manual referral in ``category``.

    ``signal_categories`` maps the participant's care signals to their categories; a
    named signal whose category is unknown covers no manual referral.
    """
    if purpose is not ConsentPurpose.CARE_REFERRAL:
        return False
    if not care_signal_ids:
        return True
    if signal_id is not None:
        return signal_id in care_signal_ids
    if category is None:
        return False
    known = signal_categories or {}
    return any(known.get(signal) is category for signal in care_signal_ids)
