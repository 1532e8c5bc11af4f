"""The PIP decision letter's content (``zroute_letters.decision.DecisionContent``), built from
one established version, the term, the participant's decrypted name and address, their
language, the contact person and the municipality's letter settings.

The content holds personal data: it is rendered and answered, never logged (its ``repr``
leaves the personal fields out).
"""

from __future__ import annotations

from dataclasses import dataclass

from zroute_letters.decision import DecisionContent

from zroute_intake.domain.personal import PersonalData
from zroute_intake.domain.pip import PipVersion
from zroute_intake.domain.term import Term
from zroute_intake.domain.values import ContactAssignment


@dataclass(frozen=True)
class LetterSender:
    """What a municipality's decision letters name: the college, where an objection goes,
    and the phone number a participant calls (configuration, ``intake_letter_senders``)."""

    name: str
    objection_address: str
    phone: str


def decision_content(
    *,
    ref: str,
    version: PipVersion,
    term: Term,
    personal: PersonalData,
    language: str,
    contact: ContactAssignment | None,
    sender: LetterSender,
) -> DecisionContent:
    """The letter of ``version``; the term is the case's as it stands (its start is the
    first version's, W 11(3))."""
    content = version.content
    # Intake knows its staff by reference and role only (no names): the letter names the
    # contact person that way, with the municipality's number to call.
    contact_name = (
        f"{contact.contact.staff_ref} ({contact.contact.role.value})" if contact else sender.name
    )
    return DecisionContent(
        language=language,
        municipality=sender.name,
        reference=f"PIP {ref} v{version.number}",
        version=version.number,
        dated=version.dated,
        route=content.route.value,
        route_reason=content.route_reason.value,
        support=content.support,
        pvt_hours_per_week=content.pvt_hours_per_week,
        map_hours_per_week=content.map_hours_per_week,
        route_hours_per_week=content.route_hours_per_week,
        progress_meetings=content.progress_meetings,
        term_starts=term.start,
        term_ends=term.end,
        addressee=f"{personal.given_names} {personal.family_name}",
        address_lines=(
            f"{personal.street} {personal.house_number}",
            f"{personal.postal_code} {personal.city}",
        ),
        contact_name=contact_name,
        contact_phone=sender.phone,
        objection_address=sender.objection_address,
        early_childhood_agreements=content.early_childhood_agreements,
        participatiewet_decisions=content.participatiewet_decisions,
        exam_wish=tuple(part.value for part in content.exam_wish),
        amendment_reason=version.reason.value if version.reason else None,
    )
