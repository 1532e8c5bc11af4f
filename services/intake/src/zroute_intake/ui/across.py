"""The participant across the four services, in the caseworker's dossier (issues 15.3,
15.6, 19): the providers' reports beside a progress meeting (W 35(3): hours from
planning, referral outcomes from support), a timeline (plan, hours, groups, referrals,
placements, preconditions) and the audit trail of every service, each read from that
service's API with the logged-in user's own token (``zroute_ui.remote``). A service that
is down, or that refuses the user, shows as such in its section; the page still answers.
"""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException
from fastapi.responses import Response
from zroute_contract.errors import DomainError
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, Page, UiKit
from zroute_ui.remote import Answer, read_all

from zroute_intake.service_layer import views

SERVICES = ("intake", "planning", "support", "notifications")
AUDIT = "/participants/{ref}/audit"
SECTION_SERVICES = {
    "planning": N_("Planning"),
    "support": N_("Support"),
    "intake": N_("Intake"),
    "notifications": N_("Notifications"),
}


TIMELINE = {
    "plan": N_("plan"),
    "group": N_("group"),
    "term_end": N_("term ends"),
    "referral": N_("referral"),
    "placement": N_("placement"),
    "precondition": N_("precondition"),
}
HOURS = {
    "language": N_("language (NT2)"),
    "knm": N_("KNM"),
    "participation": N_("participation"),
    "map": N_("MAP"),
}


def _timeline(
    plan: Answer, referrals: Answer, placements: Answer, preconditions: Answer, ref: str
) -> list[tuple[str, str, str, str]]:
    """(day, service, what (a key of TIMELINE), codes) of the participant's route, oldest
    first, from what answered."""
    events: list[tuple[str, str, str, str]] = []
    if plan.ok:
        p = plan.data
        start = p.get("start_on") or ""
        events.append((start, "planning", "plan", p["status"]))
        if p.get("group_id"):
            events.append((start, "planning", "group", str(p["group_id"])))
        events.append((p["integration_term_end"], "planning", "term_end", ""))
    for r in _mine(referrals, ref):
        events.append(
            (r["answer_due_by"][:10], "support", "referral", f"{r['category']}: {r['status']}")
        )
    for p in _mine(placements, ref):
        events.append((p["needed_by"], "support", "placement", f"{p['activity']}: {p['status']}"))
    for c in _mine(preconditions, ref):
        day = c.get("arranged_from") or c.get("lapsed_on") or ""
        events.append((day, "support", "precondition", f"{c['kind']}: {c['status']}"))
    return sorted(events)


def _mine(answer: Answer, ref: str) -> list[dict[str, Any]]:
    if not answer.ok or not isinstance(answer.data, list):
        return []
    return [row for row in answer.data if row.get("participant_ref") == ref]


def _trail(answers: dict[str, Answer]) -> list[dict[str, Any]]:
    rows = [
        entry
        for name in SERVICES
        if answers[f"audit_{name}"].ok
        for entry in answers[f"audit_{name}"].data
    ]
    return sorted(rows, key=lambda e: datetime.fromisoformat(e["at"]), reverse=True)


def add(kit: UiKit) -> None:
    Reader = Annotated[Page, Depends(kit.api_page("GET /participants/{participant_ref}/audit"))]

    @kit.router.get("/participants/{ref}/across")
    async def across(ref: str, page: Reader, runtime: Runtime) -> Response:
        """The participant across the services, as this user may read each of them."""
        import re

        if not re.fullmatch(PARTICIPANT_REF_PATTERN, ref):
            raise HTTPException(404, "no such participant")
        async with runtime.uow() as uow:
            try:
                participant = await views.participant(uow, page.principal, ref)
            except DomainError as exc:
                raise HTTPException(403 if "municipality" in exc.reason else 404) from None
        programme = {"programme_id": participant.programme_id}
        requests: dict[str, tuple[str, str, Any]] = {
            f"audit_{name}": (name, AUDIT.format(ref=ref), None) for name in SERVICES
        }
        requests |= {
            "plan": ("planning", f"/participants/{ref}/plan", None),
            "hours": ("planning", f"/participants/{ref}/hours", None),
            "referrals": ("support", "/referrals", programme),
            "placements": ("support", "/placements", programme),
            "preconditions": ("support", "/preconditions", programme),
        }
        answers = await read_all(page, requests)
        return page.render(
            "across.html.j2",
            p=participant,
            answers=answers,
            audited=SERVICES,
            service_names=SECTION_SERVICES,
            timeline=_timeline(
                answers["plan"],
                answers["referrals"],
                answers["placements"],
                answers["preconditions"],
                ref,
            ),
            trail=_trail(answers),
            timeline_labels=TIMELINE,
            hour_labels=HOURS,
            referrals=_mine(answers["referrals"], ref),
        )
