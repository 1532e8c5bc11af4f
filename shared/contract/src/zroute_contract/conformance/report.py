"""The kit's report: a table of checks (name, outcome, detail) and an exit code."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "FAIL"
    # The check does not apply to this service (said why in the detail); not a failure.
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class CheckResult:
    """One row of the report. ``rule`` is the group (1 to 5) the check belongs to."""

    rule: str
    name: str
    outcome: Outcome
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAIL


# What no run can check from outside, said in every report (docs/conformance.md has why).
NEVER_CHECKABLE = (
    "queue arguments (quorum type, delivery limit, dead-letter exchange): a passive "
    "declare cannot read them",
    "messages held unacknowledged: AMQP 0-9-1 shows no unacked count (inferred only from "
    "dead letters that never come and a queue that stops draining)",
    "event and state committed together (transactional outbox), and order across "
    "replicas or after retries: not visible on the bus",
    "personal data other than BSN-shaped numbers (names, addresses) in the events",
    "dataref and the read API behind it: the kit calls no HTTP API",
)


@dataclass
class Report:
    """Everything one run found about one service."""

    service: str
    prefix: str
    results: list[CheckResult] = field(default_factory=list)
    # What this run could not check, besides NEVER_CHECKABLE (for example keys masked by
    # a foreign binding), one line each.
    unchecked: list[str] = field(default_factory=list)
    # How the waits were sized: measured answers and the bounds used.
    timing: str = ""

    def add(self, rule: str, name: str, outcome: Outcome | bool, detail: str = "") -> CheckResult:
        if isinstance(outcome, bool):
            outcome = Outcome.PASS if outcome else Outcome.FAIL
        result = CheckResult(rule, name, outcome, detail)
        self.results.append(result)
        return result

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.failed]

    @property
    def passed(self) -> bool:
        return bool(self.results) and not self.failures

    @property
    def exit_code(self) -> int:
        """0 when every check passed or did not apply, 1 when any failed."""
        return 0 if self.passed else 1

    def result(self, name: str) -> CheckResult:
        """The row named ``name`` (``KeyError`` when the run made no such check)."""
        for row in self.results:
            if row.name == name:
                return row
        raise KeyError(name)

    def render(self, width: int = 120) -> str:
        """The report as a plain-text table, ending in a one-line verdict."""
        name_w = min(max((len(r.name) for r in self.results), default=10), 60)
        lines = [
            f"Z-route conformance: service {self.service!r}, prefix {self.prefix!r}",
            "",
            f"{'#':<2} {'check':<{name_w}} {'result':<6} detail",
            f"{'-' * 2} {'-' * name_w} {'-' * 6} {'-' * max(width - name_w - 11, 10)}",
        ]
        detail_w = max(width - name_w - 11, 30)
        for row in self.results:
            name = row.name if len(row.name) <= name_w else row.name[: name_w - 1] + "…"
            chunks = textwrap.wrap(row.detail, detail_w, break_on_hyphens=False) or [""]
            lines.append(f"{row.rule:<2} {name:<{name_w}} {row.outcome.value:<6} {chunks[0]}")
            lines.extend(f"{'':<2} {'':<{name_w}} {'':<6} {chunk}" for chunk in chunks[1:])
        counts = {o: sum(1 for r in self.results if r.outcome is o) for o in Outcome}
        verdict = "CONFORMS" if self.passed else "DOES NOT CONFORM"
        lines += ["", "Not checked from outside:"]
        lines += [
            textwrap.fill(item, width, initial_indent="  - ", subsequent_indent="    ")
            for item in [*self.unchecked, *NEVER_CHECKABLE]
        ]
        if self.timing:
            lines += ["", textwrap.fill(f"Timing: {self.timing}", width)]
        lines += [
            "",
            f"{verdict}: {counts[Outcome.PASS]} passed, {counts[Outcome.FAIL]} failed, "
            f"{counts[Outcome.NOT_APPLICABLE]} not applicable",
        ]
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(
            {
                "service": self.service,
                "prefix": self.prefix,
                "passed": self.passed,
                "results": [asdict(r) | {"outcome": r.outcome.value} for r in self.results],
                "not_checked": [*self.unchecked, *NEVER_CHECKABLE],
                "timing": self.timing,
            },
            indent=2,
        )
