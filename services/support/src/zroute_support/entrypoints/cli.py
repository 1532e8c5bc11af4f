"""``zroute-support serve|migrate``."""

from __future__ import annotations

import sys

from zroute_runtime.cli import main as run

from zroute_support.bootstrap import definition
from zroute_support.settings import Settings


def main() -> None:
    sys.exit(run(definition, Settings))
