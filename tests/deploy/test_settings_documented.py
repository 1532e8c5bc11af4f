"""Every setting a service reads is documented where an operator looks for it.

The shared settings are in the README's configuration table; a service's own settings
are in its document (docs/<service>.md) or the README. A setting added in code without
a line of documentation fails here.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from zroute_contract.events.base import SERVICES
from zroute_runtime.settings import ENV_PREFIX, ServiceSettings

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text()


def variable(field: str) -> str:
    return f"`{ENV_PREFIX}{field.upper()}"


def test_every_shared_setting_is_in_the_readme():
    missing = [f for f in ServiceSettings.model_fields if variable(f) not in README]
    assert not missing, f"add to the README's configuration table: {missing}"


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_setting_is_documented(service):
    settings = importlib.import_module(f"zroute_{service}.settings").Settings
    own = set(settings.model_fields) - set(ServiceSettings.model_fields)
    doc = (ROOT / "docs" / f"{service}.md").read_text() + README
    missing = sorted(f for f in own if variable(f) not in doc)
    assert not missing, f"document in docs/{service}.md: {[variable(f) + '`' for f in missing]}"
