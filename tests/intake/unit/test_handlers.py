"""The fast handler tier: intake's handlers on a fake unit of work and fake repositories,
no broker and no database. Each command's events and refusals; the same rules are proven
for real in tests/intake/integration."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from zroute_contract.events.codes import ConsentPurpose, Route, RouteReason, WithdrawalReason
from zroute_contract.events.intake import (
    CareSignalsRecorded,
    ConsentRecorded,
    ConsentWithdrawn,
    ContactPersonAssigned,
    IntakeCompleted,
    IntakeScheduled,
    ParticipantRegistered,
    ParticipantWithdrawn,
    PipEstablished,
)
from zroute_contract.events.planning import RouteCompleted
from zroute_intake.domain import commands
from zroute_intake.domain import pip_commands as pc
from zroute_intake.domain.consents import Consent
from zroute_intake.domain.errors import (
    Conflict,
    DuplicateBsn,
    Forbidden,
    InvalidRequest,
    NotFound,
    StaleVersion,
)
from zroute_intake.domain.pip import PipContent
from zroute_intake.service_layer.handlers import consents, intakes, participants, pip
from zroute_runtime.clock import local_moment
from zroute_runtime.messagebus import Unprocessable

from tests.fakes import FixedClock
from tests.intake.unit import factories as f
from tests.intake.unit.fakes import deps, unit_of_work

DEPS = deps()
MUNICIPALITY = "GM0363"
NOW = datetime(2027, 1, 20, 9, tzinfo=UTC)


def _clock() -> FixedClock:
    return FixedClock(NOW)


def _register(**changes) -> commands.RegisterParticipant:
    values = {
        "programme_id": "programme-demo",
        "municipality": MUNICIPALITY,
        "personal": f.personal(),
        "preferred_language": "ar",
        "interpreter_needed": False,
        "contact": f.contact(),
        "scope": MUNICIPALITY,
    } | changes
    return commands.RegisterParticipant(**values)


def _types(events) -> list[type]:
    return [type(e) for e in events]


# -- register -------------------------------------------------------------------------


async def test_register_adds_the_participant_and_writes_registered_and_contact_events():
    uow = unit_of_work(clock=_clock())
    participant = await participants.register_participant(_register(), uow, DEPS)
    await uow.commit()
    assert _types(uow.events) == [ParticipantRegistered, ContactPersonAssigned]
    registered = uow.events[0]
    assert registered.participant_ref == participant.ref
    assert registered.registered_on == date(2027, 1, 20)
    assert uow.participants.rows[participant.ref] is participant and participant.version == 1
    assert "Amina" not in registered.model_dump_json()  # the reference, never the name


async def test_register_refuses_another_municipality_an_unknown_programme_and_a_known_bsn():
    known = f.registered()
    uow = unit_of_work(known, clock=_clock())
    with pytest.raises(Forbidden):
        await participants.register_participant(_register(scope="GM0599"), uow, DEPS)
    with pytest.raises(InvalidRequest, match="unknown programme"):
        await participants.register_participant(_register(programme_id="other"), uow, DEPS)
    with pytest.raises(DuplicateBsn) as duplicate:
        await participants.register_participant(_register(personal=known.personal), uow, DEPS)
    assert duplicate.value.existing_ref == known.ref
    await uow.commit()
    assert uow.events == [] and list(uow.participants.rows) == [known.ref]


# -- the intake outcome -----------------------------------------------------------------


def _scheduled():
    participant = f.registered()
    participant.schedule_intake(f.appointment(interpreter=f.booking()), f.NOW)
    participant.events.clear()
    return participant


def _outcome_cmd(participant, **changes) -> commands.CompleteIntake:
    values = {
        "ref": participant.ref,
        "expected_version": participant.version,
        "scope": MUNICIPALITY,
        "outcome": f.outcome(),
        "by": "caseworker-anna",
    } | changes
    return commands.CompleteIntake(**values)


async def test_the_outcome_completes_the_intake_with_the_care_signals_addressed():
    participant = _scheduled()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW + timedelta(days=8)))
    await intakes.complete_intake(_outcome_cmd(participant), uow, DEPS)
    await uow.commit()
    assert _types(uow.events) == [IntakeCompleted, CareSignalsRecorded]
    assert uow.events[1].partner_id == "care-coordinator"
    assert participant.version == 2 and uow.participants.saved == [participant]


async def test_the_outcome_is_refused_stale_unknown_elsewhere_and_before_the_intake():
    participant = _scheduled()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW + timedelta(days=8)))
    with pytest.raises(StaleVersion):
        await intakes.complete_intake(_outcome_cmd(participant, expected_version=7), uow, DEPS)
    with pytest.raises(NotFound):
        await intakes.complete_intake(_outcome_cmd(participant, ref="zr-" + "9" * 32), uow, DEPS)
    with pytest.raises(Forbidden):
        await intakes.complete_intake(_outcome_cmd(participant, scope="GM0599"), uow, DEPS)
    early = unit_of_work(participant, clock=FixedClock(f.NOW))
    with pytest.raises(Conflict):
        await intakes.complete_intake(_outcome_cmd(participant), early, DEPS)
    await uow.commit()
    await early.commit()
    assert uow.events == [] and early.events == [] and participant.version == 1


async def test_scheduling_the_intake_writes_intake_scheduled():
    participant = f.registered()
    participant.events.clear()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    cmd = commands.ScheduleIntake(
        ref=participant.ref,
        expected_version=None,
        scope=None,
        appointment=f.appointment(interpreter=f.booking()),
    )
    await intakes.schedule_intake(cmd, uow, DEPS)
    await uow.commit()
    assert _types(uow.events) == [IntakeScheduled]


# -- consent ----------------------------------------------------------------------------


def _sharing(partner: str = "taalschool") -> Consent:
    return Consent(uuid4(), ConsentPurpose.PARTNER_SHARING, f.TODAY, partner_id=partner)


async def test_a_consent_is_recorded_and_withdrawn_with_their_events():
    participant = f.registered()
    participant.events.clear()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    consent = _sharing()
    record = commands.RecordConsent(
        ref=participant.ref, expected_version=1, scope=MUNICIPALITY, consent=consent
    )
    await consents.record_consent(record, uow, DEPS)
    withdraw = commands.WithdrawConsent(
        ref=participant.ref, expected_version=2, scope=MUNICIPALITY, consent_id=consent.consent_id
    )
    await consents.withdraw_consent(withdraw, uow, DEPS)
    await uow.commit()
    assert _types(uow.events) == [ConsentRecorded, ConsentWithdrawn]
    assert uow.events[0].partner_id == "taalschool"
    assert participant.consents[0].withdrawn_on == f.TODAY


async def test_withdrawing_an_unknown_consent_is_refused_without_events():
    participant = f.registered()
    participant.events.clear()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    cmd = commands.WithdrawConsent(
        ref=participant.ref, expected_version=None, scope=None, consent_id=uuid4()
    )
    with pytest.raises(NotFound):
        await consents.withdraw_consent(cmd, uow, DEPS)
    await uow.commit()
    assert uow.events == []


# -- withdrawal, the route's end and erasure ---------------------------------------------


async def test_a_withdrawal_writes_its_event_and_schedules_the_erasure_at_local_midnight():
    participant = f.registered()
    participant.events.clear()
    uow = unit_of_work(participant, clock=FixedClock(f.NOW))
    effective = f.TODAY + timedelta(days=3)
    cmd = commands.WithdrawParticipant(
        ref=participant.ref,
        expected_version=1,
        scope=MUNICIPALITY,
        reason=WithdrawalReason.MOVED,
        effective_on=effective,
    )
    await participants.withdraw_participant(cmd, uow, DEPS)
    await uow.commit()
    assert _types(uow.events) == [ParticipantWithdrawn]
    due, payload = uow.timers.scheduled[(participants.ERASURE_TIMER, participant.ref)]
    assert due == local_moment(effective + timedelta(days=30))
    assert payload == {"participant_ref": participant.ref}


async def test_route_completed_for_an_unknown_participant_is_unprocessable():
    uow = unit_of_work(clock=_clock())
    # only the fields the handler reads: the hours and targets do not matter here
    event = RouteCompleted.model_construct(participant_ref="zr-" + "8" * 32, completed_on=f.TODAY)
    with pytest.raises(Unprocessable):
        await participants.on_route_completed(event, _Context(uow), DEPS)


class _Context:
    def __init__(self, uow) -> None:
        self.uow = uow


# -- the PIP -------------------------------------------------------------------------------

CONTENT = PipContent(
    route=Route.Z_ROUTE,
    route_reason=RouteReason.COMBINED,
    support=("social_guidance",),
    pvt_hours_per_week=2,
    map_hours_per_week=1,
    route_hours_per_week=12,
    progress_meetings=4,
)


async def test_the_pip_is_prepared_then_established_with_pip_established():
    participant = f.completed()
    participant.events.clear()
    later = f.NOW + timedelta(days=9)
    uow = unit_of_work(participant, clock=FixedClock(later))
    base = {"ref": participant.ref, "scope": MUNICIPALITY, "by": "caseworker-anna"}
    await pip.prepare_pip(pc.PreparePip(**base, expected_version=None, content=CONTENT), uow, DEPS)
    case = await pip.establish_pip(
        pc.EstablishPip(**base, expected_version=1, dated=later.date()), uow, DEPS
    )
    await uow.commit()
    assert _types(uow.events) == [PipEstablished]
    assert uow.events[0].version == 1 and case.version == 2
    assert case.term() is not None and case.term().start == later.date() + timedelta(days=1)


async def test_the_pip_is_refused_before_the_intake_and_from_a_stale_version():
    registered = f.registered()
    registered.events.clear()
    uow = unit_of_work(registered, clock=FixedClock(f.NOW))
    base = {"ref": registered.ref, "scope": None, "by": "caseworker-anna"}
    with pytest.raises(Conflict, match="complete the intake first"):
        await pip.prepare_pip(
            pc.PreparePip(**base, expected_version=None, content=CONTENT), uow, DEPS
        )
    done = f.completed()
    done.events.clear()
    later = unit_of_work(done, clock=FixedClock(f.NOW + timedelta(days=9)))
    stale = pc.EstablishPip(
        ref=done.ref, scope=None, by="caseworker-anna", expected_version=5, dated=f.TODAY
    )
    with pytest.raises(StaleVersion):
        await pip.establish_pip(stale, later, DEPS)
    await uow.commit()
    await later.commit()
    assert later.events == [] and uow.events == []
