"""The caseworker's screens under ``/ui/``: the caseload and the dossier.

The same role sets as the API (``entrypoints.http.deps``): reads for caseworkers and
the coordinator, personal data for caseworkers only, always with a stated purpose that
is written to the access log, as ``GET /participants/{ref}?purpose=...`` does.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from zroute_runtime.auth import Role
from zroute_ui import N_, Screen, UiKit, UiSettings

from zroute_intake.ui import pages, register

READERS = (Role.CASEWORKER, Role.COORDINATOR)
SCREENS = [
    Screen(
        N_("Caseload"),
        "/ui/caseload",
        frozenset(READERS),
        N_("participants of your municipality, with search"),
    ),
    Screen(
        N_("Register a participant"),
        "/ui/participants/new",
        frozenset({Role.CASEWORKER}),
        N_("a newcomer on the Z-route"),
    ),
]


def router(settings: UiSettings) -> APIRouter:
    kit = UiKit(
        "intake",
        settings,
        templates=Path(__file__).parent / "templates",
        screens=SCREENS,
        start_roles=(*READERS, Role.OPERATOR),
    )
    register.add(kit)  # before pages: /participants/new before /participants/{ref}
    pages.add(kit)
    return kit.build()
