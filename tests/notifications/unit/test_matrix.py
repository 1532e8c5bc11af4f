"""The communication matrix is validated when it is loaded (pure domain code)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from zroute_contract import event_types
from zroute_notifications.adapters.rendering import Templates
from zroute_notifications.bootstrap import definition
from zroute_notifications.domain.matrix import MatrixError, is_escalation, parse_matrix
from zroute_notifications.settings import DEFAULT_MATRIX, DEFAULT_TEMPLATES, Settings

TEMPLATES = Templates(DEFAULT_TEMPLATES).event_names()
SHIPPED = json.loads(DEFAULT_MATRIX.read_text())


def parse(raw):
    return parse_matrix(raw, contract=event_types(), templates=TEMPLATES)


def with_rule(event: str, *recipients: dict) -> dict:
    raw = copy.deepcopy(SHIPPED)
    raw["rules"] = [r for r in raw["rules"] if r["event"] != event]
    raw["rules"].append({"event": event, "recipients": list(recipients)})
    return raw


def problems(raw) -> list[str]:
    with pytest.raises(MatrixError) as caught:
        parse(raw)
    return caught.value.problems


def test_the_shipped_matrix_is_valid_and_covers_every_escalation():
    matrix = parse(SHIPPED)
    escalations = [t for t in event_types() if is_escalation(t)]
    assert escalations and all(matrix.targets_for(t) for t in escalations)


def test_an_unknown_event_type_is_refused():
    raw = with_rule(
        "nl.zroute.planning.no-such-thing.v1", {"role": "lead_partner", "channels": ["email"]}
    )
    assert problems(raw) == [
        f"rule {len(SHIPPED['rules']) + 1} (nl.zroute.planning.no-such-thing.v1): unknown event"
        " type (not in the contract)"
    ]


def test_an_unknown_role_is_refused():
    # "participant" was the example here until issue 18 made it a recipient kind.
    [problem] = problems(
        with_rule("nl.zroute.planning.plan-paused.v1", {"role": "neighbour", "channels": ["email"]})
    )
    assert "unknown RecipientRole 'neighbour'" in problem


def test_a_role_the_event_cannot_resolve_is_refused():
    # partner-registered names no participant: there is no contact person to find
    found = problems(
        with_rule(
            "nl.zroute.support.partner-registered.v1",
            {"role": "contact_person", "channels": ["inbox"]},
        )
    )
    assert "role contact_person cannot be resolved" in found[0]


def test_a_responsible_partner_needs_a_known_task():
    assert (
        "needs a task"
        in problems(
            with_rule(
                "nl.zroute.planning.plan-paused.v1",
                {"role": "responsible_partner", "channels": ["email"]},
            )
        )[0]
    )
    assert (
        "unknown RouteTask 'cooking'"
        in problems(
            with_rule(
                "nl.zroute.planning.plan-paused.v1",
                {"role": "responsible_partner", "task": "cooking", "channels": ["email"]},
            )
        )[0]
    )


def test_every_escalation_needs_a_recipient():
    raw = copy.deepcopy(SHIPPED)
    raw["rules"] = [
        r for r in raw["rules"] if r["event"] != "nl.zroute.support.referral-escalated.v1"
    ]
    assert problems(raw) == ["escalation nl.zroute.support.referral-escalated.v1 has no recipient"]
    assert problems(with_rule("nl.zroute.planning.placement-escalated.v1")) == [
        "escalation nl.zroute.planning.placement-escalated.v1 has no recipient"
    ]


def test_care_details_cannot_be_passed_on_by_webhook_to_another_role():
    [problem] = problems(
        with_rule(
            "nl.zroute.support.referral-requested.v1",
            {"role": "subscriber", "channels": ["webhook"]},
        )
    )
    assert "addressed to one partner" in problem


def test_a_reminder_needs_a_date_of_the_event():
    assert (
        "is not a date"
        in problems(
            with_rule(
                "nl.zroute.planning.follow-up-due.v1",
                {
                    "role": "contact_person",
                    "channels": ["email"],
                    "timing": "reminder",
                    "before": {"field": "participant_ref", "days": 3},
                },
            )
        )[0]
    )
    assert (
        "needs before"
        in problems(
            with_rule(
                "nl.zroute.planning.follow-up-due.v1",
                {"role": "contact_person", "channels": ["email"], "timing": "reminder"},
            )
        )[0]
    )


def test_webhooks_carry_single_events_not_digests():
    [problem] = problems(
        with_rule(
            "nl.zroute.planning.route-completed.v1",
            {"role": "subscriber", "channels": ["webhook"], "timing": "daily_digest"},
        )
    )
    assert "timing must be immediate" in problem


def test_every_language_needs_a_template_for_each_event_sent_by_mail_or_inbox():
    templates = {
        lang: names - {"plan-paused"} if lang == "en" else names
        for lang, names in TEMPLATES.items()
    }
    with pytest.raises(MatrixError) as caught:
        parse_matrix(SHIPPED, contract=event_types(), templates=templates)
    assert caught.value.problems == [
        "rule 9 (nl.zroute.planning.plan-paused.v1): no en template for plan-paused"
    ]


def test_all_problems_are_listed_at_once():
    raw = with_rule(
        "nl.zroute.intake.participant-registered.v1", {"role": "nobody", "channels": ["pigeon"]}
    )
    raw["rules"].append({"event": "nl.zroute.x.y.v1", "recipients": []})
    assert len(problems(raw)) == 3


def test_a_bad_matrix_file_stops_the_service_definition(tmp_path):
    bad = tmp_path / "matrix.json"
    bad.write_text(
        json.dumps(
            with_rule(
                "nl.zroute.planning.plan-paused.v9", {"role": "lead_partner", "channels": ["email"]}
            )
        )
    )
    with pytest.raises(MatrixError, match=r"communication matrix .*matrix.json refused"):
        definition(Settings(matrix_path=bad))
    bad.write_text("{not json")
    with pytest.raises(MatrixError, match="not JSON"):
        definition(Settings(matrix_path=bad))


def test_a_bad_matrix_is_refused_at_start_with_a_clear_message(tmp_path):
    bad = tmp_path / "matrix.json"
    bad.write_text(
        json.dumps(
            with_rule(
                "nl.zroute.planning.plan-paused.v1",
                {"role": "contact_person", "channels": ["email"], "timing": "sometimes"},
            )
        )
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from zroute_notifications.bootstrap import main; main()",
            "migrate",
        ],
        env={"ZROUTE_MATRIX_PATH": str(bad), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "refused (1 problem(s))" in result.stderr
    assert "unknown Timing 'sometimes'" in result.stderr
