"""The delivery log with resend (coordinators and operators, in their scope) and the dead
letters of each service with their reasons and a replay button (operators only).

Resend goes through the API's own ``resend`` (scope, status and subscription checks);
listing and replay are ``zroute_runtime.deadletters``, as ``zroute-deadletters`` does
(docs/operations.md): listing leaves the letters in place, replay puts one back on its
own service's queue.
"""

# No "from __future__ import annotations": FastAPI reads the page aliases defined in add().
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

import aio_pika
from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from zroute_runtime import deadletters
from zroute_runtime.auth import Role
from zroute_runtime.commands import STATUS as STATUS_CODE
from zroute_runtime.http_host import Runtime
from zroute_ui import N_, Page, UiKit
from zroute_ui.i18n import translations

from zroute_notifications.domain.commands import Resend
from zroute_notifications.domain.errors import Conflict
from zroute_notifications.entrypoints.http.deps import reading, run
from zroute_notifications.service_layer import views
from zroute_notifications.service_layer.handlers.notifications import resend
from zroute_notifications.ui.labels import CHANNEL, FAILURE, MATRIX_WORDS, ROLE, STATUS

SERVICES = ("intake", "planning", "support", "notifications")
# Why a service gave a message up (zroute_runtime.consumer's reason kinds).
DEAD_KIND = {
    "invalid": N_("invalid"),
    "unexpected-type": N_("unexpected type"),
    "unprocessable": N_("could not be processed"),
    "retries-exhausted": N_("retries exhausted"),
    "predecessor-missing": N_("earlier event missing"),
    "unknown": N_("unknown"),
}
# The runtime's reason codes (zroute_runtime.consumer, x-zroute-reason-code) in words; the
# English sentence with the technical detail stays beside it, folded away.
DEAD_REASON = {
    "body_too_large": N_("The message is too large: %(size)s bytes, the limit is %(limit)s."),
    "invalid_event": N_("The message is not a valid event of the contract."),
    "no_handler": N_("This service does not handle the event %(event_type)s."),
    "wrong_routing_key": N_(
        "The message came in on routing key %(routing_key)s; its event travels on %(expected)s."
    ),
    "refused": N_("The service refused the event: its rules do not allow what it says."),
    "handler_failed": N_("Handling the event failed %(attempts)s times in a row."),
    "predecessor_missing": N_(
        "An earlier event it builds on did not arrive within %(waited_s)s seconds."
    ),
}
LOG_SIZE = 100


def add(kit: UiKit) -> None:
    add_deliveries(kit)
    add_dead_letters(kit)


def add_deliveries(kit: UiKit) -> None:
    Managers = Annotated[Page, Depends(kit.api_page("GET /notifications"))]
    Resenders = Annotated[
        Page, Depends(kit.api_page("POST /notifications/{notification_id}/retry"))
    ]

    @kit.router.get("/deliveries")
    async def deliveries(
        page: Managers, runtime: Runtime, request: Request, status: str = ""
    ) -> Response:
        chosen = status if status in STATUS else None
        async with reading(runtime, request) as uow:
            rows = await views.notifications(uow, page.principal, status=chosen, limit=LOG_SIZE)
        return page.render(
            "deliveries.html.j2",
            rows=[dict(r) for r in rows],
            status=chosen or "",
            status_labels=STATUS,
            channels=CHANNEL,
            failures=FAILURE,
            roles=ROLE,
            words=MATRIX_WORDS,
        )

    @kit.router.post("/deliveries/{notification_id}/resend")
    async def resend_one(
        notification_id: UUID, page: Resenders, runtime: Runtime, request: Request
    ) -> Response:
        try:
            await run(
                runtime, request, lambda uow: resend(uow, page.principal, Resend(notification_id))
            )
        except HTTPException as exc:
            if exc.status_code != STATUS_CODE[Conflict]:
                raise
            page.flash("error", N_("This message cannot be sent again now."))
        else:
            runtime.timers.wake()
            page.flash("ok", N_("The message is sent again."))
        return page.redirect("/ui/deliveries")


def add_dead_letters(kit: UiKit) -> None:
    # The dead letters are the runtime's broker queues, not an operation of the access
    # matrix: operators only, written out.
    Operators = Annotated[Page, Depends(kit.page(Role.OPERATOR))]

    @kit.router.get("/dead-letters")
    async def dead_letters(page: Operators, runtime: Runtime) -> Response:
        found: dict[str, Any] = {}
        for service in SERVICES:
            try:
                found[service] = await deadletters.list_dead_letters(
                    runtime.connection, runtime.settings, service
                )
            except aio_pika.exceptions.AMQPError:
                found[service] = None  # no dead-letter queue on this broker
        gettext = translations(page.language).gettext
        worded = {
            service: None if letters is None else [(d, reason_text(d, gettext)) for d in letters]
            for service, letters in found.items()
        }
        return page.render("dead_letters.html.j2", found=worded, kinds=DEAD_KIND)

    @kit.router.post("/dead-letters/{service}/replay")
    async def replay(service: str, page: Operators, runtime: Runtime) -> Response:
        message_id = page.form.get("message_id", "")
        if service not in SERVICES or not message_id:
            raise HTTPException(404, "no such dead letter")
        replayed = await deadletters.replay(
            runtime.connection, runtime.settings, service, {message_id}
        )
        if replayed:
            page.flash("ok", N_("The message is back on its service's queue."))
        else:
            page.flash("error", N_("This dead letter is no longer there."))
        return page.redirect("/ui/dead-letters")


def reason_text(letter: deadletters.DeadLetter, gettext: Callable[[str], str]) -> str:
    """The dead letter's reason in the reader's language, from its code and parameters;
    a letter without a known code (from before the codes, or set aside by the broker)
    says so, and its technical detail is shown beside it."""
    sentence = DEAD_REASON.get(letter.reason_code or "")
    if sentence is None:
        if letter.reason_kind.startswith("broker:"):
            return gettext("Set aside by the message broker.")
        return gettext("No reason in words was recorded: see the technical detail.")
    try:
        return gettext(sentence) % {k: str(v) for k, v in letter.reason_params.items()}
    except (KeyError, TypeError, ValueError):
        # Parameters that do not fit the sentence: the words without them are still true.
        return gettext("No reason in words was recorded: see the technical detail.")
