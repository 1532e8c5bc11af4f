"""Each service consumes exactly what the catalogue says it consumes.

``zroute-topology`` declares every consumer's queue from the catalogue before the
services start; a service that bound less would leave events in its queue that it
dead-letters as unexpected, one that bound more would receive events the catalogue
does not promise it. So the two must agree, for every service.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from zroute_contract.events.base import SERVICES
from zroute_runtime.messagebus import binding_keys
from zroute_runtime.topology import catalogue_bindings


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_binds_exactly_the_catalogues_keys(service):
    bootstrap = importlib.import_module(f"zroute_{service}.bootstrap")
    settings = importlib.import_module(f"zroute_{service}.settings").Settings()
    build = bootstrap.definition
    definition = build(settings) if inspect.signature(build).parameters else build()
    bound = set(binding_keys(definition.handlers))
    promised = set(catalogue_bindings(service))
    assert bound == promised, (
        f"{service}: handlers without a catalogue entry {sorted(bound - promised)}, "
        f"catalogue entries without a handler {sorted(promised - bound)}"
    )
