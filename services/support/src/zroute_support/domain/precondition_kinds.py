"""The kinds of precondition support arranges (issue 17 item 8): configurable data.

Childcare and transport are there by default; a programme configures others (a digital
device, a medical aid) by code. Each kind names the task of the task division whose
responsible partner arranges it, and the capability a partner needs to arrange it (and to
take it when the responsible partner is full). The contract carries childcare and
transport as their own ``kind`` and every other configured kind as ``kind: other`` with
its ``code`` (``zroute_contract.events.codes.precondition_kind``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from zroute_contract.events.codes import PartnerCapability, RouteTask

from zroute_support.domain.routing import WaitCode, WaitingReason


@dataclass(frozen=True)
class KindRule:
    """Who arranges a configured precondition kind."""

    task: RouteTask
    """The task of the task division whose responsible partner arranges it."""
    capability: PartnerCapability
    """What a partner needs to arrange it."""


DEFAULT_KINDS: Mapping[str, KindRule] = {
    "childcare": KindRule(RouteTask.CHILDCARE, PartnerCapability.CHILDCARE),
    "transport": KindRule(RouteTask.TRANSPORT, PartnerCapability.TRANSPORT),
}


def not_configured(code: str) -> WaitingReason:
    """The waiting reason of a needed kind support has no rule for (nobody is asked)."""
    return WaitingReason.of(WaitCode.KIND_NOT_CONFIGURED, kind=code)
