"""Support's repositories in memory, for the fast handler tier: each behaves like its real
counterpart (adapters/*_repo.py) where a handler can tell, on top of the shared
:class:`tests.fakes.FakeRepository` (which remembers what it handed out, so the fake unit
of work collects the events of those aggregates at commit)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from zroute_contract.events.codes import (
    CareCategory,
    Channel,
    PartnerCapability,
)
from zroute_support.adapters.waiting_repo import WaitingEntry
from zroute_support.domain import referral_states
from zroute_support.domain.agreements import Agreement
from zroute_support.domain.consents import Consent
from zroute_support.domain.employers import Employer, EmployerContact
from zroute_support.domain.participants import CareSignal, Participant
from zroute_support.domain.partners import Partner
from zroute_support.domain.placements import Placement, PlacementStatus
from zroute_support.domain.preconditions import Precondition
from zroute_support.domain.referral_context import Message, ReferralContext
from zroute_support.domain.referrals import Referral

from tests.fakes import FakeRepository, FakeUnitOfWork, FixedClock


class FakeParticipants(FakeRepository[Participant]):
    def __init__(
        self,
        *participants: Participant,
        consents: Iterable[Consent] = (),
        signals: Iterable[CareSignal] = (),
    ) -> None:
        super().__init__(*participants, key="participant_ref")
        self.consent_rows = {c.consent_id: c for c in consents}
        self.signals = list(signals)

    async def consents(self, ref: str) -> list[Consent]:
        return [c for c in self.consent_rows.values() if c.participant_ref == ref]

    async def current_signals(self, ref: str) -> list[CareSignal]:
        return list(self.signals)

    async def withdraw_consent(self, consent_id: UUID, on: date) -> bool:
        consent = self.consent_rows.get(consent_id)
        if consent is None:
            return False
        self.consent_rows[consent_id] = replace(consent, withdrawn_on=on)
        return True

    async def scheduled_days(self, ref: str) -> tuple[Any, ...]:
        return ()


class FakePartners(FakeRepository[Partner]):
    def __init__(self, *partners: Partner) -> None:
        super().__init__(*partners, key="partner_id")

    async def lock_capacity(self, capability: PartnerCapability) -> None:
        return None  # one handler at a time here: nothing to serialise

    async def all(self) -> list[Partner]:
        return sorted(self.rows.values(), key=lambda p: p.partner_id)  # type: ignore[no-any-return]

    async def in_registration_order(self) -> list[Partner]:
        return list(self.rows.values())  # the order they were handed in


class FakeAgreements(FakeRepository[Agreement]):
    def __init__(self, *agreements: Agreement) -> None:
        super().__init__(*agreements, key="agreement_id")

    async def for_programme(self, programme_id: str, *, municipality: str | None = None) -> list:
        found = [
            a
            for a in self.rows.values()
            if a.terms.programme_id == programme_id and municipality in (None, a.terms.municipality)
        ]
        return sorted(found, key=lambda a: a.version)


class FakeReferrals(FakeRepository[Referral]):
    def __init__(self, *referrals: Referral) -> None:
        super().__init__(*referrals, key="referral_id")
        self.contexts: dict[UUID, ReferralContext] = {}
        self.threads: dict[UUID, list[Message]] = {}

    async def save_context(self, referral_id: UUID, context: ReferralContext) -> None:
        self.contexts.setdefault(referral_id, context)

    async def context(self, referral_id: UUID) -> ReferralContext | None:
        return self.contexts.get(referral_id)

    async def add_message(self, message: Message) -> None:
        self.threads.setdefault(message.referral_id, []).append(message)

    async def messages(self, referral_id: UUID) -> list[Message]:
        return list(self.threads.get(referral_id, []))

    async def save(self, referral: Referral, now: datetime | None = None) -> None:  # type: ignore[override]
        referral.version += 1
        await super().save(referral)

    async def open_load(self, category: CareCategory) -> dict[str, int]:
        load: dict[str, int] = {}
        for r in self.rows.values():
            if r.category is category and r.status in referral_states.OPEN:
                load[r.partner_id] = load.get(r.partner_id, 0) + 1
        return load

    async def open_for(self, ref: str, *, consent_id: UUID | None = None) -> list[Referral]:
        return [
            self._seen_now(r)
            for r in self.rows.values()
            if r.participant_ref == ref
            and r.status in referral_states.OPEN
            and consent_id in (None, r.consent_id)
        ]

    async def referred_signals(self, ref: str) -> set[UUID]:
        return {
            r.signal_id
            for r in self.rows.values()
            if r.participant_ref == ref and r.signal_id and r.status.value != "cancelled"
        }

    async def chain_partners(self, referral: Referral) -> set[str]:
        partners, current = set(), referral
        while current is not None:
            partners.add(current.partner_id)
            current = self.rows.get(current.rerouted_from) if current.rerouted_from else None
        return partners


class FakePlacements(FakeRepository[Placement]):
    def __init__(self, *placements: Placement) -> None:
        super().__init__(*placements, key="placement_request_id")
        self.check_ins: list[tuple[Any, ...]] = []
        self.steps: list[tuple[Any, ...]] = []

    async def save(self, placement: Placement, now: datetime | None = None) -> None:  # type: ignore[override]
        placement.version += 1
        await super().save(placement)

    async def list(self, **_: Any) -> list[Placement]:
        return [self._seen_now(p) for p in self.rows.values()]

    async def active_for(self, ref: str) -> list[Placement]:
        ended = (PlacementStatus.CANCELLED, PlacementStatus.ENDED)
        return [
            self._seen_now(p)
            for p in self.rows.values()
            if p.participant_ref == ref and p.status not in ended
        ]

    async def load(self) -> dict[str, int]:
        return {}

    async def add_check_in(self, *args: Any) -> None:
        self.check_ins.append(args)

    async def record_step(self, *args: Any) -> None:
        self.steps.append(args)


KNOWN_EMPLOYERS = ("bakery-west", "bakery-de-ster", "bakery-oost")
"""Employers the fake registry holds unless told otherwise."""


class FakeEmployers:
    """The employer registry: registered employers by id."""

    def __init__(self, *ids: str) -> None:
        self.rows: dict[str, Employer] = {}
        self.seen: list[Any] = []
        for employer_id in ids or KNOWN_EMPLOYERS:
            self.rows[employer_id] = Employer(
                employer_id,
                employer_id.replace("-", " ").title(),
                ("GM0363",),
                (EmployerContact(Channel.EMAIL, f"desk@{employer_id}.example"),),
                "staff-test",
                datetime(2027, 1, 4, 9),
            )

    async def get(self, employer_id: str) -> Employer | None:
        return self.rows.get(employer_id)

    async def registered(self, **_: Any) -> list[Employer]:
        return sorted(self.rows.values(), key=lambda e: e.name)

    async def save(self, employer: Employer, now: datetime) -> None:
        self.rows[employer.employer_id] = employer


class FakePreconditions(FakeRepository[Precondition]):
    def __init__(self, *preconditions: Precondition) -> None:
        super().__init__(*preconditions, key="precondition_id")

    async def list(self, **_: Any) -> list[Precondition]:
        return [self._seen_now(p) for p in self.rows.values()]

    async def for_participant(self, ref: str) -> list[Precondition]:
        return [self._seen_now(p) for p in self.rows.values() if p.participant_ref == ref]

    async def load(self, code: str) -> dict[str, int]:
        return {}


class FakeInterpreters(FakeRepository[Any]):
    """Interpreter requests by appointment (none unless a test adds one)."""

    def __init__(self) -> None:
        super().__init__(key="request_id")

    async def for_appointment(self, ref: str, kind: Any, key: str) -> Any:
        for r in self.rows.values():
            a = r.appointment
            if a.participant_ref == ref and a.kind == kind and a.key == key:
                return self._seen_now(r)
        return None

    async def for_participant(self, ref: str) -> list[Any]:
        return [
            self._seen_now(r) for r in self.rows.values() if r.appointment.participant_ref == ref
        ]

    async def save(self, request: Any, now: datetime) -> None:  # type: ignore[override]
        self.rows[request.request_id] = self._seen_now(request)


class FakeWaiting:
    """The waiting list: entries by id, resolved ones dropped."""

    def __init__(self) -> None:
        self.entries: dict[UUID, WaitingEntry] = {}
        self.seen: list[Any] = []

    async def add(self, *, now: datetime, **fields: Any) -> UUID:
        entry_id = uuid4()
        self.entries[entry_id] = WaitingEntry(entry_id=entry_id, since=now, **fields)
        return entry_id

    async def waiting(self, **_: Any) -> list[WaitingEntry]:
        return sorted(self.entries.values(), key=lambda e: (e.since, str(e.entry_id)))

    async def get(self, entry_id: UUID) -> WaitingEntry | None:
        return self.entries.get(entry_id)

    async def set_reason(self, entry_id: UUID, reason: str) -> None:
        self.entries[entry_id] = replace(self.entries[entry_id], reason=reason)

    async def resolve(self, entry_id: UUID, now: datetime) -> None:
        self.entries.pop(entry_id, None)

    async def resolve_for(self, ref: str, now: datetime, kind: str | None = None) -> None:
        for entry in list(self.entries.values()):
            if entry.participant_ref == ref and kind in (None, entry.kind):
                self.entries.pop(entry.entry_id)


class FakeAuditTrail(FakeRepository[Any]):
    """Overrides or reassignments: written once, read per participant."""

    def __init__(self) -> None:
        super().__init__(key="_id")
        self.written: list[Any] = []

    async def add(self, record: Any) -> None:  # type: ignore[override]
        self._seen_now(record)
        self.written.append(record)

    async def for_participant(self, ref: str) -> list[Any]:
        return [r for r in self.written if r.participant_ref == ref]


class FakeTimers:
    """Timers scheduled and cancelled, as ``(kind, key)``."""

    def __init__(self) -> None:
        self.scheduled: dict[tuple[str, str], datetime] = {}
        self.cancelled: list[tuple[str, str]] = []
        self.seen: list[Any] = []

    async def schedule(self, *, kind: str, key: str, due_at: datetime) -> None:
        self.scheduled[(kind, key)] = due_at

    async def cancel(self, *, kind: str, key: str) -> bool:
        self.cancelled.append((kind, key))
        return self.scheduled.pop((kind, key), None) is not None


def unit_of_work(
    *,
    participants: FakeParticipants,
    partners: FakePartners,
    agreements: FakeAgreements,
    referrals: FakeReferrals | None = None,
    placements: FakePlacements | None = None,
    clock: FixedClock | None = None,
) -> FakeUnitOfWork:
    """A fake unit of work with every repository support's handlers reach."""
    return FakeUnitOfWork(
        clock,
        participants=participants,
        partners=partners,
        agreements=agreements,
        referrals=referrals or FakeReferrals(),
        placements=placements or FakePlacements(),
        employers=FakeEmployers(),
        preconditions=FakePreconditions(),
        waiting=FakeWaiting(),
        timers=FakeTimers(),
        overrides=FakeAuditTrail(),
        reassignments=FakeAuditTrail(),
        interpreters=FakeInterpreters(),
    )


@dataclass
class FakeContext:
    """What a bus handler gets besides the event, as far as support's handlers look."""

    uow: FakeUnitOfWork
