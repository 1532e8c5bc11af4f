"""The runtime settings refuse a wait for a predecessor that the retries would outlast."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from zroute_runtime.settings import ServiceSettings


def test_the_predecessor_wait_must_outlast_the_retry_delays():
    with pytest.raises(ValidationError, match="longer than the retry delays together"):
        ServiceSettings(retry_delays_ms=[1000, 10000, 60000], predecessor_wait_s=71)
    ok = ServiceSettings(retry_delays_ms=[1000, 10000, 60000], predecessor_wait_s=72)
    assert ok.predecessor_wait_s == 72


def test_the_default_wait_outlasts_the_default_retries():
    settings = ServiceSettings()
    assert settings.predecessor_wait_s * 1000 > sum(settings.retry_delays_ms)
