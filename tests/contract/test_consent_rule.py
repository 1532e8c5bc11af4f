"""The contract's one consent rule for care referrals (issue 12, row 6)."""

from __future__ import annotations

import uuid

from zroute_contract.consent import consent_covers_referral
from zroute_contract.events.codes import CareCategory, ConsentPurpose

MENTAL, DEBT = uuid.uuid4(), uuid.uuid4()
CATEGORIES = {MENTAL: CareCategory.MENTAL_HEALTH_CARE, DEBT: CareCategory.DEBT_FINANCE}
CARE = ConsentPurpose.CARE_REFERRAL


def covers(ids, **kw) -> bool:
    return consent_covers_referral(
        purpose=kw.pop("purpose", CARE), care_signal_ids=ids, signal_categories=CATEGORIES, **kw
    )


def test_a_consent_naming_signals_covers_those_signals_and_their_categories_only():
    assert covers([MENTAL], signal_id=MENTAL)
    assert not covers([MENTAL], signal_id=DEBT)
    assert covers([MENTAL], category=CareCategory.MENTAL_HEALTH_CARE)
    assert not covers([MENTAL], category=CareCategory.DEBT_FINANCE)
    assert not covers([MENTAL], category=CareCategory.PHYSICAL_CARE)
    assert not covers([uuid.uuid4()], category=CareCategory.MENTAL_HEALTH_CARE)  # unknown
    assert not covers([MENTAL])  # neither a signal nor a category


def test_a_consent_naming_no_signal_covers_any_care_referral_and_other_purposes_none():
    assert covers([], category=CareCategory.PHYSICAL_CARE)
    assert covers([], signal_id=DEBT)
    assert not covers(
        [], purpose=ConsentPurpose.PARTNER_SHARING, category=CareCategory.DEBT_FINANCE
    )
