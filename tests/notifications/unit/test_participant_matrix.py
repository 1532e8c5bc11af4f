"""The participant as a recipient kind of the matrix (issue 18): its lines are validated
at load, and every message kind they name has a text in each of the 8 catalogues."""

from __future__ import annotations

import copy
import json

import pytest
from zroute_contract import event_types
from zroute_letters.catalogue import LANGUAGES, Catalogues
from zroute_notifications.adapters.rendering import Templates
from zroute_notifications.domain.matrix import MatrixError, parse_matrix
from zroute_notifications.domain.participant import EMAIL, LETTER, PAGE
from zroute_notifications.settings import DEFAULT_MATRIX, DEFAULT_TEMPLATES

TEMPLATES = Templates(DEFAULT_TEMPLATES).event_names()
SHIPPED = json.loads(DEFAULT_MATRIX.read_text())
PREFIX = "nl.zroute."


def parse(raw):
    return parse_matrix(raw, contract=event_types(), templates=TEMPLATES)


def with_participant(event: str, line: dict) -> dict:
    raw = copy.deepcopy(SHIPPED)
    for rule in raw["rules"]:
        if rule["event"] == event:
            rule["recipients"] = [r for r in rule["recipients"] if r["role"] != "participant"]
            rule["recipients"].append({"role": "participant", **line})
    return raw


def problems(raw) -> list[str]:
    with pytest.raises(MatrixError) as caught:
        parse(raw)
    return caught.value.problems


def test_the_shipped_matrix_tells_the_participant_of_each_event_that_exists_today():
    matrix = parse(SHIPPED)
    kinds = {
        event.removeprefix(PREFIX): [t.kind.value for t in rule.participant]
        for event, rule in matrix.rules.items()
        if rule.participant
    }
    assert kinds == {
        "intake.intake-scheduled.v1": ["intake_appointment"],
        "intake.intake-cancelled.v1": ["intake_cancelled"],
        "intake.pip-established.v1": ["pip_established"],
        "intake.progress-meeting-scheduled.v1": ["progress_meeting"],
        "planning.plan-activated.v1": ["plan_start"],
        "planning.plan-start-scheduled.v1": ["plan_start"],
        "planning.schedule-published.v1": ["group_times"],
        "planning.session-cancelled.v1": ["session_cancelled"],
        "planning.session-moved.v1": ["session_moved"],
        "support.referral-accepted.v1": ["referral_accepted"],
    }
    start = matrix.participant_targets_for(PREFIX + "planning.schedule-published.v1")
    assert start[0].channels == (LETTER, PAGE, EMAIL)
    # Every participant line also e-mails, where intake holds an address (issue 18).
    assert all(EMAIL in t.channels for rule in matrix.rules.values() for t in rule.participant)


def test_every_participant_message_kind_has_a_text_in_each_of_the_8_languages():
    cats = Catalogues.load()
    kinds = {t.kind for rule in parse(SHIPPED).rules.values() for t in rule.participant}
    assert len(LANGUAGES) == 8 and kinds
    missing = [
        f"{language}: {kind.value}.{part}"
        for kind in kinds
        for language in LANGUAGES
        for part in ("subject", "body")
        if not cats.has(language, f"{kind.value}.{part}")
    ]
    assert missing == []


def test_the_participant_line_round_trips_through_the_matrix_in_force():
    matrix = parse(SHIPPED)
    assert parse(matrix.as_dict()) == matrix


def test_e_mail_to_the_participant_is_a_channel_and_an_unknown_one_is_refused():
    emailed = parse(
        with_participant(
            PREFIX + "planning.plan-start-scheduled.v1",
            {"message": "plan_start", "channels": ["email"]},
        )
    )
    [line] = emailed.participant_targets_for(PREFIX + "planning.plan-start-scheduled.v1")
    assert line.channels == (EMAIL,)
    found = problems(
        with_participant(
            PREFIX + "planning.plan-start-scheduled.v1",
            {"message": "plan_start", "channels": ["sms"]},
        )
    )
    assert len(found) == 1 and "letter, page or email only" in found[0]


def test_an_unknown_message_kind_and_a_letter_without_a_week_are_refused():
    found = problems(
        with_participant(
            PREFIX + "planning.plan-start-scheduled.v1",
            {"message": "birthday", "channels": ["letter"]},
        )
    )
    assert len(found) == 2
    assert "needs a message" in found[0] and "schedule-published only" in found[1]


def test_a_participant_line_on_an_event_about_nobody_is_refused():
    raw = copy.deepcopy(SHIPPED)
    raw["rules"].append(
        {
            "event": PREFIX + "support.partner-registered.v1",
            "recipients": [{"role": "participant", "message": "plan_start", "channels": ["page"]}],
        }
    )
    [problem] = problems(raw)
    assert "needs an event about one participant" in problem
