"""The screens of one service: an APIRouter under ``/ui/`` with the login, the layout
and the page dependencies that put the same :class:`Principal` and role checks in front
of every page as the API has in front of every endpoint.

A service builds ``kit = UiKit("intake", settings, templates=...)``, adds its pages to
``kit.router`` with ``kit.page(...)`` dependencies, and lists ``kit.router`` among its
routers. Errors on a page (401, 403, 404, 422...) answer an HTML page with that status.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.runtime import Context
from zroute_runtime import audit
from zroute_runtime.auth import Principal, Role
from zroute_runtime.clock import local_timezone
from zroute_runtime.logging import get_logger

from zroute_ui import assets
from zroute_ui.access import api_roles
from zroute_ui.forms import shown_day
from zroute_ui.i18n import LANGUAGES, N_, language_name, translations
from zroute_ui.navigation import SCREENS, Screen, visible
from zroute_ui.oidc import LoginFailed, OidcClient
from zroute_ui.remote import Answer, TokenRefused
from zroute_ui.session import COOKIE_PATH, Session, SessionStore
from zroute_ui.settings import UiSettings

_log = get_logger("zroute_ui")
KIT_TEMPLATES = Path(__file__).parent / "templates"
LANG_COOKIE = "zroute_ui_lang"
CSRF_FIELD = "csrf_token"
SERVICE_LABELS = {
    "intake": N_("Intake"),
    "planning": N_("Planning"),
    "support": N_("Support"),
    "notifications": N_("Notifications"),
}
ROLE_LABELS = {
    Role.CASEWORKER: N_("Caseworker"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.PARTNER_STAFF: N_("Partner staff"),
    Role.OPERATOR: N_("Operator"),
}
ERROR_TITLES: dict[int | str, str] = {
    400: N_("The request could not be handled"),
    403: N_("You do not have access to this page"),
    404: N_("Page not found"),
    409: N_("Someone changed this in the meantime"),
    "refused": N_("This cannot be done yet"),
    410: N_("This information is no longer available"),
    422: N_("The request could not be handled"),
    503: N_("This page is not available right now"),
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'{provider}; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class LoginRequired(Exception):
    """No valid session: send the browser to the login."""


class Refused(HTTPException):
    """A page's refusal with its reason, a catalogue message id (``N_``): the error page
    says why under its title, rather than the title alone (a 409 that is no stale read
    would otherwise read "Someone changed this in the meantime")."""

    def __init__(self, status_code: int, reason: str) -> None:
        super().__init__(status_code, reason)
        self.reason = reason


@dataclass
class Page:
    """One request to a page: who asks, in which language, and how to answer."""

    kit: UiKit
    request: Request
    session: Session
    language: str
    form: dict[str, str] = field(default_factory=dict)

    @property
    def principal(self) -> Principal:
        return self.session.principal

    def flash(self, kind: str, message: str) -> None:
        self.session = self.session.with_flash(kind, message)

    def render(self, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
        flashes = self.session.flashes
        self.session = replace(self.session, flashes=())
        response = self.kit.render(
            self.request,
            template,
            language=self.language,
            session=self.session,
            flashes=flashes,
            status_code=status_code,
            **context,
        )
        self.kit.sessions.save(response, self.session)
        return response

    async def read(self, service: str, path: str, params: dict[str, str] | None = None) -> Answer:
        """``service``'s API read with this user's own token (:mod:`zroute_ui.remote`)."""
        from zroute_ui import remote

        return await remote.read(self, service, path, params)

    def redirect(self, path: str) -> RedirectResponse:
        """303 to ``path`` (after a form), keeping flash messages for the next page."""
        response = RedirectResponse(path, status_code=status.HTTP_303_SEE_OTHER)
        self.kit.sessions.save(response, self.session)
        return response


@dataclass(frozen=True)
class Pagination:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def url(self, request: Request, page: int) -> str:
        query = dict(request.query_params)
        query["page"] = str(page)
        return f"{request.url.path}?{urlencode(query)}"


class UiKit:
    def __init__(
        self,
        service: str,
        settings: UiSettings,
        *,
        templates: Path | None = None,
        screens: Sequence[Screen] = (),
        start_roles: Sequence[Role] = (),
    ) -> None:
        if not isinstance(settings, UiSettings):  # a service started with the shared settings only
            settings = UiSettings(**settings.model_dump())
        if not settings.login_configured():
            _log.warning("ui_login_not_configured")
        self.service = service
        self.start_roles = tuple(start_roles)
        self.settings = settings
        self.sessions = SessionStore(service, settings)
        self.oidc = OidcClient(settings)
        self.screens = list(screens)
        provider = urlsplit(settings.ui_oidc_issuer or "")
        origin = f" {provider.scheme}://{provider.netloc}" if provider.netloc else ""
        self.security_headers = dict(SECURITY_HEADERS)
        self.security_headers["Content-Security-Policy"] = SECURITY_HEADERS[
            "Content-Security-Policy"
        ].format(provider=origin)
        loaders = [FileSystemLoader(str(templates))] if templates else []
        self.env = Environment(
            loader=ChoiceLoader([*loaders, FileSystemLoader(str(KIT_TEMPLATES))]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["when"] = _when
        self.env.filters["day"] = _day
        self.env.filters["number"] = _number
        self.env.filters["day_input"] = shown_day  # a date field's value: 12-01-2027
        self.router = APIRouter(
            prefix="/ui", route_class=self._route_class(), include_in_schema=False
        )
        self._add_kit_routes()

    def build(self) -> APIRouter:
        """The router with the service's pages, closed by a catch-all that answers any
        other address under ``/ui/`` with the 404 page (call it after adding the pages)."""

        @self.router.get("/{path:path}")
        async def not_found(path: str) -> None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such page")

        return self.router

    # ------------------------------------------------------------------ dependencies

    def page(self, *roles: Role) -> Callable[[Request], Coroutine[Any, Any, Page]]:
        """A dependency: the logged-in user's page, 403 unless they hold one of ``roles``."""
        allowed = frozenset(roles)

        async def current_page(request: Request) -> Page:
            session = self.sessions.load(request.cookies.get(self.sessions.cookie))
            if session is None:
                raise LoginRequired()
            if allowed and not session.principal.has_any_role(*allowed):
                raise HTTPException(status.HTTP_403_FORBIDDEN, "role")
            audit.set_actor(session.principal)  # what the page commits is theirs
            page = Page(self, request, session, self.language(request))
            if request.method == "POST":
                form = await request.form()
                page.form = {k: v for k, v in form.items() if isinstance(v, str)}
                if not session.csrf_ok(page.form.get(CSRF_FIELD)):
                    raise HTTPException(status.HTTP_403_FORBIDDEN, "csrf")
            return page

        current_page.roles = allowed  # type: ignore[attr-defined]  # read by the tests
        return current_page

    def api_page(self, *operations: str) -> Callable[[Request], Coroutine[Any, Any, Page]]:
        """:meth:`page` for the roles the access matrix grants ``operations`` of this
        service (``"GET /groups"``): the page admits whom the API it shows admits."""
        return self.page(*sorted(api_roles(self.service, *operations)))

    def language(self, request: Request) -> str:
        for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
            if candidate in LANGUAGES:
                return candidate
        return self.settings.ui_default_language

    # ------------------------------------------------------------------------ render

    def render(
        self,
        request: Request,
        template: str,
        *,
        language: str,
        session: Session | None,
        flashes: Sequence[tuple[str, str]] = (),
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        gettext = translations(language).gettext
        ngettext = translations(language).ngettext
        principal = session.principal if session else None
        lang_switch_url = _lang_switch_url(request, context.pop("lang_path", None), language)
        html = self.env.get_template(template).render(
            _=gettext,
            ngettext=ngettext,
            language_name=lambda code: language_name(code, language) if code else "",
            readable_time=lambda moment: readable_time(moment, language),
            lang=language,
            other_lang="en" if language == "nl" else "nl",
            request=request,
            service=self.service,
            services=self.navigation(principal),
            principal=principal,
            role_labels=[gettext(ROLE_LABELS[r]) for r in sorted(principal.roles)]
            if principal
            else [],
            csrf=session.csrf if session else "",
            csrf_field=CSRF_FIELD,
            flashes=flashes,
            screens=self.visible_screens(principal),
            service_labels=SERVICE_LABELS,
            lang_switch_url=lang_switch_url,
            **context,
        )
        response = HTMLResponse(html, status_code=status_code, headers=self.security_headers)
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE,
                language,
                path=COOKIE_PATH,
                max_age=365 * 24 * 3600,
                secure=self.settings.ui_cookie_secure,
                httponly=True,
                samesite="lax",
            )
        return response

    def visible_screens(self, principal: Principal | None) -> list[Screen]:
        return visible(self.screens, principal)

    def navigation(self, principal: Principal | None) -> list[tuple[str, str, str, list[Any]]]:
        """Each service's (name, label, start address, [(title, address)]): its main
        screens that ``principal``'s roles admit, at the service's address from settings;
        another service with no screen for them is left out."""
        found = []
        for name, url in self.settings.ui_service_urls.items():
            if name not in SERVICE_LABELS:
                continue
            base = url.rstrip("/")
            own = self.screens if name == self.service else SCREENS.get(name, [])
            links = [(s.title, base + s.path) for s in visible(own, principal)]
            if not links and name != self.service:
                continue  # a heading with nothing under it (a teacher has no intake screen)
            found.append((name, SERVICE_LABELS[name], base + "/ui/", links))
        return found

    def error_page(
        self, request: Request, code: int, detail: str | None = None, *, refused: bool = False
    ) -> Response:
        session = self.sessions.load(request.cookies.get(self.sessions.cookie))
        key: int | str = "refused" if refused else code
        title = ERROR_TITLES.get(key, ERROR_TITLES[400])
        return self.render(
            request,
            "error.html.j2",
            language=self.language(request),
            session=session,
            status_code=code,
            title=title,
            code=code,
            reason=detail,
        )

    # ----------------------------------------------------------------------- routing

    def _route_class(self) -> type[APIRoute]:
        kit = self

        class UiRoute(APIRoute):
            def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
                handler = super().get_route_handler()

                async def handle(request: Request) -> Response:
                    try:
                        return await handler(request)
                    except (LoginRequired, TokenRefused):
                        return kit.to_login(request)
                    except LoginFailed as exc:
                        return kit.error_page(request, 400, exc.reason)
                    except assets.AssetsMissing as exc:
                        _log.error("ui_assets_missing", error=str(exc))
                        return kit.error_page(request, 503)
                    except Refused as exc:
                        return kit.error_page(request, exc.status_code, exc.reason, refused=True)
                    except HTTPException as exc:
                        if exc.status_code < 400:
                            raise
                        return kit.error_page(request, exc.status_code)

                return handle

        return UiRoute

    def to_login(self, request: Request) -> Response:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        location = "/ui/login?" + urlencode({"next": target})
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": location})
        return RedirectResponse(location, status_code=status.HTTP_303_SEE_OTHER)

    def absolute(self, request: Request, path: str) -> str:
        base = (self.settings.public_base_url or str(request.base_url)).rstrip("/")
        return f"{base}{path}"

    def redirect_uri(self, request: Request) -> str:
        return self.absolute(request, "/ui/auth/callback")

    def _add_kit_routes(self) -> None:
        from zroute_ui import routes

        routes.add(self)


