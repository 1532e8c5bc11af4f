"""Every event about a record the platform keeps carries a ``dataref`` into the owning
service's API (issue 13): each producing service names a template for each of its event
types, and the template is a path one of its GET endpoints serves."""

from __future__ import annotations

import importlib
import re

import pytest
from zroute_contract.events.base import event_types

from tests.contract.samples import sample_event

# notifications publishes delivery outcomes: records of a delivery, not of a participant
# or partner an integrator resynchronises (docs/integrators.md says so).
SERVICES = ("intake", "planning", "support")


def _get_paths(definition) -> list[re.Pattern]:
    paths = []
    for router in definition.routers:
        for route in router.routes:
            if "GET" in getattr(route, "methods", ()):
                paths.append(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", route.path) + "$"))
    return paths


@pytest.mark.parametrize("service", SERVICES)
def test_every_event_of_the_service_has_a_dataref_its_api_serves(service):
    bootstrap = importlib.import_module(f"zroute_{service}.bootstrap")
    settings = importlib.import_module(f"zroute_{service}.settings").Settings()
    definition = bootstrap.definition(settings)
    produced = {t for t, c in event_types().items() if c.spec.producer == service}
    assert set(definition.datarefs) == produced
    served = _get_paths(definition)
    for event_type, template in definition.datarefs.items():
        payload = sample_event(event_types()[event_type])
        path = template.format(**dict(payload)).split("?")[0]
        assert any(p.match(path) for p in served), f"{event_type}: no GET serves {path}"
