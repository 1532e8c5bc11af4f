"""The intake settings: keys as secrets of the right size, local defaults flagged."""

from __future__ import annotations

import base64
import os

import pytest
from pydantic import ValidationError
from zroute_contract.events.base import event_types
from zroute_contract.events.intake import ParticipantMovedIn
from zroute_contract.events.planning import RouteCompleted
from zroute_intake.bootstrap import definition
from zroute_intake.domain.contact_card import DEFAULT_FIELDS, CardField, RelationKind
from zroute_intake.service_layer.handlers import interpreters, relations, reports
from zroute_intake.service_layer.handlers.contact_persons import HANDOVER_TIMER
from zroute_intake.service_layer.handlers.participants import CORE_DELETION_TIMER, ERASURE_TIMER
from zroute_intake.settings import Settings


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"too short").decode()])
def test_a_key_must_be_base64_of_32_bytes(bad):
    with pytest.raises(ValidationError, match="intake_encryption_key"):
        Settings(intake_encryption_key=bad)


def test_the_local_default_keys_are_flagged_and_real_ones_are_not():
    assert Settings().uses_local_keys()
    keys = {"intake_encryption_key": key(), "intake_hash_key": key(), "intake_move_key": key()}
    assert not Settings(**keys).uses_local_keys()


def test_keys_do_not_show_when_settings_are_printed():
    secret = key()
    assert secret not in repr(Settings(intake_encryption_key=secret))


def test_care_coordinators_are_programme_and_partner_codes():
    with pytest.raises(ValidationError, match="partner ids"):
        Settings(intake_care_coordinators={"programme-a": "Zorg Partner"})


def test_the_definition_consumes_route_completion_and_runs_the_erasure_timer():
    service = definition(Settings(intake_retention_days=10))
    # Route completion; the attendance and referral events of the management report and
    # DUO (issue 15 item 7), and the relations planning and support report (issue 18).
    # And support's interpreter answers (issue 17 item 6), and another intake service's
    # import of a dossier exported here (issue 15: the copy is closed as handed over).
    assert set(service.handlers) == {
        RouteCompleted,
        ParticipantMovedIn,
        *reports.HANDLERS,
        *relations.HANDLERS,
        *interpreters.HANDLERS,
    }
    consumed = {cls for cls in event_types().values() if "intake" in cls.spec.consumers}
    assert set(service.handlers) == consumed
    # Issue 15: a handover dated ahead takes effect on its date by a timer.
    # Issue 15 item 8: the core data's deletion at most 50 years after the obligation ends.
    assert list(service.timer_handlers) == [ERASURE_TIMER, CORE_DELETION_TIMER, HANDOVER_TIMER]
    assert service.deps.retention.days == 10
    assert service.migrations.is_dir()


def test_the_contact_card_fields_are_configured_per_relation_and_reach_the_handlers(
    monkeypatch,
):
    assert Settings().contact_card_fields() == dict(DEFAULT_FIELDS)
    monkeypatch.setenv("ZROUTE_INTAKE_CONTACT_CARD_FIELDS", '{"teaches_group": ["name"]}')
    settings = Settings()
    assert settings.contact_card_fields() == {RelationKind.TEACHES_GROUP: {CardField.NAME}}
    assert definition(settings).deps.card_fields == settings.contact_card_fields()
    with pytest.raises(ValidationError, match="intake_contact_card_fields"):
        Settings(intake_contact_card_fields={"teaches_group": ["bsn"]})
