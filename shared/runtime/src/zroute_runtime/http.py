"""The FastAPI app every service serves: its routers plus the same operational surface.

:func:`create_app` adds, for every service alike:

- ``GET /health``: liveness, no auth; 200 as long as the process answers at all.
- ``GET /ready``: readiness, no auth; runs the service's checks (database, broker) and
  answers 200 when all pass, 503 naming the ones that failed.
- ``GET /metrics``: Prometheus text from the service's own registry, no auth
  (``?name[]=<series>`` keeps only the series named).
- a request id on every request (``X-Request-ID``, taken from the caller when sane) bound
  to every log line written while handling it;
- request metrics and one ``http_request_completed`` log line per request, labelled by
  route template, never by raw path (raw paths carry ids and would explode the series);
- one JSON error shape, ``{"error": "...", "detail": [...]}``, for every 4xx and 5xx.
  Validation errors list location and message only, never the input that was sent:
  a request body may hold personal data.

Run the app with uvicorn's ``log_config=None`` (and ``access_log=False``) so its lines go
through :func:`zroute_runtime.logging.configure_logging`.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from http import HTTPStatus
from typing import Any

from asyncpg.exceptions import CharacterNotInRepertoireError, UntranslatableCharacterError
from fastapi import APIRouter, Depends, FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zroute_runtime.auth import AuthUnavailable, InvalidToken, build_verifier
from zroute_runtime.auth.dependencies import REALM, authorize
from zroute_runtime.auth.matrix import Access, is_screen
from zroute_runtime.logging import get_logger, request_context
from zroute_runtime.metrics import Metrics
from zroute_runtime.settings import ServiceSettings

__all__ = ["REQUEST_ID_HEADER", "Lifespan", "Readiness", "create_app", "error_body"]

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode()  # as ASGI spells header names
# A probe must answer before the orchestrator gives up on it, even if a check hangs.
READINESS_TIMEOUT_S = 5.0
UNMATCHED_ROUTE = "<unmatched>"
_OPERATIONAL_PATHS = frozenset({"/health", "/ready", "/metrics"})
_DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})
# Metric labels stay bounded: any other method a client invents is counted as OTHER.
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "OTHER"
# Caller-supplied ids are echoed into logs and headers: accept only plain tokens.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

Readiness = Callable[[], Awaitable[Mapping[str, bool]]]
"""Returns one named boolean per dependency, e.g. ``{"database": True, "broker": False}``."""

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]

_log = get_logger(__name__)


def error_body(error: str, detail: Sequence[Any] = ()) -> dict[str, Any]:
    """The JSON body of every error response: a reason and a list of specifics."""
    return {"error": error, "detail": list(detail)}


def create_app(
    *,
    service: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    readiness: Readiness,
    metrics: Metrics,
    lifespan: Lifespan | None = None,
    version: str,
    access: Mapping[tuple[str, str], Access] | None = None,
) -> FastAPI:
    """Build a service's FastAPI app with auth, operational endpoints, metrics and errors.

    ``lifespan`` is the service's own start/stop context (pools, broker, relay); it runs
    inside a wrapper that logs start and stop.

    ``access`` is the service's access matrix (``zroute_runtime.auth.matrix``): every
    operation is then checked against it before the route runs, and an operation the
    matrix does not name stops the app from being built.
    """
    docs_off = settings.api_docs == "off"
    app = FastAPI(
        title=f"Z-route {service}",
        version=version,
        lifespan=_logged_lifespan(version, lifespan),
        docs_url=None if docs_off else "/docs",
        redoc_url=None if docs_off else "/redoc",
        openapi_url=None if docs_off else "/openapi.json",
        dependencies=[Depends(authorize)] if access is not None else None,
    )
    app.state.service = service
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.auth = build_verifier(settings)
    app.state.access = access

    app.include_router(_operations_router(service, version, readiness, metrics))
    for router in routers:
        app.include_router(router)
    if access is not None:
        _check_matrix_covers(app, service, access)

    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(RequestValidationError, _validation_exception_handler)
    for unstorable in (UntranslatableCharacterError, CharacterNotInRepertoireError):
        app.add_exception_handler(unstorable, _unstorable_text_handler)
    # One middleware for the request id, the metrics and log line, the body limit and the
    # docs guard (issue 20: four nested layers cost a frame and a send wrapper each).
    app.add_middleware(
        _ServiceMiddleware,
        metrics=metrics,
        max_bytes=settings.http_max_body_bytes,
        docs_mode=settings.api_docs,
    )
    return app


def _operations(routes: Sequence[BaseRoute], prefix: str = "") -> list[tuple[str, str]]:
    """Every (method, path template) of ``routes``, walking included routers (FastAPI
    keeps an included router as one entry of ``app.routes``, not as its routes)."""
    found: list[tuple[str, str]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found += [(m, prefix + route.path_format) for m in route.methods or ()]
        elif isinstance(getattr(route, "original_router", None), APIRouter):
            context = getattr(route, "include_context", None)
            inner: APIRouter = route.original_router  # type: ignore[attr-defined]
            found += _operations(inner.routes, prefix + getattr(context, "prefix", ""))
    return found


def _check_matrix_covers(
    app: FastAPI, service: str, access: Mapping[tuple[str, str], Access]
) -> None:
    # The screens under /ui/ are authorised by the UI kit (session and page roles).
    operations = [(m, p) for m, p in _operations(app.routes) if not is_screen(p)]
    missing = [f"{m} {p}" for m, p in operations if m != "HEAD" and (m, p) not in access]
    if missing:
        raise RuntimeError(
            f"{service}: operations without an access matrix entry: {', '.join(sorted(missing))}"
        )


def _logged_lifespan(version: str, inner: Lifespan | None) -> Lifespan:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        _log.info("service_starting", version=version)
        if inner is None:
            _log.info("service_started", version=version)
            yield None
        else:
            async with inner(app) as state:
                _log.info("service_started", version=version)
                yield state
        _log.info("service_stopped", version=version)

    return lifespan


def _operations_router(
    service: str, version: str, readiness: Readiness, metrics: Metrics
) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health", summary="Liveness: the process answers")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": service, "version": version}

    @router.get(
        "/ready",
        summary="Readiness: the service's dependencies answer",
        responses={503: {"description": "At least one check failed; `failed` names them"}},
    )
    async def ready() -> JSONResponse:
        checks = await _run_readiness(readiness)
        failed = sorted(name for name, ok in checks.items() if not ok)
        body = {"status": "not_ready" if failed else "ready", "checks": checks, "failed": failed}
        code = status.HTTP_503_SERVICE_UNAVAILABLE if failed else status.HTTP_200_OK
        return JSONResponse(body, status_code=code)

    @router.get("/metrics", include_in_schema=False)
    async def prometheus_metrics(request: Request) -> Response:
        names = request.query_params.getlist("name[]")
        payload, content_type = metrics.render(request.headers.get("accept"), names)
        return Response(payload, headers={"Content-Type": content_type})

    return router


async def _run_readiness(readiness: Readiness) -> dict[str, bool]:
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_S):
            return {name: bool(ok) for name, ok in (await readiness()).items()}
    except TimeoutError:
        _log.warning("readiness_check_timed_out", timeout_s=READINESS_TIMEOUT_S)
    except Exception:
        _log.warning("readiness_check_failed", exc_info=True)
    # The check itself broke: not ready, and say so under one name.
    return {"readiness_check": False}


def _http_error_parts(status_code: int, detail: Any) -> tuple[str, list[Any]]:
    try:
        phrase = HTTPStatus(status_code).phrase
    except ValueError:
        phrase = "error"
    if isinstance(detail, str) and detail:
        return detail, []
    if isinstance(detail, dict) and isinstance(detail.get("error"), str):
        return detail["error"], list(detail.get("detail") or [])  # a reason with its problems
    if isinstance(detail, list | tuple):
        return phrase, list(detail)
    if detail is None or detail == "":
        return phrase, []
    return phrase, [detail]


async def _http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code in (status.HTTP_204_NO_CONTENT, status.HTTP_304_NOT_MODIFIED):
        return Response(status_code=exc.status_code, headers=headers)
    error, detail = _http_error_parts(exc.status_code, exc.detail)
    return JSONResponse(error_body(error, detail), status_code=exc.status_code, headers=headers)


async def _validation_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Only where and what: pydantic's "input" and "ctx" may repeat what the caller sent.
    detail = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type")}
        for error in exc.errors()
    ]
    return JSONResponse(
        error_body("request validation failed", detail),
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


async def _unstorable_text_handler(request: Request, exc: Exception) -> Response:
    # PostgreSQL cannot store a NUL character in text; by now the unit of work has rolled
    # back, so nothing is half-stored, and the caller gets the reason instead of a 500.
    return JSONResponse(
        error_body("text must not contain NUL (U+0000)", [{"msg": "remove NUL characters"}]),
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    if route is None:
        return UNMATCHED_ROUTE
    return str(getattr(route, "path_format", None) or getattr(route, "path", UNMATCHED_ROUTE))


class _ServiceMiddleware:
    """Every request's surroundings, in one pure ASGI layer, in this order:

    1. **Request id**: taken from ``X-Request-ID`` when sane, else a new one; put on
       ``scope["state"]``, echoed in the answer's header, and bound to every log line
       written while the request is handled.
    2. **Observation**: the request is counted and timed and logged once
       (``http_request_completed``) by route template; an unhandled error is logged inside
       the request-id context (Starlette's own handler runs outside it) and answered with
       the JSON 500, unless the answer had begun.
    3. **Body limit**: a body larger than ``max_bytes`` is refused with 413 before any
       work on it. A declared ``Content-Length`` over the limit is refused unread; a body
       without one is counted while it is read, and reading stops at the limit. Nothing is
       parsed or authenticated first, so an anonymous caller cannot make the service hold
       a large body.
    4. **Docs guard**: ``/docs``, ``/redoc`` and ``/openapi.json`` are served as
       ``ZROUTE_API_DOCS`` says: to anyone (``public``), to callers with a valid token
       (``token``), or not at all (``off``, where the app has no such routes).

    One layer instead of four (issue 20): the headers are read into a dict once, and each
    answer passes one send wrapper instead of two.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics, max_bytes: int, docs_mode: str) -> None:
        self.app = app
        self.metrics = metrics
        self.max_bytes = max_bytes
        self.docs_mode = docs_mode
        self.too_large = f"request body larger than {max_bytes} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(_REQUEST_ID_KEY, b"").decode("latin-1")
        request_id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
        response_started = False

        async def send_observed(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
                status_code = message["status"]
                response_started = True
            await send(message)

        with request_context(request_id):
            try:
                await self._guarded(scope, headers, receive, send_observed)
            except Exception:
                _log.exception(
                    "http_request_failed", method=scope["method"], route=_route_template(scope)
                )
                if response_started:
                    raise
                response = JSONResponse(
                    error_body("internal server error"),
                    status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
                )
                await response(scope, receive, send_observed)
                status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
            finally:
                self._observe(scope, status_code, time.perf_counter() - started)

    async def _guarded(
        self, scope: Scope, headers: Mapping[bytes, bytes], receive: Receive, send: Send
    ) -> None:
        """The body limit and the docs guard, then the app."""
        declared = headers.get(b"content-length", b"").decode("latin-1")
        # isascii: str.isdigit() also accepts "²", which int() refuses (a 500, not a 413).
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_error(send, 413, self.too_large, {"Connection": "close"})
            return
        if self.docs_mode == "token" and scope["path"] in _DOCS_PATHS:
            refusal = await _docs_refusal(scope, headers)
            if refusal is not None:
                await _send_error(send, *refusal)
                return
        await self.app(scope, self._limited(receive), send)

    def _limited(self, receive: Receive) -> Receive:
        """``receive``, raising 413 as soon as the body read so far exceeds the limit."""
        received = 0
        max_bytes, too_large = self.max_bytes, self.too_large

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise StarletteHTTPException(413, too_large, headers={"Connection": "close"})
            return message

        return limited_receive

    def _observe(self, scope: Scope, status_code: int, duration: float) -> None:
        route = _route_template(scope)
        method = scope["method"] if scope["method"] in _KNOWN_METHODS else OTHER_METHOD
        self.metrics.observe_http_request(method, route, status_code, duration)
        # Probes and scrapes arrive every few seconds: keep them out of INFO.
        log = _log.debug if route in _OPERATIONAL_PATHS else _log.info
        log(
            "http_request_completed",
            method=method,
            route=route,
            status=status_code,
            duration_ms=round(duration * 1000, 1),
        )


async def _docs_refusal(
    scope: Scope, headers: Mapping[bytes, bytes]
) -> tuple[int, str, dict[str, str]] | None:
    """Why a request for the docs in ``token`` mode is refused (status, reason, headers),
    or None when its bearer token is valid."""
    header = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, credentials = header.partition(" ")
    verifier = scope["app"].state.auth
    try:
        if scheme.lower() != "bearer" or not credentials:
            raise InvalidToken("missing bearer token")
        await verifier.verify(credentials.strip())
    except InvalidToken as exc:
        return 401, exc.reason, {"WWW-Authenticate": f'Bearer realm="{REALM}"'}
    except AuthUnavailable as exc:
        return 503, exc.reason, {}
    return None


async def _send_error(send: Send, status_code: int, error: str, headers: Mapping[str, str]) -> None:
    response = JSONResponse(error_body(error), status_code=status_code, headers=dict(headers))
    await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
