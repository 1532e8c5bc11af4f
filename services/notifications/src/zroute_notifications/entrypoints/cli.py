"""``zroute-notifications serve|migrate``."""

from __future__ import annotations

import sys

from zroute_runtime.cli import main as run

from zroute_notifications.bootstrap import definition
from zroute_notifications.settings import Settings


def main() -> None:
    sys.exit(run(definition, Settings))
