"""Which steps each consumed event type runs: the matrix's steps only for the types the
matrix names (decided once per type at start, issue 20), and never at the cost of a
message a rule asks for."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from typing import Any

from zroute_contract.envelope import build_event
from zroute_contract.events import planning
from zroute_contract.events.base import Event
from zroute_contract.types import new_participant_ref
from zroute_notifications.bootstrap import AFTER, EXTRA, SERVICE, build_deps, handlers
from zroute_notifications.domain.matrix import Matrix, Rule
from zroute_notifications.service_layer.handlers import messages, participant, received
from zroute_notifications.settings import Settings
from zroute_runtime.messagebus import HandlerContext

from tests.notifications import world
from tests.notifications.unit.fakes import unit_of_work

DEPS = build_deps(Settings())


def _steps(registry: dict[type[Event], list[Any]], cls: type[Event]) -> list[Any]:
    return [step.func for step in registry[cls]]


def test_every_type_a_matrix_rule_names_plans_its_messages_and_tells_the_participant() -> None:
    registry = handlers(DEPS)
    assert DEPS.matrix.rules, "the packaged matrix has rules"
    for cls in registry:
        steps = _steps(registry, cls)
        rule = DEPS.matrix.rules.get(cls.spec.type)
        assert (messages.plan_messages in steps) == bool(rule and rule.targets), cls
        told = participant.tell_participant in steps
        assert told == bool(rule and rule.participant), cls
    named = [t for t, r in DEPS.matrix.rules.items() if r.targets]
    assert named and all(
        messages.plan_messages in _steps(registry, cls)
        for cls in registry
        if cls.spec.type in named
    )


def test_the_steps_keep_their_order() -> None:
    """Kept and read model first, the event's own, the messages, what follows from them,
    the participant's last: as before the matrix's steps could be left out."""
    registry = handlers(DEPS)
    for cls, hs in registry.items():
        steps = [step.func for step in hs]
        rule = DEPS.matrix.rules.get(cls.spec.type)
        expected = [
            received.record,
            *EXTRA.get(cls, ()),
            *([messages.plan_messages] if rule and rule.targets else []),
            *AFTER.get(cls, ()),
            *([participant.tell_participant] if rule and rule.participant else []),
        ]
        assert steps == expected, cls


def test_attendance_lines_skip_the_matrix_steps_unless_a_rule_names_them() -> None:
    """The packaged matrix names no attendance line: it is kept and fed to the read model
    only. A matrix that names it gets its messages planned again."""
    cls = planning.AttendanceRecorded
    assert SERVICE in cls.spec.consumers
    assert _steps(handlers(DEPS), cls) == [received.record]

    some_rule = next(r for r in DEPS.matrix.rules.values() if r.targets and r.participant)
    rules = dict(DEPS.matrix.rules)
    rules[cls.spec.type] = Rule(cls.spec.type, some_rule.targets, some_rule.participant)
    deps = dataclasses.replace(DEPS, matrix=Matrix(rules, DEPS.matrix.languages))
    assert _steps(handlers(deps), cls) == [
        received.record,
        messages.plan_messages,
        participant.tell_participant,
    ]


async def test_a_skipped_step_would_have_done_nothing() -> None:
    """What the shortcut leaves out: for a type no rule names, planning finds no target
    (nothing written, nothing scheduled) and the participant's step returns at once."""
    ref = new_participant_ref()
    event = world.event(
        planning.AttendanceRecorded,
        ref,
        session_id=uuid.uuid4(),
        session_on=date(2027, 1, 4),
        kind="language",
        teaching_form="classroom",
        status="present",
        hours=3,
    )
    assert DEPS.matrix.targets_for(event.spec.type) == ()
    assert DEPS.matrix.participant_targets_for(event.spec.type) == ()
    uow = unit_of_work()
    envelope = build_event(
        event, source=world.SOURCE, sequence=1, correlation_id="c-steps", subject=ref
    )
    ctx = HandlerContext(envelope=envelope, routing_key=event.routing_key(), uow=uow)
    await messages.plan_messages(event, ctx, deps=DEPS)
    await participant.tell_participant(event, ctx, deps=DEPS)
    assert uow.notifications.rows == {} and uow.notifications.digest == []
    assert uow.timers.scheduled == []
