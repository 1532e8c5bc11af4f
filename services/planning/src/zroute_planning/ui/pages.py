"""The plans: the programme's plans by stage and at risk (searched and paged in the
database), a plan with its hours against the targets, the ramp-up and the week
published, and the cohort by stage. Reads go through ``service_layer/views.py`` with the
API's scopes; a plan the caller may not see answers 403, like ``GET .../plan``."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
import re
from typing import Annotated, Any

from fastapi import Depends, Path, Query
from fastapi.responses import Response
from zroute_contract.types import PARTICIPANT_REF_PATTERN, PARTNER_ID_PATTERN
from zroute_runtime.clock import local_day
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, Pagination, UiKit, api_roles

from zroute_planning.entrypoints.http.deps import get_deps
from zroute_planning.service_layer import views
from zroute_planning.service_layer.deps import Deps
from zroute_planning.ui import charts

PER_PAGE = 25
SEARCH = re.compile(r"[a-z0-9-]{1,40}")
PLAN_OPERATION = "GET /participants/{participant_ref}/plan"

STAGE = {
    "waiting_for_preconditions": N_("waiting for preconditions"),
    "active": N_("active, no week published yet"),
    "paused": N_("paused"),
    "completed": N_("completed"),
    "withdrawn": N_("withdrawn"),
}
PHASE = N_("ramp-up phase %(n)s")
HOURS_KIND = {
    "total": N_("total"),
    "language": N_("language"),
    "participation": N_("participation"),
    "knm": N_("knowledge of Dutch society"),
    "map": N_("labour market and participation (MAP)"),
}
LEVEL_BAND = {"alpha": N_("literacy (alpha)"), "a0": "A0", "a1": "A1", "a2": "A2", "b1": "B1"}
WEEKDAY = {
    "monday": N_("Monday"),
    "tuesday": N_("Tuesday"),
    "wednesday": N_("Wednesday"),
    "thursday": N_("Thursday"),
    "friday": N_("Friday"),
    "saturday": N_("Saturday"),
    "sunday": N_("Sunday"),
}
DAY_PART = {"morning": N_("morning"), "afternoon": N_("afternoon"), "evening": N_("evening")}
TEACHING_FORM = {
    "classroom": N_("classroom"),
    "practice_outside": N_("practice outside"),
    "digital": N_("digital"),
    "workplace_learning": N_("learning at work"),
    "knm": N_("knowledge of Dutch society"),
}
EXPORT_OPERATION = "GET /programmes/{programme_id}/hours.xlsx"
LABELS: dict[str, Any] = {
    "stages": STAGE,
    "phase_label": PHASE,
    "hours_kinds": HOURS_KIND,
    "bands": LEVEL_BAND,
    "weekdays": WEEKDAY,
    "day_parts": DAY_PART,
    "forms": TEACHING_FORM,
}


def programme_filter(value: str) -> str | None:
    """The programme asked for, when it is one (anything else: all programmes)."""
    return value if re.fullmatch(PARTNER_ID_PATTERN, value) else None


def search_term(value: str, errors: FormErrors) -> str | None:
    """The search as a piece of a participant reference; an error for anything else."""
    term = value.strip().lower()
    if term and not SEARCH.fullmatch(term):
        errors.add("q", N_("Enter part of a reference such as zr-1a2b, letters and digits only."))
        return None
    return term or None


async def plan_list(page: Page, runtime: Any, deps: Deps, filters: dict[str, str]) -> Response:
    """The plans page: the filters, one page of plans and the pager."""
    errors = FormErrors()
    stages = charts.stages(deps.rules)
    stage = filters["stage"] if filters["stage"] in stages else None
    search = search_term(filters["q"], errors)
    programme = programme_filter(filters["programme"])
    page_no = int(filters["page"])
    async with command(runtime, page.request) as uow:
        found = await views.plan_page(
            uow,
            deps,
            page.principal,
            programme,
            stage=stage,
            at_risk=filters["at_risk"] == "1",
            search=search,
            limit=PER_PAGE,
            offset=(page_no - 1) * PER_PAGE,
        )
    template = (
        "plans_results.html.j2" if page.request.headers.get("hx-request") else "plans.html.j2"
    )
    return page.render(
        template,
        rows=found.rows,
        total=found.total,
        pager=Pagination(page_no, PER_PAGE, found.total),
        programmes=found.programmes,
        # The hours export's links, for the roles the matrix grants the export.
        may_export=bool(set(page.principal.roles) & api_roles("planning", EXPORT_OPERATION)),
        stage_keys=stages,
        values=filters,
        errors=errors,
        status_code=422 if errors else 200,
        **LABELS,
    )


async def plan_page(page: Page, runtime: Any, deps: Deps, ref: str) -> Response:
    """A participant's plan: hours against targets, the ramp-up and the week published."""
    on = local_day(runtime.clock.now())
    async with command(runtime, page.request) as uow:
        detail = await views.plan_detail(uow, deps, page.principal, ref, on)
    found = detail.view.plan
    targets = deps.rules.targets.model_dump()
    attended = {getattr(k, "value", k): v for k, v in detail.hours.hours.items()}
    projected = {getattr(k, "value", k): v for k, v in detail.view.projection.hours.items()}
    started = found.start_on is not None and found.start_on <= on
    sessions = detail.week["sessions"] if detail.week else []
    status = found.status.value
    if status == "active" and detail.week:  # the stage, as on the plans page
        status = f"phase-{detail.week['phase']}"
    return page.render(
        "plan.html.j2",
        plan=found,
        status=status,
        projection=detail.view.projection,
        group=detail.view.group,
        attendance_percentage=detail.hours.attendance_percentage,
        bars=charts.hours_bars(attended, projected, targets),
        bar_width=charts.BAR_WIDTH,
        label_width=charts.LABEL_WIDTH,
        ramp=charts.ramp_up(deps.rules, detail.route_week if started else None),
        step_width=charts.STEP_WIDTH,
        step_height=charts.STEP_HEIGHT,
        week=detail.week,
        route_week=detail.route_week,
        grid=charts.week_grid((s["weekday"], s["day_part"], s) for s in sessions),
        variety=views.week_variety(deps, detail.week),
        **LABELS,
    )


