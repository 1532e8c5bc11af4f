"""The waiting list, the preconditions and the placements with their check-ins.

Each page reads through the API's own views (``views.waiting``, ``views.preconditions``,
``views.placements``), so it keeps the API's partner and municipality scope; a check-in
goes through the API's own command (``placements.check_in_as``: the placement's partner
or job-coach partner only)."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from datetime import date
from typing import Annotated
from uuid import UUID

from babel.dates import format_date
from fastapi import Depends, HTTPException
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, UiKit, api_roles, iso_day
from zroute_ui.i18n import translations

from zroute_support.domain.errors import DomainError, Forbidden, NotFound
from zroute_support.domain.routing import WaitCode, WaitingReason
from zroute_support.entrypoints.http.deps import deps_of
from zroute_support.entrypoints.http.placements import CheckInIn, PlacementOut
from zroute_support.entrypoints.http.preconditions import PreconditionOut
from zroute_support.service_layer import views
from zroute_support.service_layer.handlers import placements as placement_commands
from zroute_support.ui.agreements import CAPABILITIES
from zroute_support.ui.pages import partner_names
from zroute_support.ui.work_unit import unit_of_work

CHECK_IN_ROLES = tuple(sorted(api_roles("support", "POST /placements/{request_id}/check-ins")))
WORKPLACE_HOURS_ROLES = tuple(
    sorted(api_roles("planning", "POST /participants/{participant_ref}/attendance"))
)
"""Who may record workplace hours: planning's API records them (attendance of kind
participation, the task division's partner check), so the placements page links to
planning's attendance page for the roles planning's matrix grants it."""
PARTY = {"participant": N_("the participant"), "employer": N_("the employer")}
OUTCOME = {
    "on_track": N_("on track"),
    "support_increased": N_("more support"),
    "concerns": N_("concerns"),
    "placement_at_risk": N_("placement at risk"),
}
PLACEMENT_STATUS = {
    "open": N_("open"),
    "waiting": N_("waiting"),
    "confirmed": N_("confirmed"),
    "cancelled": N_("cancelled"),
    "ended": N_("ended"),
}
PRECONDITION_STATUS = {
    "needed": N_("needed"),
    "arranged": N_("arranged"),
    "lapsed": N_("lapsed"),
    "not_needed": N_("not needed"),
    "ended": N_("ended"),
}
# Configured kinds without a label here show their code in words (issue 17 item 8).
KIND = {
    "childcare": N_("childcare"),
    "transport": N_("transport"),
    "digital_device": N_("digital device"),
    "medical_aid": N_("medical aid"),
}
LAPSE = {
    "ended": N_("the arrangement ended"),
    "schedule_not_covered": N_("the schedule is no longer covered"),
    "partner_stopped": N_("the partner stopped"),
    "participant_stopped": N_("the participant stopped"),
}
# Why work waits (the domain's codes, ``domain.routing.WaitCode``), with its parameters.
WAITING_REASON = {
    WaitCode.NO_AGREEMENT: N_("No agreement is in force for %(programme)s on %(day)s."),
    WaitCode.NO_RESPONSIBLE_PARTNER: N_(
        "The agreement names no partner responsible for %(capability)s."
    ),
    WaitCode.NO_PARTNER_SERVES: N_("No other partner for %(capability)s serves %(municipality)s."),
    WaitCode.AT_CAPACITY: N_("Every partner for %(capability)s is at capacity."),
    WaitCode.KIND_NOT_CONFIGURED: N_("Support has no partner configured for %(kind)s."),
}


def waiting_reason_text(reason: WaitingReason | None, language: str) -> str:
    """Why the work waits, in the page's language: the code's sentence with its
    parameters (a capability by its label, a day written out). A reason recorded before
    the codes is the English sentence it was."""
    if reason is None:
        return ""
    gettext = translations(language).gettext
    params = reason.parameters
    sentence = WAITING_REASON.get(reason.code)
    if sentence is None:
        return params.get("text", "")
    if "capability" in params and params["capability"] in CAPABILITIES:
        params["capability"] = gettext(CAPABILITIES[params["capability"]])
    if "kind" in params and params["kind"] in KIND:
        params["kind"] = gettext(KIND[params["kind"]])
    try:
        if "day" in params:
            day = date.fromisoformat(params["day"])
            params["day"] = format_date(day, "long", locale=language)
        return gettext(sentence) % params
    except (KeyError, TypeError, ValueError):
        return reason.sentence()  # parameters that do not fit: the API's sentence


def add(kit: UiKit) -> None:
    Waiting = Annotated[Page, Depends(kit.api_page("GET /waiting-list"))]
    Preconditions = Annotated[Page, Depends(kit.api_page("GET /preconditions"))]
    Staff = Annotated[Page, Depends(kit.api_page("GET /placements"))]
    Actors = Annotated[Page, Depends(kit.api_page("POST /placements/{request_id}/check-ins"))]

    @kit.router.get("/waiting-list")
    async def waiting_list(page: Waiting, runtime: Runtime) -> Response:
        async with unit_of_work(runtime, page) as uow:
            rows = await views.waiting(uow, page.principal)
        return page.render(
            "waiting.html.j2",
            rows=[(w, waiting_reason_text(w.reason, page.language)) for w in rows],
            capabilities=CAPABILITIES,
        )

    @kit.router.get("/preconditions")
    async def preconditions(page: Preconditions, runtime: Runtime) -> Response:
        async with unit_of_work(runtime, page) as uow:
            found = await views.preconditions(uow, page.principal)
        rows = [
            (PreconditionOut.of(p), waiting_reason_text(p.waiting_reason, page.language))
            for p in found
        ]
        return page.render(
            "preconditions.html.j2",
            rows=rows,
            statuses=PRECONDITION_STATUS,
            kinds=KIND,
            lapses=LAPSE,
        )

    @kit.router.get("/placements")
    async def placements(page: Staff, runtime: Runtime) -> Response:
        return await _placements(page, runtime)

    @kit.router.post("/placements/{request_id}/check-ins")
    async def record_check_in(request_id: UUID, page: Actors, runtime: Runtime) -> Response:
        errors = FormErrors()
        try:
            body = CheckInIn.model_validate(
                {
                    "party": page.form.get("party", ""),
                    "held_on": iso_day(page.form.get("held_on")) or None,
                    "outcome": page.form.get("outcome", ""),
                }
            )
        except ValidationError:
            errors.add(
                f"held_on-{request_id}",
                N_("Enter the day of the check-in as a date: day-month-year, like 12-01-2027."),
            )
            return await _placements(page, runtime, errors=errors, status_code=422)
        try:
            async with unit_of_work(runtime, page) as uow:
                await placement_commands.check_in_as(
                    uow,
                    deps_of(runtime),
                    page.principal,
                    request_id,
                    body.party,
                    body.held_on,
                    body.outcome,
                )
                await uow.commit()
        except Forbidden as exc:
            raise HTTPException(403, "another partner's placement") from exc
        except NotFound as exc:
            raise HTTPException(404, "no such placement") from exc
        except DomainError:
            page.flash("error", N_("The check-in cannot be recorded for this placement now."))
        else:
            page.flash("ok", N_("The check-in is recorded."))
        return page.redirect("/ui/placements")


def planning_url(page: Page) -> str | None:
    """Planning's screens, where a job coach records workplace hours (None: not configured
    here, or the user's roles may not record hours there)."""
    url = page.kit.settings.ui_service_urls.get("planning")
    if not url or not page.principal.has_any_role(*WORKPLACE_HOURS_ROLES):
        return None
    return str(url).rstrip("/")


async def _placements(
    page: Page, runtime: object, *, errors: FormErrors | None = None, status_code: int = 200
) -> Response:
    async with unit_of_work(runtime, page) as uow:
        rows = [PlacementOut.of(p) for p in await views.placements(uow, page.principal)]
        employers = await views.employer_names(uow, {r.employer_id for r in rows if r.employer_id})
    return page.render(
        "placements.html.j2",
        rows=rows,
        employers=employers,
        shown=await partner_names(
            page, [r.participant_ref for r in rows if r.partner_id], "arrange_placement"
        ),
        statuses=PLACEMENT_STATUS,
        parties=PARTY,
        outcomes=OUTCOME,
        errors=errors or FormErrors(),
        may_check_in=page.principal.has_any_role(*CHECK_IN_ROLES),
        planning_url=planning_url(page),
        status_code=status_code,
    )
