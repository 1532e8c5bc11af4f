"""The coordinator's pages: the programmes, and one programme's consultation overview."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from markupsafe import Markup
from zroute_contract.errors import Forbidden
from zroute_runtime.auth import Role
from zroute_runtime.clock import local_day
from zroute_runtime.http_host import Runtime
from zroute_ui import Page, UiKit

from zroute_notifications.adapters import charts
from zroute_notifications.entrypoints.http.deps import reading
from zroute_notifications.service_layer import views
from zroute_notifications.service_layer.deps import Deps

COHORT_WIDTH = 400


def add(kit: UiKit, deps: Deps) -> None:
    # The list of programmes (with their participant counts) is no operation of the API:
    # the coordinators and operators, written out; partner staff open an overview directly.
    Managers = Annotated[Page, Depends(kit.page(Role.COORDINATOR, Role.OPERATOR))]
    Staff = Annotated[Page, Depends(kit.api_page("GET /programmes/{programme_id}/overview"))]

    @kit.router.get("/programmes")
    async def programmes(page: Managers, runtime: Runtime, request: Request) -> Response:
        async with reading(runtime, request) as uow:
            rows = await views.programmes(uow)
        return page.render("programmes.html.j2", rows=rows)

    @kit.router.get("/programmes/{programme_id}/overview")
    async def programme_overview(
        programme_id: str, page: Staff, runtime: Runtime, request: Request
    ) -> Response:
        today = local_day(runtime.clock.now())
        principal = page.principal
        async with reading(runtime, request) as uow:
            if not principal.has_any_role(
                Role.COORDINATOR, Role.OPERATOR
            ) and not await views.is_programme_partner(uow, principal, programme_id, today):
                raise Forbidden("not a partner of this programme")
            built = await views.programme_overview(uow, deps, programme_id, today)
        labels = deps.templates.catalogues[page.language]["overview"]
        intake = kit.settings.ui_service_urls.get("intake", "").rstrip("/")
        body = deps.templates.render_page(
            page.language,
            "overview_body.html.j2",
            {
                "o": built,
                "L": labels,
                "language": page.language,
                "C": deps.templates.catalogues[page.language]["codes"],  # the codes' labels
                "hours_svg": charts.hours_chart(built.hours, labels),
                "attendance_svg": charts.attendance_chart(built.attendance, labels["attendance"]),
                "participant_url": f"{intake}/ui/participants",
            },
        )
        # Rendered by the service's own (autoescaping) page templates and catalogue.
        return page.render(
            "overview_page.html.j2",
            body=Markup(body),
            page_title_text=labels["title"],
            cohort=cohort_bars(built.phases, labels),
        )


def cohort_bars(phases: Any, labels: Any) -> list[dict[str, Any]]:
    """The cohort by phase as bars of a chart (the overview's own phase names)."""
    rows = [
        (
            labels["phase_n"].format(n=name[6:])
            if name.startswith("phase ")
            else labels.get(name, name),
            n,
        )
        for name, n in phases
    ]
    most = max((n for _, n in rows), default=0) or 1
    return [
        {"label": label, "n": n, "width": round(COHORT_WIDTH * n / most), "y": 8 + i * 36}
        for i, (label, n) in enumerate(rows)
    ]
