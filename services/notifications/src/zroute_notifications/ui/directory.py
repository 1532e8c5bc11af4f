"""Who is told what: the communication matrix as a table, the webhook subscriptions and
the inboxes, each read through the API's own rules (``visible_subscriptions``,
``inbox_rows``: the same partner and municipality scope)."""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from zroute_runtime.auth import Principal, Role
from zroute_runtime.http_host import Runtime
from zroute_ui import Page, UiKit

from zroute_notifications.entrypoints.http.deps import reading
from zroute_notifications.service_layer import views
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.ui.labels import CHANNEL, KINDS, MATRIX_WORDS, ROLE, TIMING


def own_inbox(principal: Principal) -> tuple[str, str]:
    if principal.has_any_role(Role.OPERATOR):
        return "operator", "operator"
    if Role.PARTNER_STAFF in principal.roles and principal.partner_id:
        return "partner", principal.partner_id
    return "staff", principal.subject


def add(kit: UiKit, deps: Deps) -> None:
    Anyone = Annotated[Page, Depends(kit.api_page("GET /matrix"))]
    Readers = Annotated[Page, Depends(kit.api_page("GET /inbox/{kind}/{ref}"))]
    Subscribers = Annotated[Page, Depends(kit.api_page("GET /subscriptions"))]

    @kit.router.get("/matrix")
    async def matrix(page: Anyone) -> Response:
        rules = deps.matrix.as_dict()["rules"]
        return page.render(
            "matrix.html.j2",
            rules=rules,
            timings=TIMING,
            roles=ROLE,
            channels=CHANNEL,
            words=MATRIX_WORDS,
        )

    @kit.router.get("/subscriptions")
    async def subscriptions(page: Subscribers, runtime: Runtime, request: Request) -> Response:
        async with reading(runtime, request) as uow:
            rows = await views.subscriptions(uow, page.principal)
        return page.render("subscriptions.html.j2", rows=[dict(r) for r in rows])

    @kit.router.get("/inbox")
    async def inbox(
        page: Readers, runtime: Runtime, request: Request, kind: str = "", ref: str = ""
    ) -> Response:
        chosen: tuple[str, str] = (
            (kind, ref) if kind in KINDS and ref else own_inbox(page.principal)
        )
        async with reading(runtime, request) as uow:
            rows: list[Any] = await views.inbox(uow, page.principal, *chosen, 50)
        return page.render(
            "inbox.html.j2",
            rows=[dict(r) for r in rows],
            kind=chosen[0],
            ref=chosen[1],
            kinds=KINDS,
            may_choose=page.principal.has_any_role(Role.COORDINATOR, Role.OPERATOR),
        )
