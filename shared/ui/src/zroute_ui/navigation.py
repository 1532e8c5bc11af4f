"""The main screens of each of the four services, for the navigation that crosses them: a
caseworker on intake's dossier sees planning's plans and support's referrals in the menu,
as far as their roles admit (each screen's roles are those the access matrix grants the
API operation it shows). Each service's start page lists its own."""

from __future__ import annotations

from dataclasses import dataclass

from zroute_runtime.auth import Principal, Role

from zroute_ui.access import api_roles
from zroute_ui.i18n import N_


@dataclass(frozen=True)
class Screen:
    """A link on the start page and in the menu, for the roles that may use it."""

    title: str
    path: str
    roles: frozenset[Role]
    description: str = ""


def _on(service: str, title: str, path: str, operation: str, description: str) -> Screen:
    return Screen(title, path, api_roles(service, operation), description)


PLANS = "GET /participants/{participant_ref}/plan"
SCREENS: dict[str, list[Screen]] = {
    "intake": [
        _on(
            "intake",
            N_("Caseload"),
            "/ui/caseload",
            "GET /participants",
            N_("participants of your municipality, with search"),
        ),
        _on(
            "intake",
            N_("Register a participant"),
            "/ui/participants/new",
            "POST /participants",
            N_("a newcomer on the Z-route"),
        ),
        _on(
            "intake",
            N_("Management report"),
            "/ui/reports/management",
            "GET /reports/management",
            N_("phases, PIP deadlines, hours against the norm, meetings and referrals"),
        ),
    ],
    "planning": [
        _on(
            "planning",
            N_("Plans"),
            "/ui/plans",
            PLANS,
            N_("the programme's plans by stage, and those at risk"),
        ),
        _on(
            "planning",
            N_("Week calendar"),
            "/ui/calendar",
            "GET /groups",
            N_("the groups' sessions in the week"),
        ),
        _on(
            "planning",
            N_("Groups"),
            "/ui/groups",
            "GET /groups",
            N_("the groups that meet; form groups; take a session's roll-call"),
        ),
        _on(
            "planning",
            N_("Waiting list"),
            "/ui/waiting-list",
            "GET /waiting-list",
            N_("who waits for a group, and why"),
        ),
        _on(
            "planning",
            N_("Cohort"),
            "/ui/cohort",
            PLANS,
            N_("how many participants are at each stage"),
        ),
    ],
    "support": [
        _on(
            "support",
            N_("Referrals"),
            "/ui/referrals",
            "GET /referrals",
            N_("care referrals: accept, decline, start and complete"),
        ),
        _on(
            "support",
            N_("Referral board"),
            "/ui/referral-board",
            "GET /referrals",
            N_("the referrals by status and urgency, and the time to acceptance"),
        ),
        _on(
            "support",
            N_("Partners"),
            "/ui/partners",
            "GET /partners",
            N_("the execution partners, their capabilities and capacities"),
        ),
        _on(
            "support",
            N_("Waiting list"),
            "/ui/waiting-list",
            "GET /waiting-list",
            N_("what waits for a partner, and why"),
        ),
        _on(
            "support",
            N_("Preconditions"),
            "/ui/preconditions",
            "GET /preconditions",
            N_("childcare and transport to arrange before the route starts"),
        ),
        _on(
            "support",
            N_("Placements"),
            "/ui/placements",
            "GET /placements",
            N_("participation placements, their job coaches; record a check-in"),
        ),
        _on(
            "support",
            N_("Interpreter requests"),
            "/ui/interpreter-requests",
            "GET /interpreter-requests",
            N_("interpreters for intakes and progress meetings: confirm or decline"),
        ),
        _on(
            "support",
            N_("Employers"),
            "/ui/employers",
            "GET /employers",
            N_("the employers offering workplaces, and how they are reached; register one"),
        ),
        _on(
            "support",
            N_("Agreements"),
            "/ui/agreements",
            "POST /programmes/{programme_id}/agreements",
            N_("who does which task: record a new version of a programme's agreement"),
        ),
    ],
    "notifications": [
        Screen(
            N_("Programmes"),
            "/ui/programmes",
            frozenset({Role.COORDINATOR, Role.OPERATOR}),  # no API operation lists programmes
            N_("each programme's consultation overview"),
        ),
        _on(
            "notifications",
            N_("Delivery log"),
            "/ui/deliveries",
            "GET /notifications",
            N_("every message and its delivery; send a failed one again"),
        ),
        _on(
            "notifications",
            N_("Communication matrix"),
            "/ui/matrix",
            "GET /matrix",
            N_("who is told of each event, along which channels and when"),
        ),
        _on(
            "notifications",
            N_("Inbox"),
            "/ui/inbox",
            "GET /inbox/{kind}/{ref}",
            N_("the messages placed in an inbox"),
        ),
        _on(
            "notifications",
            N_("Webhook subscriptions"),
            "/ui/subscriptions",
            "GET /subscriptions",
            N_("the partners' webhook subscriptions and their state"),
        ),
        Screen(
            N_("Dead letters"),
            "/ui/dead-letters",
            frozenset({Role.OPERATOR}),  # the broker's dead letters: no operation of the matrix
            N_("messages a service gave up on, with the reason; replay them"),
        ),
    ],
}


def visible(screens: list[Screen], principal: Principal | None) -> list[Screen]:
    """The screens ``principal``'s roles admit (none without a session)."""
    if principal is None:
        return []
    return [s for s in screens if principal.has_any_role(*s.roles)]