def _page_language(context: Context) -> str:
    """The language the page is rendered in (``lang``, as ``<html lang>`` says)."""
    return str(context.get("language") or context.get("lang") or "nl")


@pass_context
def _number(context: Context, value: float | int | None, digits: int = 0) -> str:
    """A number as people read it in the page's language ("2,50" on a Dutch page, "2.50"
    on an English one), with ``digits`` after the separator."""
    if value is None:
        return "\u2013"  # an en dash: no number
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_page_language(context))


@pass_context
def _when(context: Context, moment: datetime | None) -> str:
    """A moment in the deployment's one timezone (ZROUTE_TIMEZONE), as people read it in
    the page's language ("11 jan 2027 09:00"), not as the database writes it."""
    if moment is None:
        return ""
    local = moment.astimezone(local_timezone())
    language = _page_language(context)
    return f"{format_date(local, 'medium', locale=language)} {format_time(local, 'short', locale=language)}"


@pass_context
def _day(context: Context, day: date | None) -> str:
    """A day as people read it in the page's language ("20 jan. 2027"); links and form
    values keep the ISO form."""
    if day is None:
        return "\u2013"  # an en dash: no day
    return format_date(day, "medium", locale=_page_language(context))


def readable_time(moment: datetime | str | None, language: str) -> str:
    """``moment`` in the deployment's timezone (ZROUTE_TIMEZONE), written out in the
    page's language ("6 december 2026, 06:00"); an ISO string (a broker header) is read
    first. Text that is no time is shown as given rather than failing the page."""
    if not moment:
        return ""
    if isinstance(moment, str):
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    else:
        parsed = moment
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # the runtime writes UTC
    local = parsed.astimezone(local_timezone())
    return f"{format_date(local, 'long', locale=language)}, {format_time(local, 'short', locale=language)}"


def _lang_switch_url(request: Request, path: str | None, language: str) -> str:
    """This page in the other language; after a form, the page the form belongs to."""
    other = "en" if language == "nl" else "nl"
    if path is None and request.method != "GET":
        path = "/ui/"
    query = {} if path else {k: v for k, v in request.query_params.items() if k != "lang"}
    return f"{path or request.url.path}?{urlencode(query | {'lang': other})}"


def safe_next(value: str | None) -> str:
    """Only a path on this service's screens: never another site (open redirect)."""
    if value and value.startswith("/ui/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ui/"


__all__ = [
    "CSRF_FIELD",
    "Page",
    "Pagination",
    "Refused",
    "Screen",
    "UiKit",
    "safe_next",
]
