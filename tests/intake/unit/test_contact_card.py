"""The contact card: personal data reaches a partner by relation, with consent."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from zroute_contract.events.codes import ConsentPurpose
from zroute_intake.domain.consents import Consent
from zroute_intake.domain.contact_card import (
    CardField,
    CardGrant,
    CardRefused,
    CardRefusedError,
    Refusal,
    Relation,
    RelationKind,
    attends_intake,
    card,
    decide,
)
from zroute_intake.domain.errors import Forbidden

from tests.intake.unit.factories import personal

TODAY = date(2027, 5, 1)
SCHOOL = "language-school"
CARE = "care-a"


def sharing(partner: str = SCHOOL, **overrides) -> Consent:
    return Consent(
        uuid4(), ConsentPurpose.PARTNER_SHARING, date(2027, 1, 1), partner_id=partner, **overrides
    )


def group(until: date | None = None) -> Relation:
    return Relation(RelationKind.TEACHES_GROUP, SCHOOL, date(2027, 2, 1), until)


def test_a_teacher_with_a_group_and_sharing_consent_sees_name_and_language():
    consent = sharing()
    card = decide(SCHOOL, [group()], [consent], TODAY)
    assert isinstance(card, CardGrant)
    assert card.fields == {CardField.NAME, CardField.PREFERRED_LANGUAGE}
    assert card.consent_id == consent.consent_id


def test_without_consent_or_after_withdrawal_the_teacher_is_refused_for_that_reason():
    assert decide(SCHOOL, [group()], [], TODAY) == CardRefused(Refusal.NO_CONSENT)
    withdrawn = sharing(withdrawn_on=date(2027, 4, 1))
    assert decide(SCHOOL, [group()], [withdrawn], TODAY) == CardRefused(Refusal.NO_CONSENT)
    other_partner = sharing(partner="someone-else")
    assert decide(SCHOOL, [group()], [other_partner], TODAY) == CardRefused(Refusal.NO_CONSENT)


def test_after_leaving_the_group_the_teacher_has_no_relation():
    left = group(until=date(2027, 4, 30))
    assert decide(SCHOOL, [left], [sharing()], TODAY) == CardRefused(Refusal.NO_RELATION)
    assert decide(SCHOOL, [], [sharing()], TODAY).explanation.startswith("your organisation")


def test_a_care_partner_sees_the_care_fields_under_the_referral_consent_once_accepted():
    care_consent = Consent(
        uuid4(), ConsentPurpose.CARE_REFERRAL, date(2027, 1, 1), care_signal_ids=(uuid4(),)
    )
    accepted = Relation(
        RelationKind.ACCEPTED_REFERRAL, CARE, date(2027, 4, 1), consent_id=care_consent.consent_id
    )
    card = decide(CARE, [accepted], [care_consent], TODAY)
    assert isinstance(card, CardGrant)
    assert CardField.ADDRESS in card.fields and CardField.PHONE in card.fields
    # Another care consent (for another referral) does not open this one.
    other = Relation(RelationKind.ACCEPTED_REFERRAL, CARE, date(2027, 4, 1), consent_id=uuid4())
    assert decide(CARE, [other], [care_consent], TODAY) == CardRefused(Refusal.NO_CONSENT)


def test_the_widest_consented_relation_decides_the_fields():
    coach = Relation(RelationKind.COACHES_PLACEMENT, SCHOOL, date(2027, 3, 1))
    card = decide(SCHOOL, [group(), coach], [sharing()], TODAY)
    assert isinstance(card, CardGrant) and len(card.fields) == 2


def test_configuration_decides_the_fields_and_an_empty_set_is_refused():
    fields = {RelationKind.TEACHES_GROUP: frozenset()}
    assert decide(SCHOOL, [group()], [sharing()], TODAY, fields) == CardRefused(Refusal.NO_FIELDS)


def test_intake_attendees_relate_from_registration_to_the_intake_day_once_each():
    relations = attends_intake(
        [SCHOOL, CARE, SCHOOL], since=date(2027, 4, 1), intake_day=date(2027, 4, 8)
    )
    assert [r.partner_id for r in relations] == [SCHOOL, CARE]
    assert all(r.kind is RelationKind.ATTENDS_INTAKE for r in relations)
    assert relations[0].current_on(date(2027, 4, 8))
    assert not relations[0].current_on(date(2027, 4, 9))


def test_the_card_fills_only_the_granted_fields():
    grant = CardGrant(
        fields=frozenset({CardField.NAME, CardField.PHONE}),
        relation=RelationKind.COACHES_PLACEMENT,
        consent_id=uuid4(),
    )
    shown = card(
        "zr-" + "1" * 32, grant, personal(), preferred_language="ar", interpreter_needed=True
    )
    assert (shown.name, shown.phone) == ("Amina Haddad", "+31 6 12345678")
    assert shown.address is None and shown.preferred_language is None
    assert shown.interpreter_needed is None


def test_a_refusal_is_a_forbidden_that_starts_with_its_code():
    error = CardRefusedError(CardRefused(Refusal.NO_CONSENT))
    assert isinstance(error, Forbidden) and error.reason.startswith("no_consent: ")
