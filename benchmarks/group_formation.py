"""Benchmark: group formation against a greedy baseline and a proven lower bound.

Not a test. Run from the repository root::

    .venv/bin/python benchmarks/group_formation.py [--sizes 200 2000 10000] [--runs 2]

For each cohort size it generates participants (level bands weighted as in a Z-route
intake, 2 to 8 free slots of 15 each, mornings more often than evenings; the same
generator as the solver tests), forms groups with ``form_groups`` and with the greedy
baseline in the same run, checks every hard rule on both solutions, and prints one row
per run with the load average beside it. Two bounds are printed: the naive one, the sum
over level bands of ceil(n_band / 8), which ignores availability (it is no bound when
someone cannot be placed), and the proven one of ``domain/bounds.py``: no solution places
more than *max placed* (people who share a slot set with at least two others of their
band), and the best solution has at least *proven LB* groups. Then the goals of issue 20,
each marked met or MISSED: n = 10,000 in at most 10 s with at most 2% more groups than
the proven bound, n = 2,000 in at most 2 s, and never fewer placed than greedy (in any
band). Results also go to ``benchmarks/results/group_formation.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zroute_planning.domain.bounds import bounds  # noqa: E402
from zroute_planning.domain.greedy import greedy_groups  # noqa: E402
from zroute_planning.domain.grouping import violations  # noqa: E402
from zroute_planning.domain.solver import SolverOptions, form_groups  # noqa: E402

from tests.planning.unit.cohorts import cohort  # noqa: E402

RULES = {"min_size": 3, "max_size": 8, "sessions_per_week": 2}
TIME_GOALS = {10000: 10.0, 2000: 2.0}  # seconds, issue 20
GROUP_GOALS = {10000: 1.02}  # groups per proven lower bound, issue 20


def run(n: int, seconds: float, workers: int) -> dict:
    people = cohort(n, seed=n)
    bands = Counter(c.band for c in people)
    shown = ", ".join(f"{band.value} {count}" for band, count in sorted(bands.items()))
    print(f"[n={n}] generated; bands: {shown}", flush=True)
    load_before = os.getloadavg()[0]

    started = time.perf_counter()
    greedy = greedy_groups(people, **RULES)
    greedy_s = time.perf_counter() - started

    options = SolverOptions(seconds_per_solve=seconds, workers=workers)
    cold = "ortools" not in sys.modules
    started = time.perf_counter()
    solved = form_groups(people, options)
    solver_s = time.perf_counter() - started
    imported = cold and "ortools" in sys.modules
    print(
        f"[n={n}] solver: {len(solved.groups)} groups in {solver_s:.2f} s"
        f"{' (including the first import of ortools)' if imported else ''};"
        f" greedy: {len(greedy.groups)} groups in {greedy_s:.2f} s",
        flush=True,
    )

    for name, result in (("solver", solved), ("greedy", greedy)):
        problems = violations(result, people, **RULES)
        if problems:
            raise SystemExit(f"{name} broke a hard rule at n={n}: {problems[:3]}")
    proven = bounds(people, solved, **RULES)
    fewer_placed = [
        band.value
        for band in bands
        if sum(len(g.members) for g in solved.groups if g.band == band)
        < sum(len(g.members) for g in greedy.groups if g.band == band)
    ]
    return {
        "n": n,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "solver_seconds": round(solver_s, 3),
        "solver_imported_ortools": imported,
        "solver_groups": len(solved.groups),
        "solver_placed": solved.placed,
        "greedy_seconds": round(greedy_s, 3),
        "greedy_groups": len(greedy.groups),
        "greedy_placed": greedy.placed,
        "naive_bound": proven.naive_groups,
        "proven_lower_bound": proven.fewest_groups,
        "max_placed": proven.most_placed,
        "groups_per_proven_bound": round(len(solved.groups) / max(1, proven.fewest_groups), 4),
        "groups_per_naive_bound": round(len(solved.groups) / proven.naive_groups, 4),
        "greedy_groups_per_naive_bound": round(len(greedy.groups) / proven.naive_groups, 4),
        "bands_with_fewer_placed_than_greedy": fewer_placed,
    }


def table(rows: list[dict]) -> str:
    head = (
        f"{'n':>6} {'load':>9} | {'solver s':>8} {'groups':>6} {'placed':>6} |"
        f" {'greedy s':>8} {'groups':>6} {'placed':>6} | {'naive':>5} {'proven LB':>9}"
        f" {'max placed':>10} | {'groups/LB':>9} {'groups/naive':>12}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        load = f"{r['load_before']:.1f}-{r['load_after']:.1f}"
        lines.append(
            f"{r['n']:>6} {load:>9} | {r['solver_seconds']:>8.2f} {r['solver_groups']:>6}"
            f" {r['solver_placed']:>6} | {r['greedy_seconds']:>8.2f} {r['greedy_groups']:>6}"
            f" {r['greedy_placed']:>6} | {r['naive_bound']:>5} {r['proven_lower_bound']:>9}"
            f" {r['max_placed']:>10} | {r['groups_per_proven_bound']:>9.3f}"
            f" {r['groups_per_naive_bound']:>12.3f}"
        )
    return "\n".join(lines)


def goals(rows: list[dict]) -> list[tuple[str, str, bool]]:
    """(what, measured, met) for each goal of issue 20, taking the worst run."""
    checks = []
    for n in sorted({r["n"] for r in rows}):
        runs = [r for r in rows if r["n"] == n]
        if n in TIME_GOALS:
            worst = max(r["solver_seconds"] for r in runs)
            checks.append(
                (
                    f"n = {n:,}: at most {TIME_GOALS[n]:g} s",
                    f"{worst:.2f} s",
                    worst <= TIME_GOALS[n],
                )
            )
        if n in GROUP_GOALS:
            worst = max(r["groups_per_proven_bound"] for r in runs)
            checks.append(
                (
                    f"n = {n:,}: groups within {GROUP_GOALS[n] - 1:.0%} of the proven bound",
                    f"{worst:.3f}x ({max(r['solver_groups'] for r in runs)} groups,"
                    f" bound {runs[0]['proven_lower_bound']})",
                    worst <= GROUP_GOALS[n],
                )
            )
        fewer = sorted({b for r in runs for b in r["bands_with_fewer_placed_than_greedy"]})
        least = min(r["solver_placed"] - r["greedy_placed"] for r in runs)
        checks.append(
            (
                f"n = {n:,}: never fewer placed than greedy, in any band",
                f"{least:+d} placed" + (f"; fewer in {', '.join(fewer)}" if fewer else ""),
                not fewer and least >= 0,
            )
        )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--runs", type=int, default=2, help="runs of each size")
    parser.add_argument("--seconds", type=float, default=2.0, help="time limit per CP-SAT solve")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = [run(n, args.seconds, args.workers) for _ in range(args.runs) for n in args.sizes]
    rows.sort(key=lambda r: r["n"])
    print()
    print(table(rows))
    print("\nGoals (issue 20; the worst run counts):")
    checks = goals(rows)
    for what, measured, met in checks:
        print(f"  {'met   ' if met else 'MISSED'}  {what}: {measured}")
    out = ROOT / "benchmarks" / "results" / "group_formation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "seconds_per_solve": args.seconds,
                "workers": args.workers,
                "rows": rows,
                "goals": [{"goal": w, "measured": m, "met": ok} for w, m, ok in checks],
            },
            indent=2,
        )
    )
    print(f"\nresults written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
