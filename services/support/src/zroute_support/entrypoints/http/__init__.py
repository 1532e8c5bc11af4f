"""The support service's HTTP API: one router per resource (``ROUTERS``, in the order the
bootstrap mounts them)."""

from zroute_support.entrypoints.http import (
    agreements,
    audit,
    care_pauses,
    employers,
    interpreters,
    participants,
    partners,
    placements,
    preconditions,
    referrals,
    waiting_list,
)

ROUTERS = [
    partners.router,
    agreements.router,
    care_pauses.router,
    referrals.router,
    preconditions.router,
    placements.router,
    employers.router,
    interpreters.router,
    waiting_list.router,
    participants.router,
    audit.router,
]
