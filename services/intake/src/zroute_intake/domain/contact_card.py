"""Who may see which of a participant's personal data: the contact card by relation.

Personal data stays in intake and never travels on the bus; a partner pulls a card when
its work needs one (NL GOV *informatiearm notificeren*). A card is given only when both
hold on the day it is asked for:

- the partner has a current relation with the participant (a group it teaches, a
  placement it coaches or hosts, a referral it accepted, an intake it attends);
- a consent in force covers that partner and purpose: ``partner_sharing`` naming the
  partner, or, for an accepted referral, the referral's own care consent.

Which fields a relation shows is configuration (:data:`DEFAULT_FIELDS`), masked per
relation as Lino Avanti masks names per role. The decision reads no personal data: a
refusal names its reason and the service answers it without decrypting anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from zroute_contract.events.codes import ConsentPurpose

from zroute_intake.domain.consents import Consent
from zroute_intake.domain.errors import Forbidden
from zroute_intake.domain.personal import PersonalData


class RelationKind(StrEnum):
    """What ties a partner to a participant, and so what the partner needs to know."""

    TEACHES_GROUP = "teaches_group"
    COACHES_PLACEMENT = "coaches_placement"
    HOSTS_PLACEMENT = "hosts_placement"
    ACCEPTED_REFERRAL = "accepted_referral"
    ATTENDS_INTAKE = "attends_intake"
    # The interpreter partner confirmed an interpreter for an intake, a progress meeting
    # or a referral's intake (issue 18): until the appointment's day, or its withdrawal.
    INTERPRETS_APPOINTMENT = "interprets_appointment"


class CardField(StrEnum):
    """The personal data a card can show."""

    NAME = "name"
    PREFERRED_LANGUAGE = "preferred_language"
    PHONE = "phone"
    ADDRESS = "address"
    INTERPRETER_NEEDED = "interpreter_needed"


class CardPurpose(StrEnum):
    """Why partner staff ask for a card; written to the access log with every read."""

    PREPARE_INTAKE = "prepare_intake"
    CONTACT_PARTICIPANT = "contact_participant"
    TAKE_ROLL_CALL = "take_roll_call"
    ARRANGE_PLACEMENT = "arrange_placement"
    START_CARE = "start_care"
    INTERPRET = "interpret"
    """The interpreter partner prepares an appointment it interprets at."""
    NAME_IN_MESSAGE = "name_in_message"
    """The notifications service names the participant in a message to a partner."""


class Refusal(StrEnum):
    """Why no card is given; safe to show and to log."""

    NO_RELATION = "no_relation"
    NO_CONSENT = "no_consent"
    NO_FIELDS = "no_fields"


DEFAULT_FIELDS: Mapping[RelationKind, frozenset[CardField]] = {
    RelationKind.TEACHES_GROUP: frozenset({CardField.NAME, CardField.PREFERRED_LANGUAGE}),
    RelationKind.COACHES_PLACEMENT: frozenset({CardField.NAME, CardField.PHONE}),
    RelationKind.HOSTS_PLACEMENT: frozenset({CardField.NAME, CardField.PHONE}),
    RelationKind.ACCEPTED_REFERRAL: frozenset(
        {CardField.NAME, CardField.PHONE, CardField.ADDRESS, CardField.INTERPRETER_NEEDED}
    ),
    RelationKind.ATTENDS_INTAKE: frozenset(
        {CardField.NAME, CardField.PREFERRED_LANGUAGE, CardField.INTERPRETER_NEEDED}
    ),
    RelationKind.INTERPRETS_APPOINTMENT: frozenset({CardField.NAME, CardField.PREFERRED_LANGUAGE}),
}


@dataclass(frozen=True)
class Relation:
    """A partner's relation with the participant, as the owning service reports it."""

    kind: RelationKind
    partner_id: str
    since: date
    until: date | None = None
    consent_id: UUID | None = None
    """For an accepted referral: the care consent the referral was made under."""

    def current_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class CardGrant:
    """A card may be shown: these fields, for this relation, under this consent."""

    fields: frozenset[CardField]
    relation: RelationKind
    consent_id: UUID


