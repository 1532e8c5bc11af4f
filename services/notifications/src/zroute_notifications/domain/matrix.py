"""The communication matrix (lesson L3): for each event type, who is told, how and when.

Plain data read from configuration and validated here, without I/O: a matrix that names
an event the contract does not know, a role that cannot be resolved for its event, or
leaves an escalation without a recipient is refused with every problem listed.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime
from zroute_contract.events.base import Event
from zroute_contract.events.codes import Channel, RecipientRole, RouteTask, Timing

from zroute_notifications.domain.participant import (
    PARTICIPANT,
    ParticipantTarget,
    participant_target,
    target_dict,
)

NOTIFICATIONS = "notifications"
DIGESTS = frozenset({Timing.DAILY_DIGEST, Timing.WEEKLY_DIGEST})


class MatrixError(ValueError):
    """The matrix cannot be used; ``problems`` lists each reason in plain words."""

    def __init__(self, problems: list[str], source: str = "communication matrix") -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source} refused ({len(problems)} problem(s)):\n{lines}")


@dataclass(frozen=True)
class Reminder:
    """Send ``days`` before the date in the event's field ``field``."""

    field: str
    days: int


@dataclass(frozen=True)
class Target:
    """One line of a rule: a role, its channels and the timing."""

    role: RecipientRole
    channels: tuple[Channel, ...]
    timing: Timing
    task: RouteTask | None = None
    reminder: Reminder | None = None


@dataclass(frozen=True)
class Rule:
    event_type: str
    targets: tuple[Target, ...]
    participant: tuple[ParticipantTarget, ...] = ()


@dataclass(frozen=True)
class Matrix:
    rules: Mapping[str, Rule]
    languages: tuple[str, ...]

    def targets_for(self, event_type: str) -> tuple[Target, ...]:
        rule = self.rules.get(event_type)
        return rule.targets if rule else ()

    def participant_targets_for(self, event_type: str) -> tuple[ParticipantTarget, ...]:
        """The ``participant`` lines of the event's rule (issue 18)."""
        rule = self.rules.get(event_type)
        return rule.participant if rule else ()

    def as_dict(self) -> dict[str, Any]:
        """The matrix in its configuration format."""
        return {
            "version": 1,
            "languages": list(self.languages),
            "rules": [
                {
                    "event": rule.event_type,
                    "recipients": [
                        *(_target_dict(t) for t in rule.targets),
                        *(target_dict(t) for t in rule.participant),
                    ],
                }
                for rule in self.rules.values()
            ],
        }


def _target_dict(target: Target) -> dict[str, Any]:
    out: dict[str, Any] = {
        "role": target.role.value,
        "channels": [c.value for c in target.channels],
        "timing": target.timing.value,
    }
    if target.task:
        out["task"] = target.task.value
    if target.reminder:
        out["before"] = {"field": target.reminder.field, "days": target.reminder.days}
    return out


def is_escalation(event_type: str) -> bool:
    """Escalations: a deadline passed (``*-escalated``) or the route is at risk."""
    name = event_type.split(".")[3]
    return name.endswith("-escalated") or name == "plan-at-risk"


def role_resolvable(role: RecipientRole, cls: type[Event]) -> bool:
    """Whether the read model can name a recipient of ``role`` for events of ``cls``."""
    fields = cls.model_fields
    about_participants = "participant_ref" in fields or "members" in fields
    if role in (RecipientRole.CONTACT_PERSON, RecipientRole.CASEWORKER):
        return about_participants
    if role in (RecipientRole.LEAD_PARTNER, RecipientRole.RESPONSIBLE_PARTNER):
        return "programme_id" in fields
    if role is RecipientRole.CARE_PARTNER:
        return cls.spec.name.startswith("referral-") and "partner_id" in fields
    if role is RecipientRole.JOB_COACH:
        return "participant_ref" in fields or "job_coach" in fields
    if role is RecipientRole.JOB_COACH_PARTNER:
        # Job-coach alerts name the coach and, as ``partner_id``, the coach's partner.
        return "job_coach" in fields and "partner_id" in fields
    if role is RecipientRole.EMPLOYER:
        return "participant_ref" in fields or "employer_id" in fields
    return role in (RecipientRole.OPERATOR, RecipientRole.SUBSCRIBER)


def _is_date_field(cls: type[Event], name: str) -> bool:
    info = cls.model_fields.get(name)
    if info is None:
        return False
    annotation = info.annotation
    options = (
        typing.get_args(annotation)
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union
        else (annotation,)
    )
    return any(
        o is AwareDatetime or (isinstance(o, type) and issubclass(o, date | datetime))
        for o in options
    )


def _enum(kind: type, value: Any, where: str, problems: list[str]) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)  # type: ignore[attr-defined]
        problems.append(f"{where}: unknown {kind.__name__} {value!r} (one of {allowed})")
        return None


def _channels(raw: Any, where: str, problems: list[str]) -> list[Channel]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: channels must be a non-empty list")
        return []
    return [c for c in (_enum(Channel, v, where, problems) for v in raw) if c]


