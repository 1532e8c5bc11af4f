"""Interpreters and the lead partner on screen (issue 18 item 4, issue 19): the interpreter
partner's staff see their interpreter requests and confirm or decline them (with a reason
from the configured list); the care coordinator sees a participant's lead partner and sets
one with a reason. Every action goes through the API's own command
(``interpreters.confirm``/``decline``, ``lead_partner.set_lead_partner``), with its checks."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, HTTPException
from fastapi import Path as PathParam
from fastapi.responses import Response
from zroute_contract.errors import DomainError, Forbidden, NotFound
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, UiKit, api_roles

from zroute_support.entrypoints.http.deps import deps_of
from zroute_support.entrypoints.http.interpreters import InterpreterRequestOut
from zroute_support.service_layer.handlers import interpreters
from zroute_support.service_layer.handlers import lead_partner as lead
from zroute_support.ui.pages import partner_names
from zroute_support.ui.work_unit import unit_of_work

CONFIRM = "POST /interpreter-requests/{request_id}/confirm"
DECLINE = "POST /interpreter-requests/{request_id}/decline"
LEAD_READ = "GET /participants/{participant_ref}/lead-partner"
LEAD_SET = "PUT /participants/{participant_ref}/lead-partner"
REF_PATTERN = r"^zr-[0-9a-f]{32}$"
APPOINTMENT = {
    "intake": N_("intake"),
    "progress_meeting": N_("progress meeting"),
    "referral_intake": N_("referral intake"),
}
REQUEST_STATUS = {
    "requested": N_("requested"),
    "confirmed": N_("confirmed"),
    "declined": N_("declined"),
    "cancelled": N_("cancelled"),
    "withdrawn": N_("withdrawn"),
}
DECLINE_REASON = {
    "no_interpreter_available": N_("no interpreter available"),
    "language_not_offered": N_("language not offered"),
    "too_short_notice": N_("too short notice"),
    "other": N_("other"),
}
LEAD_REASON = {
    "continuity_of_care": N_("continuity of care"),
    "main_activity_elsewhere": N_("main activity with another partner"),
    "participant_preference": N_("the participant's preference"),
    "back_to_programme_default": N_("back to the programme's lead partner"),
    "other": N_("other"),
}


async def requests_page(page: Page, runtime: Any) -> Response:
    """The caller's interpreter requests (the partner's own, or the municipality's)."""
    async with unit_of_work(runtime, page) as uow:
        found = await interpreters.list_requests(uow, page.principal)
    rows = sorted((InterpreterRequestOut.of(r) for r in found), key=lambda r: r.starts_at)
    return page.render(
        "interpreters.html.j2",
        rows=rows,
        shown=await partner_names(page, [r.participant_ref for r in rows], "interpret"),
        appointments=APPOINTMENT,
        statuses=REQUEST_STATUS,
        reasons=DECLINE_REASON,
        may_answer=page.principal.has_any_role(*api_roles("support", CONFIRM)),
        may_read_lead=page.principal.has_any_role(*api_roles("support", LEAD_READ)),
    )


async def answer(page: Page, runtime: Any, request_id: UUID, action: str) -> Response:
    """Confirm or decline one request through the API's command; a refusal is a flash."""
    reason = page.form.get(f"reason-{request_id}", "")
    if action == "decline" and reason not in DECLINE_REASON:
        page.flash("error", N_("Choose why you decline the request."))
        return page.redirect("/ui/interpreter-requests")
    try:
        async with unit_of_work(runtime, page) as uow:
            if action == "confirm":
                await interpreters.confirm(uow, page.principal, request_id)
            else:
                deps = deps_of(runtime)
                await interpreters.decline(uow, page.principal, request_id, reason, deps)
            await uow.commit()
    except Forbidden as exc:
        raise HTTPException(403, "another partner's interpreter request") from exc
    except NotFound as exc:
        raise HTTPException(404, "no such interpreter request") from exc
    except DomainError:
        page.flash("error", N_("This request cannot be answered now."))
        return page.redirect("/ui/interpreter-requests")
    done = (
        N_("The interpreter is confirmed.")
        if action == "confirm"
        else N_("The request is declined.")
    )
    page.flash("ok", done)
    return page.redirect("/ui/interpreter-requests")


