"""Issue 20's table at the end of ``./run bench``: every row with its measure, the
baseline of the same run, the ratio and the goal, each marked met or MISSED.

Read from the JSON files the benchmarks wrote in this invocation; a row whose benchmark
did not run now says so (an older file is never passed off as this run's figure).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Row = tuple[str, str, str, str, str, bool | None]  # measure, ours, baseline, ratio, goal, met


def _load(results: Path, name: str, since: float) -> dict[str, Any] | None:
    path = results / f"{name}.json"
    if not path.exists() or path.stat().st_mtime < since:
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _pipeline(r: dict[str, Any]) -> Iterator[Row]:
    res = r["results"]
    for load, label in (("serial", "one at a time"), ("burst", "burst of 8 writers")):
        ours, raw = res[f"pipeline_{load}"], res[f"raw_{load}"]
        ratio = ours["events_per_second"] / raw["events_per_second"]
        yield (
            f"Events handled, {label}",
            f"{ours['events_per_second']:,.0f}/s",
            f"raw aio-pika {raw['events_per_second']:,.0f}/s",
            f"{ratio:.2f}x",
            ">= 0.5x",
            ratio >= 0.5,
        )
    ours, raw = res["pipeline_paced"], res["raw_paced"]
    ratio = ours["p99_ms"] / raw["p99_ms"]
    yield (
        "Latency p99, paced 50/s",
        f"{ours['p99_ms']:.1f} ms",
        f"raw {raw['p99_ms']:.1f} ms",
        f"{ratio:.2f}x",
        "<= 2x",
        ratio <= 2,
    )


def _intake(r: dict[str, Any]) -> Iterator[Row]:
    ours, base = r["results"]["intake"], r["results"]["baseline"]
    rate = ours["requests_per_second"] / base["requests_per_second"]
    p99 = ours["p99_ms"] / base["p99_ms"]
    yield (
        "Intake POST /participants",
        f"{ours['requests_per_second']:,.0f} req/s, p99 {ours['p99_ms']:.0f} ms",
        f"bare FastAPI + INSERT {base['requests_per_second']:,.0f} req/s,"
        f" p99 {base['p99_ms']:.0f} ms",
        f"{rate:.2f}x, p99 {p99:.1f}x",
        ">= 0.7x, p99 <= 2x",
        rate >= 0.7 and p99 <= 2,
    )


def _relay(r: dict[str, Any]) -> Iterator[Row]:
    res = r["messages_per_second"]
    ratio = res["relay_window_100"] / res["raw_window_100"]
    yield (
        "Outbox relay, window 100",
        f"{res['relay_window_100']:,.0f} msg/s",
        f"raw aio-pika, window 100, no database {res['raw_window_100']:,.0f} msg/s",
        f"{ratio:.2f} of the ceiling",
        ">= 0.9 of the ceiling",
        ratio >= 0.9,
    )


def _formation(r: dict[str, Any]) -> Iterator[Row]:
    for goal in r["goals"]:
        yield ("Group formation", goal["measured"], "", "", goal["goal"], goal["met"])


def _footprint(r: dict[str, Any]) -> Iterator[Row]:
    for s in r["services"]:
        small = s["rss_mb"] is not None and s["rss_mb"] <= 120
        quick = s["ready_s"] <= 3
        rss = "not ready" if s["rss_mb"] is None else f"{s['rss_mb']:.0f} MB RSS"
        yield (
            f"Footprint, {s['service']}",
            f"{rss} ({'met' if small else 'MISSED'}), ready in {s['ready_s']:.1f} s"
            f" ({'met' if quick else 'MISSED'})",
            "",
            "",
            "<= 120 MB, ready <= 3 s",
            small and quick,
        )


DEMO_BEFORE = (
    "before item 4, 50 participants, 13 weeks (14:54, load 11.5 to 14.9): 340 s, CPU 165 s;"
    " 160 weeks earlier that day: 924 s at load 7 to 15"
)
"""The demo's figure before issue 20 item 4 (docs/benchmarks.md, *The demo*): 50
participants, on a machine shared with other engineers' suites."""


def _demo(r: dict[str, Any]) -> Iterator[Row]:
    # Three simulated years (156 weeks) or more: a shorter run is shown, never counted as met.
    ok = r["participants"] >= 50 and r["weeks"] >= 156 and r["seconds"] <= 120 and r["passed"]
    cpu = r.get("cpu_s")
    load = r["load"]
    yield (
        f"./run demo, {r['weeks']} weeks (last run {r['at'][:16]},"
        f" load {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at its end)",
        f"{r['participants']} participants, {r['seconds']:.0f} s"
        + (f" (CPU: services {cpu['services']:.0f} s, demo {cpu['demo']:.0f} s)" if cpu else "")
        + ("" if r["passed"] else ", checks FAILED"),
        DEMO_BEFORE,
        "",
        "50 participants in <= 120 s (quiet)",
        ok,
    )


SOURCES: dict[str, tuple[str, Callable[[dict[str, Any]], Iterator[Row]]]] = {
    "pipeline": ("pipeline", _pipeline),
    "intake_http": ("intake_http", _intake),
    "outbox_relay": ("outbox_relay", _relay),
    "group_formation": ("group_formation", _formation),
    "footprint": ("footprint", _footprint),
}
DEMO_RUN = Path(__file__).parent.parent / ".demo" / "run.json"


def rows(results: Path, since: float) -> list[Row]:
    out: list[Row] = []
    for name, (label, build) in SOURCES.items():
        data = _load(results, name, since)
        if data is None:
            out.append((label, "(not run now)", "", "", "", None))
            continue
        out.extend(build(data))
    if DEMO_RUN.exists():  # the demo is not part of ./run bench: its last run, dated
        out.extend(_demo(json.loads(DEMO_RUN.read_text())))
    else:
        out.append(("./run demo", "(run ./run demo --participants 50)", "", "", "", None))
    return out


def render(results: Path, since: float) -> str:
    """The table as plain text (whole at any width: no console wraps it)."""
    header = ("measure", "measured", "baseline (same run)", "ratio", "goal", "")
    lines = [
        (*row[:5], "met" if row[5] else ("MISSED" if row[5] is False else "-"))
        for row in rows(results, since)
    ]
    widths = [max(len(str(r[i])) for r in (header, *lines)) for i in range(len(header))]

    def fmt(r: tuple[str, ...]) -> str:
        return " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()

    load = os.getloadavg()
    return "\n".join(
        [
            f"Issue 20, every row (load average now {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f},"
            f" {os.cpu_count()} CPUs)",
            fmt(header),
            "-+-".join("-" * w for w in widths),
            *(fmt(line) for line in lines),
        ]
    )
