"""The planning service starts without OR-Tools: the solver is imported only when a
formation needs CP-SAT (a few tens of MB less for a partner's small virtual machine)."""

from __future__ import annotations

import subprocess
import sys


def test_the_service_entry_point_does_not_load_the_solver():
    probe = (
        "import sys, zroute_planning.bootstrap, zroute_planning.domain.solver;"
        "print(sorted(m for m in ('ortools', 'pandas', 'numpy') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
