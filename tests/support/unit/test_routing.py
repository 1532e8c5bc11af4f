"""New work goes to the responsible partner, or the next capable one with room, or waits."""

from __future__ import annotations

from zroute_contract.events.codes import PartnerCapability
from zroute_support.domain.partners import Partner
from zroute_support.domain.routing import WaitCode, WaitingReason, choose_partner

CARE = PartnerCapability.MENTAL_HEALTH_CARE


def partner(pid: str, limit: int | None = None, *, capable: bool = True, where: str = "GM0363"):
    caps = (CARE,) if capable else (PartnerCapability.KNM,)
    return Partner(pid, pid, (where,), caps, {CARE: limit} if limit is not None else {})


def choose(partners, load=None, responsible="b-care", exclude=(), order=()):
    return choose_partner(
        responsible=responsible,
        capability=CARE,
        municipality="GM0363",
        partners=partners,
        load=load or {},
        exclude=exclude,
        overflow_order=order,
    )


def test_the_responsible_partner_with_room_takes_it():
    assert choose([partner("a-care"), partner("b-care", 2)], {"b-care": 1}).partner_id == "b-care"


def test_a_partner_at_capacity_gets_nothing_and_the_next_capable_partner_takes_it():
    partners = [partner("a-care", 0), partner("b-care", 1), partner("c-knm", capable=False),
                partner("d-care", where="GM0599"), partner("e-care")]  # fmt: skip
    assert choose(partners, {"b-care": 1}).partner_id == "e-care"


def test_partners_that_declined_are_skipped():
    partners = [partner("a-care"), partner("b-care")]
    assert choose(partners, exclude={"b-care"}).partner_id == "a-care"


def test_when_everyone_is_full_it_waits_with_the_reason():
    choice = choose([partner("a-care", 1), partner("b-care", 1)], {"a-care": 1, "b-care": 1})
    assert choice.partner_id is None
    assert choice.reason == WaitingReason.of(WaitCode.AT_CAPACITY, capability="mental_health_care")
    # the API and the logs keep the English sentence; a screen words the code itself
    assert choice.reason.sentence() == "every partner with mental_health_care is at capacity"


def test_without_a_responsible_partner_it_waits_with_the_reason():
    choice = choose([partner("a-care")], responsible=None)
    assert choice.partner_id is None and choice.reason is not None
    assert choice.reason.code is WaitCode.NO_RESPONSIBLE_PARTNER
    assert "no partner is responsible" in choice.reason.sentence()


def test_an_inactive_partner_takes_no_new_work():
    stopped = partner("b-care")
    stopped.active = False
    assert choose([stopped]).partner_id is None


def test_overflow_follows_the_order_of_registration_never_the_alphabet():
    # Registered z first: a full responsible partner overflows to z, not to a (issue 17).
    partners = [partner("z-care"), partner("b-care", 1), partner("a-care")]
    assert choose(partners, {"b-care": 1}).partner_id == "z-care"


def test_overflow_follows_the_configured_order_first():
    partners = [partner("z-care"), partner("b-care", 1), partner("a-care"), partner("m-care")]
    chosen = choose(partners, {"b-care": 1}, order=("m-care", "a-care"))
    assert chosen.partner_id == "m-care"
    full = choose(partners, {"b-care": 1}, exclude={"m-care"}, order=("m-care", "a-care"))
    assert full.partner_id == "a-care"


def test_a_waiting_reason_is_kept_as_its_code_and_an_older_sentence_reads_back_as_it_was():
    from zroute_support.adapters.waiting_reasons import from_text, to_text

    reason = WaitingReason.of(
        WaitCode.NO_PARTNER_SERVES, capability="transport", municipality="GM0363"
    )
    assert from_text(to_text(reason)) == reason
    old = from_text("every partner with transport is at capacity")  # a row from before the codes
    assert old.code is WaitCode.UNCODED
    assert old.sentence() == "every partner with transport is at capacity"