async def cohort_page(page: Page, runtime: Any, deps: Deps, programme: str) -> Response:
    """How many plans are at each stage, as bars and as a table."""
    chosen = programme_filter(programme)
    async with command(runtime, page.request) as uow:
        counts = await views.cohort(uow, deps, page.principal, chosen)
        programmes = await views.programmes(uow, deps, page.principal)
    bars = charts.cohort_bars(charts.stages(deps.rules), counts)
    return page.render(
        "cohort.html.j2",
        bars=bars,
        total=sum(counts.values()),
        programmes=programmes,
        programme=chosen or "",
        bar_width=charts.BAR_WIDTH,
        label_width=charts.LABEL_WIDTH,
        **LABELS,
    )


def add(kit: UiKit) -> None:
    Readers = Annotated[Page, Depends(kit.api_page(PLAN_OPERATION))]
    PlanningDeps = Annotated[Deps, Depends(get_deps)]

    @kit.router.get("/plans")
    async def plans(
        page: Readers,
        runtime: Runtime,
        deps: PlanningDeps,
        programme: str = "",
        stage: str = "",
        at_risk: str = "",
        q: Annotated[str, Query(max_length=100)] = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> Response:
        filters = {"programme": programme, "stage": stage, "at_risk": at_risk, "q": q}
        return await plan_list(page, runtime, deps, filters | {"page": str(page_no)})

    @kit.router.get("/plans/{participant_ref}")
    async def plan(
        participant_ref: Annotated[str, Path(pattern=PARTICIPANT_REF_PATTERN)],
        page: Readers,
        runtime: Runtime,
        deps: PlanningDeps,
    ) -> Response:
        return await plan_page(page, runtime, deps, participant_ref)

    @kit.router.get("/cohort")
    async def cohort(
        page: Readers, runtime: Runtime, deps: PlanningDeps, programme: str = ""
    ) -> Response:
        return await cohort_page(page, runtime, deps, programme)
