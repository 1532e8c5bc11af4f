"""The intake pages: the caseload (search, pagination) and a participant's dossier."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
import re
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query
from fastapi.responses import Response
from zroute_contract.types import PARTICIPANT_REF_PATTERN
from zroute_runtime.auth import Role
from zroute_runtime.http_host import Runtime, command_context
from zroute_ui import N_, FormErrors, Page, Pagination, UiKit, api_roles

from zroute_intake.domain.errors import DomainError, Forbidden
from zroute_intake.domain.interpreters import intake_interpreter, meeting_interpreters
from zroute_intake.domain.name_search import query_parts
from zroute_intake.domain.participant import Participant
from zroute_intake.domain.values import Status
from zroute_intake.entrypoints.http.deps import intake_dependencies
from zroute_intake.entrypoints.http.schemas import AccessPurpose
from zroute_intake.service_layer import views
from zroute_intake.ui import dossier_parts, life_domains

PER_PAGE = 25
STATUS_LABELS = {
    Status.REGISTERED: N_("Registered"),
    Status.INTAKE_SCHEDULED: N_("Intake scheduled"),
    Status.INTAKE_COMPLETED: N_("Intake completed"),
    Status.WITHDRAWN: N_("Withdrawn"),
    Status.ROUTE_COMPLETED: N_("Route completed"),
}
PURPOSE_LABELS = {
    AccessPurpose.INTAKE_PREPARATION: N_("Preparing the intake"),
    AccessPurpose.CONTACT_PARTICIPANT: N_("Contacting the participant"),
    AccessPurpose.PIP_DRAFTING: N_("Drafting the PIP"),
    AccessPurpose.IDENTITY_CHECK: N_("Checking identity"),
    AccessPurpose.PARTICIPANT_REQUEST: N_("At the participant's request"),
    AccessPurpose.LEGAL_OBLIGATION: N_("Legal obligation"),
}
CODE_LABELS = {
    # contact person: why assigned
    "first_assignment": N_("first assignment"),
    "handover": N_("handover"),
    "absence_cover": N_("cover during absence"),
    # intake attendees
    "language_partner": N_("language partner"),
    "participation_partner": N_("participation partner"),
    "care_partner": N_("care partner"),
    "interpreter": N_("interpreter"),
    "coordinator": N_("coordinator"),
    "caseworker": N_("caseworker"),
    # interpreter booking
    "in_person": N_("in person"),
    "phone": N_("by phone"),
    "video": N_("by video"),
    "requested": N_("requested"),
    "booked": N_("booked"),
    "confirmed": N_("confirmed"),
    "declined": N_("declined"),
    # why an interpreter partner declined (support's default list)
    "no_interpreter_available": N_("no interpreter available"),
    "language_not_offered": N_("language not offered"),
    "too_short_notice": N_("too short notice"),
    "other": N_("other"),
    # consent purposes
    "care_referral": N_("referral for care"),
    "partner_sharing": N_("sharing with a partner"),
}
BSN = re.compile(r"^[0-9]{9}$")


def add(kit: UiKit) -> None:
    Reader = Annotated[Page, Depends(kit.api_page("GET /participants"))]
    Dossier = Annotated[Page, Depends(kit.api_page("GET /participants/{participant_ref}"))]
    # Personal data: caseworkers only, finer than the matrix's read (as the API's route is).
    Caseworker = Annotated[Page, Depends(kit.page(Role.CASEWORKER))]

    @kit.router.get("/caseload")
    async def caseload(
        page: Reader,
        runtime: Runtime,
        q: Annotated[str, Query(max_length=64)] = "",
        status: str = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> Response:
        errors = FormErrors()
        by: dict[str, Any] = {}
        term = q.strip().replace(" ", "")
        if term:
            if BSN.match(term):
                by["bsn"] = term
            elif re.fullmatch(PARTICIPANT_REF_PATTERN, term):
                by["ref"] = term
            elif any(c.isalpha() for c in term) and query_parts(q) is not None:
                by["name"] = q  # through the keyed hashes of its parts (name_search)
            else:
                errors.add("q", N_("Enter a BSN of 9 digits or a reference like zr-…"))
        if status and status not in {s.value for s in Status}:
            errors.add("status", N_("Choose a status from the list"))
        elif status:
            by["status"] = Status(status)
        rows: list[dict[str, Any]] = []
        total = 0
        pager = Pagination(page_no, PER_PAGE, 0)
        if not errors:
            deps = intake_dependencies(runtime)
            async with runtime.uow() as uow:
                rows, total = await views.caseload(
                    uow, deps, page.principal, limit=PER_PAGE, offset=pager.offset, **by
                )
            pager = Pagination(page_no, PER_PAGE, total)
        template = (
            "caseload_results.html.j2"
            if page.request.headers.get("hx-request")
            else ("caseload.html.j2")
        )
        return page.render(
            template,
            rows=rows,
            total=total,
            pager=pager,
            q=q,
            status=status,
            errors=errors,
            status_labels=STATUS_LABELS,
            # htmx swaps only 2xx answers: the errors come back in the swapped region.
            status_code=422 if errors and template == "caseload.html.j2" else 200,
        )

    @kit.router.get("/participants/{ref}")
    async def dossier(ref: str, page: Dossier, runtime: Runtime) -> Response:
        participant = await load(runtime, page, ref)
        return await render_dossier(page, runtime, participant)

    @kit.router.post("/participants/{ref}/personal-data")
    async def personal_data(ref: str, page: Caseworker, runtime: Runtime) -> Response:
        """Shows the personal data for a stated purpose, logged as the API's read is."""
        participant = await load(runtime, page, ref)
        errors = FormErrors()
        purpose = page.form.get("purpose", "")
        if purpose not in {p.value for p in AccessPurpose}:
            errors.add("purpose", N_("Choose why you need the personal data"))
        personal = None
        if not errors:
            request_id = getattr(page.request.state, "request_id", None)
            async with runtime.uow(command_context(page.request)) as uow:
                read = await views.personal_data(
                    uow, page.principal, ref, purpose, request_id=request_id
                )
                personal = read.personal
                if personal is not None:
                    await uow.commit()  # the access log's row
                    page.flash("info", N_("This reading is written to the access log."))
            if personal is None:
                errors.add("purpose", N_("The personal data was erased after its retention period"))
        return await render_dossier(
            page,
            runtime,
            participant,
            personal=personal,
            purpose=purpose,
            errors=errors,
            status_code=422 if errors else 200,
        )


