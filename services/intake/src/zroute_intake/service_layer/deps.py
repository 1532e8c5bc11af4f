"""What the handlers need besides the message and the unit of work, chosen in bootstrap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from zroute_runtime.clock import local_moment

from zroute_intake.adapters.protection import PersonalDataProtector
from zroute_intake.domain.contact_card import DEFAULT_FIELDS, CardField, RelationKind
from zroute_intake.domain.errors import Conflict, InvalidRequest
from zroute_intake.domain.outcome import Outcome
from zroute_intake.domain.pip_deadline import DeadlineRules
from zroute_intake.domain.report import HoursNorm
from zroute_intake.service_layer.pip_letter import LetterSender


@dataclass(frozen=True)
class IntakeDependencies:
    """Keys, retention period and programme configuration of one running service."""

    protector: PersonalDataProtector
    retention: timedelta
    care_coordinators: Mapping[str, str]
    pip_deadline: DeadlineRules = field(default_factory=DeadlineRules)
    """The weeks of B 5.3: ten to establish the PIP, two after awaited information."""
    card_fields: Mapping[RelationKind, frozenset[CardField]] = field(
        default_factory=lambda: dict(DEFAULT_FIELDS)
    )
    """Which fields of the contact card each relation shows (configuration)."""
    re_enrolment_window: timedelta = timedelta(days=30)
    """How long after its recording a withdrawal may be revoked (a mistake: until erasure)."""
    letter_senders: Mapping[str, LetterSender] = field(default_factory=dict)
    """Per municipality code, what its decision letters name (configuration)."""
    hours_norm: HoursNorm = field(default_factory=HoursNorm)
    """The report's default norm (B 3.14): 800 course and 800 participation hours."""
    precondition_kinds: tuple[str, ...] = ()
    """The configured precondition kinds besides childcare and transport (issue 17)."""
    move_sealer: PersonalDataProtector | None = None
    """Seals and opens a move's dossier with the move key every intake service shares
    (``ZROUTE_INTAKE_MOVE_KEY``); None: this service's own key (one service only)."""
    core_retention: timedelta = timedelta(days=18262)
    """How long after the obligation ends the core data is kept (B 9.9: at most 50 years)."""

    def check_preconditions(self, outcome: Outcome) -> None:
        """Refuse an outcome naming a precondition kind that is not configured."""
        problems = outcome.precondition_problems(self.precondition_kinds)
        if problems:
            raise InvalidRequest("; ".join(problems))

    def care_partner_for(self, programme_id: str) -> str:
        """The partner that receives the programme's care signals."""
        try:
            return self.care_coordinators[programme_id]
        except KeyError:
            known = ", ".join(sorted(self.care_coordinators)) or "none"
            raise InvalidRequest(
                f"programme_id: unknown programme; this service runs: {known}"
            ) from None

    def letter_sender(self, municipality: str) -> LetterSender:
        """What ``municipality``'s decision letters name; Conflict when not configured."""
        try:
            return self.letter_senders[municipality]
        except KeyError:
            raise Conflict(
                f"no letter settings for municipality {municipality}: set "
                "ZROUTE_INTAKE_LETTER_SENDERS (the objection address and phone)"
            ) from None

    def core_deletion_due(self, obligation_ended_on: date) -> datetime:
        """When the core data is deleted: local midnight, the core retention period after
        the obligation ended."""
        return local_moment(obligation_ended_on + self.core_retention)

    def erasure_due(self, route_ended_on: date) -> datetime:
        """When personal data is erased: local midnight, the retention period after the
        route ended."""
        return local_moment(route_ended_on + self.retention)