def _combination_problems(
    role: RecipientRole,
    channels: list[Channel],
    timing: Timing,
    task: RouteTask | None,
    cls: type[Event],
    where: str,
) -> list[str]:
    """What is wrong with this role, channel, timing and task together for ``cls``."""
    found: list[str] = []
    if not role_resolvable(role, cls):
        found.append(
            f"{where}: role {role.value} cannot be resolved for {cls.spec.type}"
            " (the event names no participant, programme, referral or placement to find it by)"
        )
    if role is RecipientRole.RESPONSIBLE_PARTNER and task is None:
        found.append(f"{where}: role responsible_partner needs a task (a RouteTask)")
    if role is RecipientRole.SUBSCRIBER and channels != [Channel.WEBHOOK]:
        found.append(f"{where}: role subscriber is reached by webhook only")
    if Channel.WEBHOOK in channels and timing is not Timing.IMMEDIATE:
        found.append(f"{where}: a webhook carries single events; its timing must be immediate")
    if (
        cls.spec.addressed_by
        and Channel.WEBHOOK in channels
        and role is not RecipientRole.CARE_PARTNER
    ):
        found.append(
            f"{where}: {cls.spec.type} is addressed to one partner; a webhook to role"
            f" {role.value} would pass its details on"
        )
    return found


def _reminder(spec: Any, cls: type[Event], where: str, problems: list[str]) -> Reminder | None:
    if not isinstance(spec, dict) or not isinstance(spec.get("days"), int):
        problems.append(f"{where}: a reminder needs before: {{field, days}}")
    elif not _is_date_field(cls, spec.get("field", "")):
        problems.append(
            f"{where}: reminder field {spec.get('field')!r} is not a date of {cls.spec.type}"
        )
    elif spec["days"] < 0:
        problems.append(f"{where}: reminder days must not be negative")
    else:
        return Reminder(spec["field"], spec["days"])
    return None


def _target(raw: Any, cls: type[Event], where: str, problems: list[str]) -> Target | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: a recipient must be an object")
        return None
    before = len(problems)
    role = _enum(RecipientRole, raw.get("role"), where, problems)
    timing = _enum(Timing, raw.get("timing", "immediate"), where, problems)
    channels = _channels(raw.get("channels"), where, problems)
    task = _enum(RouteTask, raw["task"], where, problems) if "task" in raw else None
    if len(problems) > before or role is None or timing is None:
        return None
    problems.extend(_combination_problems(role, channels, timing, task, cls, where))
    reminder = None
    if timing is Timing.REMINDER:
        reminder = _reminder(raw.get("before"), cls, where, problems)
    return Target(role, tuple(dict.fromkeys(channels)), timing, task, reminder)


def _rule(
    index: int,
    item: Any,
    contract: Mapping[str, type[Event]],
    seen: Mapping[str, Rule],
    problems: list[str],
) -> tuple[Rule, type[Event]] | None:
    """Rule ``index`` of the matrix, or None (with its problems added) when it cannot stand."""
    event_type = item.get("event") if isinstance(item, dict) else None
    where = f"rule {index + 1} ({event_type})"
    cls = contract.get(event_type) if isinstance(event_type, str) else None
    if cls is None:
        problems.append(f"{where}: unknown event type (not in the contract)")
        return None
    if NOTIFICATIONS not in cls.spec.consumers:
        problems.append(f"{where}: the notifications service does not receive this event")
        return None
    if cls.spec.type in seen:
        problems.append(f"{where}: the event has a rule already")
        return None
    recipients = item.get("recipients")
    if not isinstance(recipients, list):
        problems.append(f"{where}: recipients must be a list")
        return None
    targets: list[Target] = []
    participant: list[ParticipantTarget] = []
    for n, raw in enumerate(recipients):
        at = f"{where} recipient {n + 1}"
        if isinstance(raw, dict) and raw.get("role") == PARTICIPANT:
            found = participant_target(raw, cls, at, problems)
            participant.extend([found] if found else [])
        elif (target := _target(raw, cls, at, problems)) is not None:
            targets.append(target)
    return Rule(cls.spec.type, tuple(targets), tuple(participant)), cls


def _template_problems(
    rule: Rule,
    cls: type[Event],
    index: int,
    languages: Iterable[str],
    templates: Mapping[str, Iterable[str]],
) -> list[str]:
    where = f"rule {index + 1} ({rule.event_type})"
    if not any(c in (Channel.EMAIL, Channel.INBOX) for t in rule.targets for c in t.channels):
        return []
    return [
        f"{where}: no {language} template for {cls.spec.name}"
        for language in languages
        if cls.spec.name not in set(templates.get(language, ()))
    ]


def parse_matrix(
    raw: Any,
    *,
    contract: Mapping[str, type[Event]],
    templates: Mapping[str, Iterable[str]],
) -> Matrix:
    """Validate ``raw`` (the parsed JSON) against the contract and the templates.

    ``templates`` maps a language to the event names it has a template for.
    """
    problems: list[str] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise MatrixError(["the matrix must be an object with a list of rules"])
    languages = tuple(raw.get("languages") or ("nl", "en"))
    for language in languages:
        if language not in templates:
            problems.append(f"language {language!r} has no templates")
    rules: dict[str, Rule] = {}
    for index, item in enumerate(raw["rules"]):
        parsed = _rule(index, item, contract, rules, problems)
        if parsed is None:
            continue
        rule, cls = parsed
        rules[rule.event_type] = rule
        problems.extend(_template_problems(rule, cls, index, languages, templates))
    for event_type, cls in contract.items():
        escalation = NOTIFICATIONS in cls.spec.consumers and is_escalation(event_type)
        if escalation and not (rules.get(event_type) and rules[event_type].targets):
            problems.append(f"escalation {event_type} has no recipient")
    if problems:
        raise MatrixError(problems)
    return Matrix(rules=rules, languages=languages)
