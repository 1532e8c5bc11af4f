"""One router per resource of the planning API."""

from zroute_planning.entrypoints.http import (
    attendance,
    audit,
    calendar,
    follow_ups,
    groups,
    hours_export,
    modules,
    placements,
    places,
    plans,
    reviews,
    roll_calls,
    waiting_list,
)

ROUTERS = [
    plans.router,
    attendance.router,
    roll_calls.router,
    reviews.router,
    follow_ups.router,
    placements.router,
    groups.router,
    waiting_list.router,
    hours_export.router,
    audit.router,
    calendar.router,
    modules.router,
    places.router,
]
