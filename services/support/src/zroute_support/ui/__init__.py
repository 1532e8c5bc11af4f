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
from zroute_ui import N_, Screen, UiKit, UiSettings, api_roles, service_roles

from zroute_support.ui import agreements, board, pages, work

SCREENS = [
    Screen(
        N_("Referrals"),
        "/ui/referrals",
        api_roles("support", "GET /referrals"),
        N_("care referrals: accept, decline, start and complete"),
    ),
    Screen(
        N_("Referral board"),
        "/ui/referral-board",
        api_roles("support", "GET /referrals"),
        N_("the referrals by status and urgency, and the time to acceptance"),
    ),
    Screen(
        N_("Partners"),
        "/ui/partners",
        api_roles("support", "GET /partners"),
        N_("the execution partners, their capabilities and capacities"),
    ),
    Screen(
        N_("Waiting list"),
        "/ui/waiting-list",
        api_roles("support", "GET /waiting-list"),
        N_("what waits for a partner, and why"),
    ),
    Screen(
        N_("Preconditions"),
        "/ui/preconditions",
        api_roles("support", "GET /preconditions"),
        N_("childcare and transport to arrange before the route starts"),
    ),
    Screen(
        N_("Placements"),
        "/ui/placements",
        api_roles("support", "GET /placements"),
        N_("participation placements, their job coaches; record a check-in"),
    ),
    Screen(
        N_("Agreements"),
        "/ui/agreements",
        api_roles("support", "POST /programmes/{programme_id}/agreements"),
        N_("who does which task: record a new version of a programme's agreement"),
    ),
]


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
    return kit.build()
