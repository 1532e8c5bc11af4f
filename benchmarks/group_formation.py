"""Benchmark: group formation with CP-SAT against a greedy baseline and the lower bound.

Not a test. Run from the repository root::

    .venv/bin/python benchmarks/group_formation.py [--sizes 200 2000 10000] [--seconds 2]

For each cohort size it generates participants (level bands weighted as in a Z-route
intake, 2 to 8 free slots of 15 each, mornings more often than evenings; the same
generator as the solver tests), forms groups with the solver and with the greedy
baseline in the same run, checks every hard rule on both solutions, and prints a table:
solver time and groups, greedy time and groups, the lower bound sum over level bands of
ceil(n_band / 8), and ratios: groups per bound for both, placed participants solver /
greedy, and time solver / greedy. The lower bound ignores availability, so it is only
reachable when everybody can be placed. Results also go to
``benchmarks/results/group_formation.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zroute_planning.domain.greedy import greedy_groups  # noqa: E402
from zroute_planning.domain.grouping import violations  # noqa: E402
from zroute_planning.domain.solver import SolverOptions, form_groups  # noqa: E402

from tests.planning.unit.cohorts import cohort  # noqa: E402

RULES = {"min_size": 3, "max_size": 8, "sessions_per_week": 2}


def run(n: int, seconds: float, workers: int) -> dict:
    people = cohort(n, seed=n)
    bands = Counter(c.band for c in people)
    lower_bound = sum(math.ceil(k / RULES["max_size"]) for k in bands.values())
    shown = ", ".join(f"{band.value} {count}" for band, count in sorted(bands.items()))
    print(f"[n={n}] generated; bands: {shown}", flush=True)

    started = time.perf_counter()
    greedy = greedy_groups(people, **RULES)
    greedy_s = time.perf_counter() - started
    print(f"[n={n}] greedy: {len(greedy.groups)} groups in {greedy_s:.2f} s", flush=True)

    options = SolverOptions(seconds_per_solve=seconds, workers=workers)
    started = time.perf_counter()
    solved = form_groups(people, options)
    solver_s = time.perf_counter() - started
    print(f"[n={n}] solver: {len(solved.groups)} groups in {solver_s:.2f} s", flush=True)

    for name, result in (("solver", solved), ("greedy", greedy)):
        problems = violations(result, people, **RULES)
        if problems:
            raise SystemExit(f"{name} broke a hard rule at n={n}: {problems[:3]}")
    return {
        "n": n,
        "solver_seconds": round(solver_s, 3),
        "solver_groups": len(solved.groups),
        "solver_placed": solved.placed,
        "greedy_seconds": round(greedy_s, 3),
        "greedy_groups": len(greedy.groups),
        "greedy_placed": greedy.placed,
        "lower_bound": lower_bound,
        "solver_groups_per_bound": round(len(solved.groups) / lower_bound, 3),
        "greedy_groups_per_bound": round(len(greedy.groups) / lower_bound, 3),
        "solver_placed_share": round(solved.placed / n, 3),
        "greedy_placed_share": round(greedy.placed / n, 3),
        "solver_mean_size": round(solved.placed / max(1, len(solved.groups)), 2),
        "greedy_mean_size": round(greedy.placed / max(1, len(greedy.groups)), 2),
    }


def table(rows: list[dict]) -> str:
    head = (
        f"{'n':>6} | {'solver s':>8} {'groups':>6} {'placed':>6} | {'greedy s':>8} "
        f"{'groups':>6} {'placed':>6} | {'bound':>5} | {'solver/bnd':>10} {'greedy/bnd':>10}"
        f" | {'placed s/g':>10} {'time s/g':>9}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['n']:>6} | {r['solver_seconds']:>8.2f} {r['solver_groups']:>6}"
            f" {r['solver_placed']:>6} | {r['greedy_seconds']:>8.2f} {r['greedy_groups']:>6}"
            f" {r['greedy_placed']:>6} | {r['lower_bound']:>5} |"
            f" {r['solver_groups_per_bound']:>10.3f} {r['greedy_groups_per_bound']:>10.3f} |"
            f" {r['solver_placed'] / max(1, r['greedy_placed']):>10.3f}"
            f" {r['solver_seconds'] / max(r['greedy_seconds'], 0.001):>9.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--seconds", type=float, default=2.0, help="time limit per solve")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = [run(n, args.seconds, args.workers) for n in args.sizes]
    print()
    print(table(rows))
    out = ROOT / "benchmarks" / "results" / "group_formation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "seconds_per_solve": args.seconds,
                "workers": args.workers,
                "rows": rows,
            },
            indent=2,
        )
    )
    print(f"\nresults written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