@dataclass(frozen=True)
class CardRefused:
    """No card: the reason, in a code and in words."""

    reason: Refusal

    @property
    def explanation(self) -> str:
        return {
            Refusal.NO_RELATION: "your organisation has no current relation with this participant",
            Refusal.NO_CONSENT: "no consent in force lets the participant's data reach you",
            Refusal.NO_FIELDS: "your relation with this participant shows no personal data",
        }[self.reason]


def _covering_consent(relation: Relation, consents: Sequence[Consent], today: date) -> UUID | None:
    for consent in reversed(consents):
        if not consent.active_on(today):
            continue
        if (
            consent.purpose is ConsentPurpose.PARTNER_SHARING
            and consent.partner_id == relation.partner_id
        ):
            return consent.consent_id
        if (
            relation.kind is RelationKind.ACCEPTED_REFERRAL
            and consent.purpose is ConsentPurpose.CARE_REFERRAL
            and consent.consent_id == relation.consent_id
        ):
            return consent.consent_id
    return None


def decide(
    partner_id: str,
    relations: Sequence[Relation],
    consents: Sequence[Consent],
    today: date,
    fields: Mapping[RelationKind, frozenset[CardField]] = DEFAULT_FIELDS,
) -> CardGrant | CardRefused:
    """The card ``partner_id`` may see today, from the widest relation consent allows."""
    current = [r for r in relations if r.partner_id == partner_id and r.current_on(today)]
    if not current:
        return CardRefused(Refusal.NO_RELATION)
    granted: list[tuple[Relation, UUID]] = []
    for relation in current:
        consent_id = _covering_consent(relation, consents, today)
        if consent_id is not None:
            granted.append((relation, consent_id))
    if not granted:
        return CardRefused(Refusal.NO_CONSENT)
    relation, consent_id = max(granted, key=lambda g: len(fields.get(g[0].kind, frozenset())))
    shown = fields.get(relation.kind, frozenset())
    if not shown:
        return CardRefused(Refusal.NO_FIELDS)
    return CardGrant(fields=shown, relation=relation.kind, consent_id=consent_id)


def name_only(grant: CardGrant | CardRefused) -> CardGrant | CardRefused:
    """The decision for a message that names the participant: the name alone, given only
    when the partner's card shows it."""
    if isinstance(grant, CardRefused):
        return grant
    if CardField.NAME not in grant.fields:
        return CardRefused(Refusal.NO_FIELDS)
    return CardGrant(
        fields=frozenset({CardField.NAME}), relation=grant.relation, consent_id=grant.consent_id
    )


class CardRefusedError(Forbidden):
    """No card for this partner (answered 403): the reason's code, then its words."""

    def __init__(self, refused: CardRefused) -> None:
        super().__init__(f"{refused.reason.value}: {refused.explanation}")
        self.refusal = refused.reason


def attends_intake(partner_ids: Iterable[str], *, since: date, intake_day: date) -> list[Relation]:
    """The relations of the partners attending the participant's intake: current from the
    registration up to and including the intake's day."""
    return [
        Relation(RelationKind.ATTENDS_INTAKE, partner_id, since, intake_day)
        for partner_id in dict.fromkeys(partner_ids)
    ]


@dataclass(frozen=True)
class ContactCard:
    """What a partner may see of a participant: only the granted fields are filled."""

    participant_ref: str
    relation: RelationKind
    consent_id: UUID
    fields: frozenset[CardField]
    name: str | None = None
    preferred_language: str | None = None
    phone: str | None = None
    address: str | None = None
    interpreter_needed: bool | None = None


def card(
    participant_ref: str,
    grant: CardGrant,
    personal: PersonalData,
    *,
    preferred_language: str,
    interpreter_needed: bool,
) -> ContactCard:
    """The card of ``grant``: the granted fields of the participant, the others empty."""
    shown = grant.fields
    address = f"{personal.street} {personal.house_number}, {personal.postal_code} {personal.city}"
    return ContactCard(
        participant_ref=participant_ref,
        relation=grant.relation,
        consent_id=grant.consent_id,
        fields=shown,
        name=f"{personal.given_names} {personal.family_name}" if CardField.NAME in shown else None,
        preferred_language=preferred_language if CardField.PREFERRED_LANGUAGE in shown else None,
        phone=personal.phone if CardField.PHONE in shown else None,
        address=address if CardField.ADDRESS in shown else None,
        interpreter_needed=interpreter_needed if CardField.INTERPRETER_NEEDED in shown else None,
    )
