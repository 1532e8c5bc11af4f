"""The groups: the week as a calendar of the groups' sessions, the groups with the result
of the last formation and the command to form groups (through the API's own
``form_groups``, with its checks), and the waiting list."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, HTTPException, Query
from fastapi.responses import Response
from pydantic import ValidationError
from zroute_runtime.commands import command
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, FormErrors, Page, Pagination, UiKit, api_roles

from zroute_planning.entrypoints.http.deps import get_deps
from zroute_planning.entrypoints.http.groups import (
    add_member,
    dissolve,
    exclude_member,
    form_groups,
    move_member,
)
from zroute_planning.entrypoints.http.schemas import (
    FormationIn,
    GroupChangeIn,
    GroupMemberIn,
    GroupMoveIn,
)
from zroute_planning.service_layer import views
from zroute_planning.service_layer.deps import Deps
from zroute_planning.ui import calendar as dated
from zroute_planning.ui import charts
from zroute_planning.ui.pages import LABELS, programme_filter, search_term

PER_PAGE = 25
GROUPS_OPERATION = "GET /groups"
BY_HAND_OPERATION = "POST /groups/{group_id}/dissolution"
BY_HAND = {
    "exclude": N_("Take the participant out of the group"),
    "add": N_("Add the participant to the group"),
    "move": N_("Move the participant to the other group"),
    "dissolve": N_("Dissolve the group"),
}
FORMATION_OPERATION = "POST /group-formations"
WAITING_OPERATION = "GET /waiting-list"
RESULT = ("groups_formed", "joined", "removed", "waiting")
WAIT_REASON = {
    "no_group_at_level": N_("no group at this level"),
    "no_availability_overlap": N_("no group at the times available"),
    "too_few_at_level": N_("too few at this level for a group"),
    "precondition_missing": N_("a precondition is missing"),
}
REFUSED = {
    409: N_("Groups are being formed right now; try again in a moment."),
    422: N_("Choose the programme of your municipality to form groups."),
}


async def _groups(page: Page, runtime: Any, programme: str | None) -> tuple[list[Any], list[str]]:
    deps = get_deps(runtime)
    async with command(runtime, page.request) as uow:
        found = await views.groups(uow, page.principal, programme)
        programmes = await views.programmes(uow, deps, page.principal)
    return found, programmes


async def calendar_page(
    page: Page, runtime: Any, programme: str, week: str = "", q: str = "", page_no: int = 1
) -> Response:
    """The groups' sessions in a weekday by part-of-the-day grid and, for one programme,
    its dated sessions of one week, searched and 25 a page (``ui/calendar.py``)."""
    errors = FormErrors()
    search = search_term(q, errors)
    chosen = programme_filter(programme)
    # Counted in the database: a programme of 10,000 participants has hundreds of groups.
    async with command(runtime, page.request) as uow:
        cells, group_total = await views.group_week(uow, page.principal, chosen)
        programmes = await views.programmes(uow, get_deps(runtime), page.principal)
    counts = ((d, p, {"groups": g, "participants": n}) for d, p, g, n in cells)
    monday = dated.week_start(week, dated.today_of(runtime))
    in_week, total = (
        await dated.week_page(page, runtime, chosen, monday, search, page_no) if chosen else ([], 0)
    )
    return page.render(
        "calendar.html.j2",
        grid=charts.week_grid(counts),
        group_total=group_total,
        programmes=programmes,
        programme=chosen or "",
        q=q,
        errors=errors,
        status_code=422 if errors else 200,
        **dated.calendar_context(page, monday, in_week, total, page_no),
        **LABELS,
    )


async def groups_page(page: Page, runtime: Any, programme: str, result: dict[str, int]) -> Response:
    """The groups that meet, the last formation's result, and the formation form."""
    chosen = programme_filter(programme)
    found, programmes = await _groups(page, runtime, chosen)
    return page.render(
        "groups.html.j2",
        groups=found,
        programmes=programmes,
        programme=chosen or "",
        result=result if len(result) == len(RESULT) else None,
        may_form=page.principal.has_any_role(*api_roles("planning", FORMATION_OPERATION)),
        may_record=page.principal.has_any_role(*api_roles("planning", "POST /roll-calls")),
        may_change=page.principal.has_any_role(*api_roles("planning", BY_HAND_OPERATION)),
        by_hand=BY_HAND,
        **LABELS,
    )


