"""The planning service's screens under ``/ui/``, for the language school's planners and
teachers (partner staff) and the municipality's coordinators and caseworkers: the
programme's plans by stage and at risk, a plan with its hours against the targets and the
ramp-up, the groups' week as a calendar, the groups with group formation, the waiting
list, the roll-call per session and the cohort by stage.

Each page admits the roles the access matrix grants the API operation it shows
(:func:`zroute_ui.api_roles`), and reads through ``service_layer/views.py`` with the API's
scopes: a municipality's staff see its participants, a partner's staff the programmes
their partner teaches.
"""

from pathlib import Path

from fastapi import APIRouter
from zroute_ui import UiKit, UiSettings, navigation, service_roles

from zroute_planning.ui import attendance, calendar, groups, pages, roll_call

SCREENS = navigation.SCREENS["planning"]


def router(settings: UiSettings) -> APIRouter:
    """The screens' router (the kit's login and layout, then the pages)."""
    kit = UiKit(
        "planning",
        settings,
        templates=Path(__file__).parent / "templates",
        screens=SCREENS,
        start_roles=sorted(service_roles("planning")),
    )
    pages.add(kit)
    groups.add(kit)
    roll_call.add(kit)
    attendance.add(kit)
    calendar.add(kit)
    return kit.build()