async def load(runtime: Runtime, page: Page, ref: str) -> Participant:
    """The participant of the dossier, as the API's read finds it (404, or 403 elsewhere)."""
    if not re.fullmatch(PARTICIPANT_REF_PATTERN, ref):
        raise HTTPException(404, "no such participant")
    async with runtime.uow() as uow:
        try:
            return await views.participant(uow, page.principal, ref)
        except DomainError as exc:
            raise _page_error(exc) from None


async def render_dossier(
    page: Page,
    runtime: Runtime,
    participant: Participant,
    *,
    personal: Any = None,
    purpose: str = "",
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The dossier page; the forms on it (personal data, pause, withdrawal) come back here
    with their errors and the values given."""
    ref = participant.ref
    async with runtime.uow() as uow:
        try:
            series, _ = await views.meetings(uow, page.principal, ref)
        except DomainError as exc:
            raise _page_error(exc) from None
        answers = await uow.interpreters.of(ref)
        reads = await views.reads_of(uow, ref)
    intake = intake_interpreter(participant.appointment, answers)
    by_meeting = meeting_interpreters(series, answers)
    roles = set(page.principal.roles)
    return page.render(
        "dossier.html.j2",
        p=participant,
        interpreters=([intake] if intake else []) + by_meeting,
        meetings=dossier_parts.meeting_rows(series, by_meeting),
        reads=reads,
        codes=CODE_LABELS,
        personal=personal,
        purpose=purpose,
        errors=errors or FormErrors(),
        values=values or {},
        status_labels=STATUS_LABELS,
        purposes=PURPOSE_LABELS,
        may_see_personal=Role.CASEWORKER in roles,
        may_see_pauses=bool(api_roles("intake", dossier_parts.PAUSES) & roles),
        may_act=bool(api_roles("intake", *dossier_parts.ACTIONS) & roles),
        may_plan_intake=bool(api_roles("intake", dossier_parts.SCHEDULE) & roles),
        may_record_outcome=bool(api_roles("intake", dossier_parts.COMPLETE) & roles),
        may_draft_pip=bool(api_roles("intake", dossier_parts.DRAFT_PIP) & roles),
        actions=dossier_parts.LABELS,
        grounds=dossier_parts.GROUNDS,
        withdrawal_reasons=dossier_parts.WITHDRAWAL_REASONS,
        re_enrolment_reasons=dossier_parts.RE_ENROLMENT_REASONS,
        lang_path=f"/ui/participants/{ref}",
        status_code=status_code,
        **life_domains.page_context(participant.current_outcome, page.language, roles),
    )


def _page_error(exc: DomainError) -> HTTPException:
    """A dossier the caller cannot open: 404 without one, 403 of another municipality."""
    if isinstance(exc, Forbidden):
        return HTTPException(403, "another municipality")
    return HTTPException(404, "no such participant")