async def form(page: Page, runtime: Any, deps: Deps) -> Response:
    """Form groups for the programme chosen (or all), then show the result."""
    programme = programme_filter(page.form.get("formation-programme", ""))
    try:
        summary = await form_groups(
            FormationIn(programme_id=programme), page.principal, runtime, page.request, deps
        )
    except HTTPException as exc:
        if exc.status_code not in REFUSED:
            raise
        page.flash("error", REFUSED[exc.status_code])
        return page.redirect("/ui/groups")
    page.flash("ok", N_("Groups are formed."))
    query = "&".join(f"{k}={getattr(summary, k)}" for k in RESULT)
    return page.redirect(f"/ui/groups?programme={programme or ''}&{query}")


REFUSED_BY_HAND = N_(
    "The group was not changed: it keeps 3 to 8 members of one level, free at its times."
)


async def change_by_hand(page: Page, runtime: Any, deps: Deps) -> Response:
    """A group changed by hand (issue 16 item 6), through the API's own routes and checks;
    a refusal is shown with its reasons."""
    f = page.form
    action, reason, ref = f.get("action", ""), f.get("reason", ""), f.get("participant", "")
    try:
        group_id, target = UUID(f.get("group", "")), f.get("to-group", "")
        why = GroupChangeIn(reason=reason)
        args = (page.principal, runtime, page.request, deps)
        if action == "dissolve":
            await dissolve(group_id, why, *args)
        elif action == "exclude":
            await exclude_member(group_id, ref, why, *args)
        elif action == "add":
            await add_member(group_id, GroupMemberIn(participant_ref=ref, reason=reason), *args)
        elif action == "move":
            body = GroupMoveIn(to_group_id=UUID(target), reason=reason)
            await move_member(group_id, ref, body, *args)
        else:
            raise ValueError(action)
    except (ValueError, ValidationError):
        page.flash("error", N_("Choose a group, an action and a participant, and give a reason."))
        return page.redirect("/ui/groups")
    except HTTPException as exc:
        if exc.status_code not in (404, 409, 422):
            raise
        page.flash("error", REFUSED_BY_HAND)
        return page.redirect("/ui/groups")
    page.flash("ok", N_("The group is changed."))
    return page.redirect("/ui/groups")


async def waiting_page(page: Page, runtime: Any, programme: str, page_no: int) -> Response:
    chosen = programme_filter(programme)
    async with command(runtime, page.request) as uow:
        rows = await views.waiting(uow, page.principal, chosen)
    pager = Pagination(page_no, PER_PAGE, len(rows))
    return page.render(
        "waiting.html.j2",
        rows=rows[pager.offset : pager.offset + PER_PAGE],
        total=len(rows),
        pager=pager,
        reasons=WAIT_REASON,
        **LABELS,
    )


def add(kit: UiKit) -> None:
    Readers = Annotated[Page, Depends(kit.api_page(GROUPS_OPERATION))]
    Organisers = Annotated[Page, Depends(kit.api_page(FORMATION_OPERATION))]
    Waiting = Annotated[Page, Depends(kit.api_page(WAITING_OPERATION))]
    Count = Annotated[int | None, Query(ge=0, le=100_000)]

    @kit.router.get("/calendar")
    async def calendar(
        page: Readers,
        runtime: Runtime,
        programme: str = "",
        week: str = "",
        q: str = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> Response:
        return await calendar_page(page, runtime, programme, week, q, page_no)

    @kit.router.get("/groups")
    async def groups(
        page: Readers,
        runtime: Runtime,
        programme: str = "",
        groups_formed: Count = None,
        joined: Count = None,
        removed: Count = None,
        waiting: Count = None,
    ) -> Response:
        counts = zip(RESULT, (groups_formed, joined, removed, waiting), strict=True)
        result = {k: v for k, v in counts if v is not None}
        return await groups_page(page, runtime, programme, result)

    @kit.router.post("/group-formations")
    async def formation(
        page: Organisers, runtime: Runtime, deps: Annotated[Deps, Depends(get_deps)]
    ) -> Response:
        return await form(page, runtime, deps)

    ByHand = Annotated[Page, Depends(kit.api_page(BY_HAND_OPERATION))]

    @kit.router.post("/group-changes")
    async def group_change(
        page: ByHand, runtime: Runtime, deps: Annotated[Deps, Depends(get_deps)]
    ) -> Response:
        return await change_by_hand(page, runtime, deps)

    @kit.router.get("/waiting-list")
    async def waiting_list(
        page: Waiting,
        runtime: Runtime,
        programme: str = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> Response:
        return await waiting_page(page, runtime, programme, page_no)
