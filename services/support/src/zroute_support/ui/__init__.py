"""The support service's screens under ``/ui/``: the referrals, for the care partner to
accept, decline, start and complete its own, and for the municipality to follow; the
care coordinator's partners, the agreement editor, the waiting list and preconditions;
the placements with their check-ins; the referral board.

The same rules as the API's ``/referrals``: partner staff see and act on their own
partner's referrals only, caseworkers and coordinators see their municipality's; every
action goes through the API's own command (``referral_actions.act``: the referral rules, the
partner check).
"""

from pathlib import Path

from fastapi import APIRouter
from zroute_ui import UiKit, UiSettings, navigation, service_roles

from zroute_support.ui import agreements, board, employers, interpreters, pages, work

SCREENS = navigation.SCREENS["support"]


def router(settings: UiSettings) -> APIRouter:
    kit = UiKit(
        "support",
        settings,
        templates=Path(__file__).parent / "templates",
        screens=SCREENS,
        start_roles=sorted(service_roles("support")),
    )
    pages.add(kit)
    agreements.add(kit)
    work.add(kit)
    board.add(kit)
    employers.add(kit)
    interpreters.add(kit)
    return kit.build()
