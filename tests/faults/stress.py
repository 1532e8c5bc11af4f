"""CPU-bound processes beside a fault run, so that handlers, retries and timers interleave
the way they do on a busy machine.

``ZROUTE_FAULTS_STRESS=<n>`` (the suite) or ``--stress <n>`` (the script) runs ``n``
processes (at most :data:`MAX_PROCESSES`), each spinning on arithmetic for at most
``ZROUTE_FAULTS_STRESS_S`` seconds (default 900, at most :data:`MAX_SECONDS`); all are
ended with the run. Each is a separate Python process, so the load is real CPU
contention, not a coroutine the event loop can schedule around.
"""

from __future__ import annotations

import os
import subprocess
import sys
from types import TracebackType

MAX_PROCESSES = 8
MAX_SECONDS = 3600.0

SPIN = (
    "import time, sys\n"
    "end = time.monotonic() + float(sys.argv[1])\n"
    "x = 0\n"
    "while time.monotonic() < end:\n"
    "    for i in range(100000):\n"
    "        x = (x * 31 + i) % 1000003\n"
)


def from_env() -> CpuStress:
    return CpuStress(
        int(os.environ.get("ZROUTE_FAULTS_STRESS", "0") or 0),
        float(os.environ.get("ZROUTE_FAULTS_STRESS_S", "900") or 900),
    )


class CpuStress:
    """``with CpuStress(2, 600):`` two spinning processes for the block, 600 s at most."""

    def __init__(self, processes: int, seconds: float = 900.0) -> None:
        if not 0 <= processes <= MAX_PROCESSES:
            raise ValueError(f"stress processes must be 0 to {MAX_PROCESSES}, not {processes}")
        if not 0 < seconds <= MAX_SECONDS:
            raise ValueError(f"stress seconds must be above 0 and at most {MAX_SECONDS:g}")
        self.processes = processes
        self.seconds = seconds
        self._running: list[subprocess.Popen[bytes]] = []

    def __str__(self) -> str:
        if not self.processes:
            return "no CPU stress"
        return f"{self.processes} CPU-bound process(es), {self.seconds:g} s at most"

    def __enter__(self) -> CpuStress:
        for _ in range(self.processes):
            self._running.append(subprocess.Popen([sys.executable, "-c", SPIN, str(self.seconds)]))
        return self

    def alive(self) -> int:
        return sum(p.poll() is None for p in self._running)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for process in self._running:
            if process.poll() is None:
                process.kill()
        for process in self._running:
            process.wait(timeout=30)
        self._running.clear()