async def lead_page(
    page: Page, runtime: Any, ref: str, errors: FormErrors | None = None, status_code: int = 200
) -> Response:
    """The participant's lead partner (their own or the programme's) and, for the
    coordinator, the form to set it."""
    try:
        async with unit_of_work(runtime, page) as uow:
            found = await lead.lead_partner(uow, page.principal, ref)
    except Forbidden as exc:
        raise HTTPException(403, "another municipality's participant") from exc
    except NotFound as exc:
        raise HTTPException(404, "no such participant") from exc
    return page.render(
        "lead_partner.html.j2",
        lead=found,
        reasons=LEAD_REASON,
        values=page.form if errors else {},
        errors=errors or FormErrors(),
        may_set=page.principal.has_any_role(*api_roles("support", LEAD_SET)),
        status_code=status_code,
    )


async def set_lead(page: Page, runtime: Any, ref: str) -> Response:
    """The coordinator sets the lead partner with a reason (empty: the programme's)."""
    partner = page.form.get("partner_id", "").strip() or None
    reason = page.form.get("reason", "")
    errors = FormErrors()
    if reason not in LEAD_REASON:
        errors.add("reason", N_("Choose why you set the lead partner."))
        return await lead_page(page, runtime, ref, errors, 422)
    try:
        async with unit_of_work(runtime, page) as uow:
            await lead.set_lead_partner(uow, page.principal, deps_of(runtime), ref, partner, reason)
            await uow.commit()
    except Forbidden as exc:
        raise HTTPException(403, "another municipality's participant") from exc
    except NotFound:
        errors.add("partner_id", N_("Choose a partner of the programme."))
    except DomainError:
        errors.add("partner_id", N_("This partner cannot lead this participant."))
    if errors:
        return await lead_page(page, runtime, ref, errors, 422)
    page.flash("ok", N_("The lead partner is set."))
    return page.redirect(f"/ui/participants/{ref}/lead-partner")


def add(kit: UiKit) -> None:
    Readers = Annotated[Page, Depends(kit.api_page("GET /interpreter-requests"))]
    Answerers = Annotated[Page, Depends(kit.api_page(CONFIRM, DECLINE))]
    LeadReaders = Annotated[Page, Depends(kit.api_page(LEAD_READ))]
    LeadSetters = Annotated[Page, Depends(kit.api_page(LEAD_SET))]
    Ref = Annotated[str, PathParam(pattern=REF_PATTERN)]

    @kit.router.get("/interpreter-requests")
    async def interpreter_requests(page: Readers, runtime: Runtime) -> Response:
        return await requests_page(page, runtime)

    @kit.router.post("/interpreter-requests/{request_id}/confirm")
    async def confirm(request_id: UUID, page: Answerers, runtime: Runtime) -> Response:
        return await answer(page, runtime, request_id, "confirm")

    @kit.router.post("/interpreter-requests/{request_id}/decline")
    async def decline(request_id: UUID, page: Answerers, runtime: Runtime) -> Response:
        return await answer(page, runtime, request_id, "decline")

    @kit.router.get("/participants/{participant_ref}/lead-partner")
    async def lead_partner(participant_ref: Ref, page: LeadReaders, runtime: Runtime) -> Response:
        return await lead_page(page, runtime, participant_ref)

    @kit.router.post("/participants/{participant_ref}/lead-partner")
    async def set_lead_partner(
        participant_ref: Ref, page: LeadSetters, runtime: Runtime
    ) -> Response:
        return await set_lead(page, runtime, participant_ref)
