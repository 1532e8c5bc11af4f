"""Every benchmark in turn (``./run bench``), each printing its table with ratios against
the baseline it measures in the same run, and writing its JSON to benchmarks/results/.

    ./run bench              all of them, a few minutes
    ./run bench pipeline     only the named ones

The fault-injection run is not part of it (it restarts the broker and the database):
run ``benchmarks/fault_injection.py`` on its own.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _goals import render

HERE = Path(__file__).parent
BENCHMARKS = {
    "pipeline": ["pipeline.py"],
    "outbox_relay": ["outbox_relay.py", "--events", "5000"],
    "wakeup_pg_notify": ["wakeup_pg_notify.py", "--seconds", "5"],
    "intake_http": ["intake_http.py"],
    "group_formation": ["group_formation.py"],
    "footprint": ["footprint.py"],
    "screens": ["screens.py"],
}


def main() -> int:
    chosen = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    since = time.time()
    for number, name in enumerate(chosen, start=1):
        print(f"\n=== [{number}/{len(chosen)}] {name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call(
            [sys.executable, str(HERE / BENCHMARKS[name][0]), *BENCHMARKS[name][1:]]
        )
        print(
            f"=== {name}: {'done' if code == 0 else f'FAILED ({code})'} in "
            f"{time.perf_counter() - started:.0f}s ===",
            flush=True,
        )
        if code:
            failed.append(name)
    print(f"\nresults as JSON in {HERE / 'results'}\n")
    print(render(HERE / "results", since), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
