"""What support knows of a participant: programme, municipality, contact person and the
care signals intake recorded. Nothing personal: the reference, codes and dates only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from zroute_contract.events.codes import CareCategory, NeedSeverity, Urgency
from zroute_contract.events.parts import ContactPersonRef


@dataclass(frozen=True)
class Participant:
    """A participant as support routes work for them."""

    participant_ref: str
    programme_id: str
    municipality: str
    contact: ContactPersonRef | None
    withdrawn_on: date | None
    # The participant's own lead partner (issue 17); None: the programme's agreement's.
    lead_partner_id: str | None = None
    # The language codes of registration (issue 18 item 4): a referral's intake asks an
    # interpreter in this language when conversations need one. None: not known here.
    preferred_language: str | None = None
    interpreter_needed: bool | None = None

    @property
    def active(self) -> bool:
        """Still on the route (not withdrawn)."""
        return self.withdrawn_on is None


@dataclass(frozen=True)
class CareSignal:
    """A care need intake recorded, and the consent that may cover referring it."""

    signal_id: UUID
    category: CareCategory
    severity: NeedSeverity
    urgency: Urgency
    consent_id: UUID | None
