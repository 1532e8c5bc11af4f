"""``/p/{token}``: the participant's personal page and its week as audio (issue 18).

No login: the signed, expiring link printed on the letter is the key (the access matrix
lists these operations as public). Every use is logged with the link id and outcome only.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from zroute_letters.catalogue import DUTCH
from zroute_runtime.http_host import Runtime

from zroute_notifications.entrypoints.http.deps import NotificationsDeps, reading, run
from zroute_notifications.service_layer.handlers import page
from zroute_notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from zroute_notifications.ui.participant_page import (
    render_page,
    render_refusal,
    render_second_factor,
)

router = APIRouter(prefix="/p", tags=["personal page"])
# The page names a participant's week: never cached by a shared cache, never indexed.
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}


@router.get("/{token}", response_class=HTMLResponse)
async def personal_page(
    token: str, runtime: Runtime, request: Request, deps: NotificationsDeps
) -> HTMLResponse:
    """The participant's week, next appointment and contact person; 404/410 with a short
    page when the link is forged, unknown, expired or revoked. Where the setting asks for
    a second factor, the date of birth first (a form posting to this URL)."""
    session = request.cookies.get(page.SESSION_COOKIE)
    async with reading(runtime, request) as uow:
        opened = await page.open_link(uow, deps, token)
        if page.asks_second_factor(uow, deps, opened, session):
            language = await page.language_of_opened(uow, opened)
            return HTMLResponse(render_second_factor(deps.catalogues, language), headers=HEADERS)
        view = await page.view_of(uow, deps, opened)
    if view is None:
        status = opened.status if opened.status != 200 else 404
        return HTMLResponse(render_refusal(opened.outcome), status_code=status, headers=HEADERS)
    html = render_page(view, deps.settings.letter_sender, f"{token}/week.wav")
    return HTMLResponse(html, headers=HEADERS)


@router.get("/{token}/week.wav")
async def week_audio(
    token: str, runtime: Runtime, request: Request, deps: NotificationsDeps
) -> Response:
    """The week spoken in the participant's language where espeak-ng speaks it, else Dutch
    (``Content-Language`` says which)."""
    session = request.cookies.get(page.SESSION_COOKIE)
    async with reading(runtime, request) as uow:
        opened, audio = await page.week_audio(uow, deps, token, session)
    if audio is None:
        status = opened.status if opened.status != 200 else 404
        return HTMLResponse(render_refusal(opened.outcome), status_code=status, headers=HEADERS)
    return Response(
        audio.wav,
        media_type="audio/wav",
        headers={**HEADERS, "Content-Language": audio.language},
    )


# The answer to each outcome of a typed date of birth.
INVALID = "invalid"
ANSWER_STATUS = {page.WRONG: 403, page.LOCKED: 429, page.UNAVAILABLE: 503, INVALID: 422}


def _is_date(typed: str) -> bool:
    try:
        date.fromisoformat(typed)
    except ValueError:
        return False
    return True


@router.post("/{token}", response_class=HTMLResponse)
async def second_factor(
    token: str, runtime: Runtime, request: Request, deps: NotificationsDeps
) -> Response:
    """The date of birth typed on the page (form field ``date_of_birth``, YYYY-MM-DD):
    intake checks it; right opens the page for a while (a cookie bound to the link),
    wrong says so with the tries left, too many lock the link for a while."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    typed = (form.get("date_of_birth") or [""])[0].strip()

    async def answer(
        uow: NotificationsUnitOfWork,
    ) -> tuple[page.Opened, page.Answered | None, str]:
        opened = await page.open_link(uow, deps, token)
        if opened.outcome != page.OK or deps.settings.page_second_factor != "date_of_birth":
            return opened, None, DUTCH
        language = await page.language_of_opened(uow, opened)
        if not _is_date(typed):
            # Never sent to intake: not an attempt, only said again in plain words.
            return opened, page.Answered(INVALID), language
        return opened, await page.answer_second_factor(uow, deps, opened, typed), language

    opened, answered, language = await run(runtime, request, answer)
    if opened.outcome != page.OK:
        return HTMLResponse(
            render_refusal(opened.outcome), status_code=opened.status, headers=HEADERS
        )
    back = RedirectResponse(str(request.url), status_code=303, headers=HEADERS)
    if answered is None:
        return back  # no second factor asked: the page itself
    if answered.outcome != page.RIGHT or answered.session is None:
        html = render_second_factor(deps.catalogues, language, answered.outcome, answered.left)
        return HTMLResponse(html, status_code=ANSWER_STATUS[answered.outcome], headers=HEADERS)
    back.set_cookie(
        page.SESSION_COOKIE,
        answered.session,
        max_age=deps.settings.page_session_minutes * 60,
        path="/p/",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )
    return back
