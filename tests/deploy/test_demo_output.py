"""The demo's output and pace without the services: its summary tables written to a file or
a CI log, and the settling rule that decides when the system is quiet."""

from __future__ import annotations

import asyncio
import io

import httpx
import pytest
from rich.table import Table
from zroute_demo import system as system_module
from zroute_demo.__main__ import make_console, print_whole
from zroute_demo.system import DemoConfig, System

LONG_LABEL = "  failed, email: recipient_unresolved (the directory had no address yet) " * 2


def _wide_table() -> Table:
    table = Table(title="Messages by channel", title_justify="left")
    for column in ("channel", "sent", "failed", "right-most column"):
        table.add_column(column, justify="left" if column == "channel" else "right")
    table.add_row(LONG_LABEL, "1234", "5", "last-cell-whole")
    return table


@pytest.mark.parametrize(
    "environment",
    [{}, {"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}, {"COLUMNS": "80"}],
    ids=["plain", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS=80"],
)
def test_summary_tables_written_to_a_file_or_ci_log_are_whole(monkeypatch, environment) -> None:
    """Not a terminal (a file, a pipe, a CI log, even one asking for colour): every column
    of a table wider than any terminal is printed whole, nothing cut or wrapped at 80."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    console = make_console(out)
    print_whole(console, _wide_table())
    text = out.getvalue()
    assert "\x1b[" not in text, "escape codes in a log"
    assert "…" not in text, text
    row = next(line for line in text.splitlines() if "1234" in line)
    assert LONG_LABEL.strip() in row, text
    assert row.rstrip().endswith("last-cell-whole │"), row
    assert "right-most column" in text


def test_the_console_of_a_file_shows_progress_as_lines_not_a_live_bar() -> None:
    console = make_console(io.StringIO())
    assert not console.is_terminal
    assert console.width >= 200


class _Quiet(System):
    """A system whose looks are scripted: outbox backlog, queue contents and counters."""

    def __init__(self, looks: list[tuple[int, bool, float]]) -> None:
        super().__init__(DemoConfig())
        self.processes = {"planning": None}  # type: ignore[dict-item]
        self.looks = looks
        self.taken = 0

    def _look(self) -> tuple[int, bool, float]:
        return self.looks[min(self.taken, len(self.looks) - 1)]

    async def _series(self, service: str, *names: str) -> dict[str, float]:
        # One request gives the outbox and the counters (issue 20).
        backlog, _, moved = self._look()
        self.taken += bool(backlog)  # the look ends here
        return {name: 0.0 for name in names} | {
            system_module._OUTBOX: float(backlog),
            system_module._MOVEMENT[0]: moved,
        }

    async def _queues_empty(self, service: str) -> bool:
        _, empty, _ = self._look()
        self.taken += 1  # the look ends here, quiet or not
        return empty


async def test_settling_waits_while_a_handler_runs_though_outbox_and_queues_look_empty(
    monkeypatch,
) -> None:
    """A message being handled is unacknowledged, so its queue counts 0 and no outbox row
    exists yet: two empty looks in a row are not quiet while the counters still move."""
    monkeypatch.setattr(system_module, "CONFIRM_S", 0.001)
    monkeypatch.setattr(system_module, "LAST_LOOK_S", 0.001)
    # Look by look: (outbox backlog, queues empty, events handled/published/fired so far).
    system = _Quiet([(0, True, 10), (0, True, 11), (0, True, 12), (0, True, 12)])
    await asyncio.wait_for(system.settle(within_s=5), 5)
    assert system.taken == 4, "quiet only once the counters stood still between two looks"


async def test_settling_waits_for_the_outbox_and_the_queues(monkeypatch) -> None:
    monkeypatch.setattr(system_module, "CONFIRM_S", 0.001)
    monkeypatch.setattr(system_module, "LAST_LOOK_S", 0.001)
    system = _Quiet([(3, True, 0), (0, False, 0), (0, True, 5), (0, True, 5)])
    await asyncio.wait_for(system.settle(within_s=5), 5)
    assert system.taken == 4


async def test_settling_that_never_comes_says_so(monkeypatch) -> None:
    monkeypatch.setattr(system_module, "LAST_LOOK_S", 0.001)
    system = _Quiet([(1, True, 0)])
    with pytest.raises(SystemExit, match="did not settle within"):
        await system.settle(within_s=0.05)


async def test_a_clock_step_may_take_longer_than_an_ordinary_request(monkeypatch) -> None:
    """A clock step fires inside the request what fell due (a week's digests and
    deliveries): at load 20 notifications took more than the clients' 30 s, and the run
    stopped at week 2 with a ReadTimeout. The step waits for the whole system first."""
    system = System(DemoConfig())
    system.processes = {"notifications": None}  # type: ignore[dict-item]
    settled: list[bool] = []
    timeouts: list[dict] = []

    async def settle(within_s: float = 300, *, leave_sinks: bool = False) -> None:
        settled.append(leave_sinks)

    def answer(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        return httpx.Response(200, json={"now": "2027-01-11T08:00:00+01:00", "simulated": True})

    monkeypatch.setattr(system, "settle", settle)
    system._clients["notifications"] = httpx.AsyncClient(
        base_url="http://notifications", transport=httpx.MockTransport(answer), timeout=30
    )
    await system.advance_clocks(7 * 24 * 3600)
    await system.close_clients()
    assert settled == [False], "the clock moves only once every service, sinks too, is quiet"
    assert timeouts[0]["read"] >= system_module.CLOCK_STEP_S >= 300
