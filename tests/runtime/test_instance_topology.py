"""A second copy of a service on one broker with a database of its own (another
municipality's intake service, issue 15) consumes from queues of its own: two copies on
one queue take turns, and each would miss half of the events (the old intake service
would never hear that its dossier was imported). Before: ``ZROUTE_INSTANCE`` did not
exist and every copy used ``zroute.<service>``."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from zroute_runtime.settings import ServiceSettings
from zroute_runtime.topology import ServiceTopology


def test_a_named_instance_has_its_own_queues_and_dead_letter_key():
    named = ServiceTopology.for_service(ServiceSettings(instance="gm0599"), "intake", ["k"])
    assert named.queue == "zroute.intake.gm0599"
    assert named.dead_letter_queue == "zroute.intake.gm0599.dead-letter"
    assert named.retry_queue(1) == "zroute.intake.gm0599.retry.1000"
    assert named.service == "intake.gm0599"  # the dead letters' routing key
    assert named.queue_arguments()["x-dead-letter-routing-key"] == "intake.gm0599"
    assert named.exchange == "zroute.events"  # the same events for every copy

    single = ServiceTopology.for_service(ServiceSettings(), "intake", ["k"])
    assert (single.queue, single.dead_letter_queue) == (
        "zroute.intake",
        "zroute.intake.dead-letter",
    )


def test_an_instance_name_is_one_word_of_a_broker_name():
    with pytest.raises(ValidationError):
        ServiceSettings(instance="GM 0599.x")
