"""The kit's own pages on every service: start, login, callback, logout, static files.

There is no other way into a session than the provider's callback: no test login, no
header, no query parameter (``tests/ui/test_login.py`` proves it).
"""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Request, Response, status
from fastapi.responses import FileResponse, RedirectResponse
from zroute_runtime.logging import get_logger

from zroute_ui import assets
from zroute_ui.i18n import N_
from zroute_ui.kit import Page, UiKit, safe_next
from zroute_ui.oidc import LoginFailed
from zroute_ui.session import new_session

_log = get_logger("zroute_ui")


def add(kit: UiKit) -> None:
    router = kit.router
    LoggedIn = Annotated[Page, Depends(kit.page())]

    @router.get("/")
    async def start(page: Annotated[Page, Depends(kit.page(*kit.start_roles))]) -> Response:
        return page.render("start.html.j2", title=kit.service)

    @router.get("/login")
    async def login(request: Request, next: str | None = None) -> Response:
        if not kit.settings.login_configured():
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "login not configured")
        url, kept = await kit.oidc.begin(kit.redirect_uri(request))
        kept["next"] = safe_next(next)
        response = RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)
        kit.sessions.save_login_state(response, kept)
        return response

    @router.get("/auth/callback")
    async def callback(
        request: Request,
        code: str | None = None,
        state: str | None = None,
        error: str | None = None,
    ) -> Response:
        kept = kit.sessions.load_login_state(request.cookies.get(kit.sessions.login_cookie))
        if error is not None:
            raise LoginFailed(N_("the login was cancelled or refused at the login provider"))
        if kept is None or state is None or code is None or state != kept.get("state"):
            raise LoginFailed(N_("the login took too long or was started elsewhere; log in again"))
        done = await kit.oidc.finish(kit.redirect_uri(request), code, kept)
        principal = done.principal
        _log.info(
            "ui_logged_in",
            subject=principal.subject,
            roles=sorted(r.value for r in principal.roles),
        )
        response = RedirectResponse(kept["next"], status_code=status.HTTP_303_SEE_OTHER)
        response.delete_cookie(kit.sessions.login_cookie, path="/ui")
        kit.sessions.save(response, new_session(principal, done.access_token, done.expires_at))
        return response

    @router.post("/logout")
    async def logout(page: LoggedIn) -> Response:
        """Ends the session here, then at the provider (RP-initiated logout), which sends
        the browser back to the signed-out page."""
        _log.info("ui_logged_out", subject=page.principal.subject)
        target = "/ui/signed-out"
        try:
            provider = await kit.oidc.provider()
        except LoginFailed:
            provider = None
        if provider is not None and provider.end_session_endpoint:
            query = {
                "client_id": kit.settings.ui_oidc_client_id or "",
                "post_logout_redirect_uri": kit.absolute(page.request, "/ui/signed-out"),
            }
            target = f"{provider.end_session_endpoint}?{urlencode(query)}"
        response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
        kit.sessions.clear(response)
        return response

    @router.get("/signed-out")
    async def signed_out(request: Request) -> Response:
        return kit.render(
            request,
            "signed_out.html.j2",
            language=kit.language(request),
            session=None,
            title="signed-out",
        )

    @router.get("/static/{name}")
    async def static(name: str) -> Response:
        path = assets.resolve(name, kit.settings.ui_assets_dir)
        if path is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
        return FileResponse(
            path,
            media_type=assets.MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )
