"""The reads of the HTTP API and the screens, and who may make them: one module, one
connection style (the unit of work's ``uow.reads``), no SQL here and none in a router.

Refusals are the contract's kinds (``NotFound``, ``OutsideScope`` a ``Forbidden``); the runtime's command path
answers them with their 4xx."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any
from uuid import UUID

from zroute_letters.content import LetterContent
from zroute_letters.letter import render_pdf
from zroute_runtime.auth import Principal, Role

from zroute_notifications.domain import overview as overview_model
from zroute_notifications.domain.errors import NotFound, OutsideScope
from zroute_notifications.domain.recipients import programme_partners
from zroute_notifications.service_layer import overview, scope
from zroute_notifications.service_layer.deps import Deps
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork


# -- the delivery log ------------------------------------------------------------------
async def notifications(
    uow: NotificationsUnitOfWork,
    principal: Principal,
    *,
    event_id: UUID | None = None,
    status: str | None = None,
    limit: int = 100,
) -> list[Any]:
    """The messages of one event (``event_id``), or the latest, optionally by status, as
    far as they are in the caller's scope."""
    if event_id is not None:
        rows = await uow.reads.notifications_for_event(event_id)
        rows = [r for r in rows if status is None or r["status"] == status]
    else:
        rows = await uow.reads.notifications(status, limit)
    return await scope.in_scope(uow, principal, rows)


async def notification(
    uow: NotificationsUnitOfWork, principal: Principal, notification_id: UUID
) -> Any:
    """One message: NotFound unknown, OutsideScope outside the caller's scope."""
    row = await uow.reads.notification(notification_id)
    if row is None:
        raise NotFound("no such notification")
    if not await scope.record_in_scope(uow, principal, row):
        raise OutsideScope(scope.ELSEWHERE)
    return row


# -- inboxes ---------------------------------------------------------------------------
def may_read_inbox(principal: Principal, kind: str, ref: str) -> bool:
    """Operators and coordinators read every inbox; staff their own and their partner's."""
    if principal.has_any_role(Role.OPERATOR, Role.COORDINATOR):
        return True
    if kind == "staff" and principal.subject == ref:
        return True
    return (
        kind == "partner" and Role.PARTNER_STAFF in principal.roles and principal.partner_id == ref
    )


async def inbox(
    uow: NotificationsUnitOfWork, principal: Principal, kind: str, ref: str, limit: int
) -> list[Any]:
    """One inbox's messages, newest first, as the caller may read them (the API and the
    screens alike): OutsideScope for someone else's inbox or another municipality's
    recipient."""
    if not may_read_inbox(principal, kind, ref):
        raise OutsideScope("this inbox belongs to someone else")
    own = principal.municipality_scope()
    served = await uow.reads.municipalities_of_recipient(kind, ref)
    if own is not None and (kind == "operator" or (served and own not in served)):
        raise OutsideScope(scope.ELSEWHERE)
    return await scope.in_scope(uow, principal, await uow.reads.inbox(kind, ref, limit))


# -- the directory ---------------------------------------------------------------------
async def addresses(
    uow: NotificationsUnitOfWork, deps: Deps, principal: Principal, kind: str | None
) -> list[dict[str, Any]]:
    """The directory, with the seed file's entries the API has not replaced, as far as
    the caller may reach them."""
    found = [dict(r) for r in await uow.reads.addresses(kind)]
    have = {(a["kind"], a["ref"]) for a in found}
    for seed_kind, entries in deps.seed.items():
        for ref, entry in entries.items():
            if (kind is None or kind == seed_kind) and (seed_kind, ref) not in have:
                found.append({"kind": seed_kind, "ref": ref, "source": "seed", **entry})
    return [
        a for a in found if await scope.may_reach_recipient(uow, principal, a["kind"], a["ref"])
    ]


