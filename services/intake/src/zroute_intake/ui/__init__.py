"""The caseworker's screens under ``/ui/``: the caseload and the dossier.

Each page admits the roles the access matrix grants the API operation it shows
(``zroute_ui.api_roles``): reads for caseworkers and the coordinator; personal data for
caseworkers only (finer than the matrix, as the API's own route is), always with a
stated purpose that is written to the access log, as
``GET /participants/{ref}?purpose=...`` does.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from zroute_ui import UiKit, UiSettings, navigation, service_roles

from zroute_intake.ui import (
    across,
    broad_intake,
    dossier_actions,
    intake_outcome,
    intake_planning,
    pages,
    pip,
    pip_forms,
    register,
    reports,
)

SCREENS = navigation.SCREENS["intake"]


def router(settings: UiSettings) -> APIRouter:
    kit = UiKit(
        "intake",
        settings,
        templates=Path(__file__).parent / "templates",
        screens=SCREENS,
        start_roles=sorted(service_roles("intake")),
    )
    register.add(kit)  # before pages: /participants/new before /participants/{ref}
    pages.add(kit)
    dossier_actions.add(kit)
    intake_planning.add(kit)
    intake_outcome.add(kit)
    pip_forms.add(kit)  # before pip: /pip/draft
    pip.add(kit)
    broad_intake.add(kit)
    across.add(kit)
    reports.add(kit)
    return kit.build()
