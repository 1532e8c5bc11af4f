"""The referrals page and its actions (each a form with the CSRF token, then back to
the list with a confirmation)."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, HTTPException
from fastapi.responses import Response
from zroute_runtime.auth import Role
from zroute_runtime.clock import local_day
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, Page, UiKit, cards

from zroute_support.domain.errors import DomainError, Forbidden, NotFound
from zroute_support.entrypoints.http.deps import deps_of
from zroute_support.entrypoints.http.schemas import CompleteIn
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import referral_actions
from zroute_support.ui.work_unit import unit_of_work

# Where the interpreter of a referral's intake stands (issue 18 item 4).
INTERPRETER_STATUS = {
    "requested": N_("interpreter requested"),
    "confirmed": N_("interpreter confirmed"),
    "declined": N_("interpreter declined"),
    "unrouted": N_("no interpreter partner named"),
}
STATUS = {
    "requested": N_("requested"),
    "accepted": N_("accepted"),
    "rejected": N_("declined"),
    "in-progress": N_("in progress"),
    "on-hold": N_("on hold"),
    "failed": N_("failed"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
}
CATEGORY = {
    "physical_care": N_("physical care"),
    "mental_health_care": N_("mental health care"),
    "debt_finance": N_("debts and finances"),
}
URGENCY = {
    "routine": N_("routine"),
    "urgent": N_("urgent"),
    "asap": N_("as soon as possible"),
    "stat": N_("immediately"),
}
# The configured reason lists' codes (settings.py): a label each; a code configured
# later without one is shown readable (underscores as spaces), never as the API spells it.
REASONS = {
    "no_capacity": N_("no capacity"),
    "outside_expertise": N_("outside our expertise"),
    "not_eligible": N_("not eligible"),
    "participant_unreachable": N_("participant unreachable"),
    "other": N_("other"),
    "participant_unavailable": N_("participant unavailable"),
    "waiting_for_information": N_("waiting for information"),
    "participant_ill": N_("participant ill"),
    "goal_reached": N_("goal reached"),
    "partially_reached": N_("partly reached"),
    "participant_declined": N_("participant declined"),
    "needs_other_care": N_("needs other care"),
    "care_signal": N_("care signal"),
    "participant_request": N_("at the participant's request"),
    "caseworker_observation": N_("caseworker's observation"),
    "partner_observation": N_("partner's observation"),
    "crisis": N_("crisis"),
    "offered_by_municipality": N_("offered by the municipality"),
    "not_contracted": N_("not contracted"),
    "no_provider_available": N_("no provider available"),
    "employer_dropped_out": N_("employer dropped out"),
    "no_workplace_available": N_("no workplace available"),
    "hours_not_feasible": N_("hours not feasible"),
    "support_not_available": N_("support not available"),
}
DONE = {
    "accept": N_("The referral is accepted."),
    "decline": N_("The referral is declined."),
    "start": N_("The referral is started."),
    "complete": N_("The referral is completed."),
}


ACCEPTED = {"accepted", "in-progress", "on-hold", "completed"}


async def partner_names(page: Page, refs: list[str], purpose: str) -> dict[str, cards.Shown]:
    """Names from intake's contact cards, for partner staff (the card is theirs to ask
    for); other roles see references."""
    if Role.PARTNER_STAFF not in page.principal.roles or not refs:
        return {}
    return await cards.names(page, refs, purpose)


def add(kit: UiKit) -> None:
    Staff = Annotated[Page, Depends(kit.api_page("GET /referrals"))]
    Actors = Annotated[
        Page, Depends(kit.api_page(*(f"POST /referrals/{{referral_id}}/{a}" for a in DONE)))
    ]

    @kit.router.get("/referrals")
    async def referrals(page: Staff, runtime: Runtime) -> Response:
        principal = page.principal
        async with unit_of_work(runtime, page) as uow:
            found = await views.referrals(uow, principal)
            interpreters = await views.referral_interpreters(uow, found)
        rules = deps_of(runtime)
        # Names only on referrals the partner accepted (issue 18.2): a request still to
        # answer shows the reference, as the partner has no relation yet.
        taken = [r.participant_ref for r in found if r.status.value in ACCEPTED]
        return page.render(
            "referrals.html.j2",
            referrals=found,
            shown=await partner_names(page, taken, "start_care"),
            performer=principal.partner_scope(),
            status_labels=STATUS,
            categories=CATEGORY,
            urgencies=URGENCY,
            decline_reasons=rules.decline_reasons,
            outcome_reasons=rules.outcome_reasons,
            reasons=REASONS,
            interpreters=interpreters,
            interpreter_statuses=INTERPRETER_STATUS,
        )

    @kit.router.post("/referrals/{referral_id}/{action}")
    async def act(referral_id: UUID, action: str, page: Actors, runtime: Runtime) -> Response:
        if action not in DONE:
            raise HTTPException(404, "no such action")
        reason = page.form.get("reason") or None
        kw: dict[str, Any] = {}
        if action == "decline":
            kw = {"reason": reason or "", "reroute": None}
        elif action == "complete":
            kw = {
                "outcome": CompleteIn(
                    successful=reason in (None, "goal_reached", "partially_reached"),
                    service_delivered=True,
                    delivered_on=local_day(runtime.clock.now()),
                    reason=reason,
                ).outcome()
            }
        try:
            async with unit_of_work(runtime, page) as uow:
                await referral_actions.act(
                    uow, deps_of(runtime), page.principal, referral_id, action, **kw
                )
                await uow.commit()
        except Forbidden as exc:
            raise HTTPException(403, "forbidden") from exc
        except NotFound as exc:
            raise HTTPException(404, "no such referral") from exc
        except DomainError:
            page.flash("error", N_("The referral cannot be changed like that now."))
        else:
            page.flash("ok", DONE[action])
        return page.redirect("/ui/referrals")