# -- subscriptions ---------------------------------------------------------------------
async def subscriptions(uow: NotificationsUnitOfWork, principal: Principal) -> list[Any]:
    """The subscriptions a caller may see (the API's list and the screens alike): a
    partner's staff their partner's, coordinators and operators all, those limited to a
    municipality the partners they may reach; OutsideScope for partner staff without a
    partner."""
    managers = principal.has_any_role(Role.COORDINATOR, Role.OPERATOR)
    own = None if managers else principal.partner_id
    if own is None and not managers:
        raise OutsideScope("no partner in the token")
    rows = await uow.reads.subscriptions(own)
    if principal.municipality_scope() is None:
        return list(rows)
    return [
        r
        for r in rows
        if r["partner_id"] is not None
        and await scope.may_reach_recipient(uow, principal, "partner", r["partner_id"])
    ]


async def subscription(
    uow: NotificationsUnitOfWork, principal: Principal, subscription_id: UUID
) -> Any:
    """One subscription the caller manages; NotFound when unknown."""
    row = await uow.reads.subscription(subscription_id)
    if row is None:
        raise NotFound("no such subscription")
    await scope.may_manage(uow, principal, row["partner_id"])
    return row


# -- programmes and their overview -----------------------------------------------------
async def programmes(uow: NotificationsUnitOfWork) -> list[dict[str, Any]]:
    """Each programme the read model knows, with its number of participants."""
    return await uow.reads.programmes()


async def programme_overview(
    uow: NotificationsUnitOfWork, deps: Deps, programme_id: str, today: date
) -> overview_model.Overview:
    """The consultation overview of a programme on the local day ``today``."""
    figures = await uow.reads.programme_figures(programme_id)
    return overview.build(deps, programme_id, today, figures)


async def is_programme_partner(
    uow: NotificationsUnitOfWork, principal: Principal, programme_id: str, today: date
) -> bool:
    """Whether the caller's partner is named by the programme's agreement in force."""
    agreement = await uow.reads.current_agreement(programme_id, today)
    return principal.partner_id in programme_partners(agreement)


async def ensure_overview_reader(
    uow: NotificationsUnitOfWork, principal: Principal, programme_id: str, today: date
) -> None:
    """The API's rule: the programme is of the caller's municipality, and the caller a
    coordinator, an operator or staff of one of the programme's partners."""
    await scope.ensure_programme(uow, principal, programme_id)
    if principal.has_any_role(Role.COORDINATOR, Role.OPERATOR):
        return
    if not (
        Role.PARTNER_STAFF in principal.roles
        and await is_programme_partner(uow, principal, programme_id, today)
    ):
        raise OutsideScope("only the programme's partners see its overview")


# -- the participant's start letters (issue 18) -------------------------------------
async def letters(
    uow: NotificationsUnitOfWork, principal: Principal, ref: str
) -> list[dict[str, Any]]:
    """The participant's start letters, newest first, with their link's state."""
    await scope.ensure_participant(uow, principal, ref)
    return [dict(r) for r in await uow.participants.letters(ref)]


async def letter_pdf(
    uow: NotificationsUnitOfWork, deps: Deps, principal: Principal, letter_id: UUID
) -> bytes:
    """One letter's PDF, for print and post."""
    row = await uow.participants.letter(letter_id)
    if row is None:
        raise NotFound("no such letter")
    if not await scope.record_in_scope(uow, principal, {"participant_ref": row["participant_ref"]}):
        raise OutsideScope(scope.ELSEWHERE)
    if row["pdf"] is not None:
        return bytes(row["pdf"])
    # Written as content only (issue 20): printed now, the first time it is asked for,
    # and kept (the caller commits), so a second request gives the same bytes.
    content = row["content"]
    letter = LetterContent.from_json(json.loads(content) if isinstance(content, str) else content)
    pdf = await asyncio.to_thread(render_pdf, letter, deps.catalogues)  # WeasyPrint: a moment
    await uow.participants.keep_pdf(letter_id, pdf)
    return pdf
