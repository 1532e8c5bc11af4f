"""``zroute-intake serve|migrate``."""

from __future__ import annotations

import sys

from zroute_runtime.cli import main as run

from zroute_intake.bootstrap import definition
from zroute_intake.settings import Settings


def main() -> None:
    sys.exit(run(definition, Settings))
