"""The app factory on a real endpoint: operational routes, request ids, metrics, error shape."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from zroute_runtime import http as http_module
from zroute_runtime.auth import Role, TokenVerifier, issue_token
from zroute_runtime.metrics import Metrics

from tests.runtime.http_fixtures import SERVICE, local_settings, probe_app, serve

SETTINGS = local_settings()
CASEWORKER = {"Authorization": f"Bearer {issue_token(SETTINGS, 'staff-1', [Role.CASEWORKER])}"}


@asynccontextmanager
async def client_for(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as http:
        yield http


@pytest.fixture(scope="module")
async def metrics() -> Metrics:
    return Metrics(SERVICE)


@pytest.fixture(scope="module")
async def client(metrics: Metrics) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(probe_app(SETTINGS, metrics=metrics)) as http:
        yield http


# --- operational endpoints --------------------------------------------------------------


async def test_health_answers_200_without_a_token(client) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": SERVICE, "version": "0.0.1-test"}


async def test_ready_answers_200_when_every_check_passes(client) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": True, "broker": True},
        "failed": [],
    }


async def test_ready_answers_503_naming_the_failed_checks() -> None:
    async def broker_down() -> Mapping[str, bool]:
        return {"database": True, "broker": False}

    async with client_for(probe_app(readiness=broker_down)) as http:
        response = await http.get("/ready")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


async def test_ready_answers_503_when_a_check_raises() -> None:
    async def broken() -> Mapping[str, bool]:
        raise ConnectionError("database refused")

    async with client_for(probe_app(readiness=broken)) as http:
        response = await http.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"readiness_check": False}


async def test_ready_answers_503_when_a_check_hangs(monkeypatch) -> None:
    monkeypatch.setattr(http_module, "READINESS_TIMEOUT_S", 0.05)

    async def hanging() -> Mapping[str, bool]:
        await asyncio.sleep(60)
        return {"database": True}

    async with client_for(probe_app(readiness=hanging)) as http:
        response = await http.get("/ready")
    assert response.status_code == 503


async def test_metrics_are_prometheus_text_labelled_by_route_template(client) -> None:
    staff = issue_token(SETTINGS, "s", [Role.PARTNER_STAFF], partner_id="taalschool-a")
    await client.get("/partners/taalschool-a/things", headers={"Authorization": f"Bearer {staff}"})
    await client.get("/no/such/path")

    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        'zroute_http_requests_total{method="GET",route="/partners/{partner_id}/things",'
        f'service="{SERVICE}",status="200"}} 1.0'
    ) in text
    assert 'route="<unmatched>"' in text
    assert "taalschool-a" not in text
    assert "zroute_outbox_unpublished" in text


async def test_metrics_named_in_the_query_are_the_only_ones_rendered(client, metrics) -> None:
    """A poller of a few series (the demo's settling, many times a second) gets those, not
    the whole registry with every route's histogram."""
    await client.get("/health")
    metrics.record_published("nl.zroute.intake.intake-completed.v1")
    response = await client.get(
        "/metrics",
        params=[
            ("name[]", "zroute_outbox_unpublished"),
            ("name[]", "zroute_events_published_total"),
        ],
    )
    assert response.status_code == 200
    families = {
        line.split("{")[0].split(" ")[0]
        for line in response.text.splitlines()
        if line and not line.startswith("#")
    }
    assert families == {"zroute_outbox_unpublished", "zroute_events_published_total"}, families
    assert "zroute_http_request" not in response.text


async def test_two_apps_in_one_process_keep_separate_registries() -> None:
    first, second = Metrics(SERVICE), Metrics(SERVICE)
    probe_app(metrics=first)
    probe_app(metrics=second)
    first.record_published("nl.zroute.intake.intake-completed.v1")
    payload, _ = second.render()
    assert b"intake-completed" not in payload


# --- request ids ----------------------------------------------------------------------


async def test_every_response_carries_a_request_id(client) -> None:
    response = await client.get("/health")
    assert len(response.headers["X-Request-ID"]) == 32


async def test_a_sane_incoming_request_id_is_kept(client) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "abc-123.XYZ_9"})
    assert response.headers["X-Request-ID"] == "abc-123.XYZ_9"


async def test_an_unsafe_incoming_request_id_is_replaced(client) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["X-Request-ID"] != "bad id\twith spaces"


# --- the one middleware: body limit, docs guard, observation -------------------------------


def _series(text: str, route: str, status: int) -> float:
    """The value of ``zroute_http_requests_total`` for one route and status (0 if absent)."""
    for line in text.splitlines():
        series = line.startswith("zroute_http_requests_total{")
        if series and f'route="{route}"' in line and f'status="{status}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_a_declared_body_over_the_limit_gets_413_with_its_id_counted_and_logged() -> None:
    # One middleware now does what four did (issue 20): the refusal before any work still
    # carries the request id, is counted by the metrics and written as the request's line.
    from tests.runtime.test_logging import captured_logs, json_lines

    settings = local_settings(http_max_body_bytes=1024)
    metrics = Metrics(SERVICE)
    with captured_logs() as buffer:
        async with client_for(probe_app(settings, metrics=metrics)) as http:
            response = await http.post(
                "/things", content=b"{" + b" " * 4096 + b"}", headers={"X-Request-ID": "req-413"}
            )
            small = await http.post("/things", json={"count": 3, "code": "abc"})
        lines = json_lines(buffer)
    assert response.status_code == 413
    assert "1024" in response.json()["error"]
    assert response.headers["X-Request-ID"] == "req-413"
    assert small.status_code == 401  # under the limit: authentication as before
    payload, _ = metrics.render()
    assert _series(payload.decode(), "<unmatched>", 413) == 1.0
    refused = [line for line in lines if line.get("request_id") == "req-413"]
    assert [line["event"] for line in refused] == ["http_request_completed"]
    assert refused[0]["status"] == 413


async def test_a_streamed_body_is_refused_once_past_the_limit() -> None:
    settings = local_settings(http_max_body_bytes=1024)
    metrics = Metrics(SERVICE)
    chunk = b" " * 512
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    head = (
        "POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: {CASEWORKER['Authorization']}\r\nX-Request-ID: req-s\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    async with serve(probe_app(settings, metrics=metrics)) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            writer.write(head)
            for _ in range(8):  # no Content-Length: counted while read
                writer.write(frame)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(65536), timeout=10)
        finally:
            writer.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"x-request-id: req-s" in answer.lower()
    payload, _ = metrics.render()
    assert _series(payload.decode(), "/things", 413) == 1.0


async def test_the_docs_need_a_valid_token_in_token_mode_and_answers_carry_an_id(client) -> None:
    for path in ("/docs", "/redoc", "/openapi.json"):
        anonymous = await client.get(path)
        assert anonymous.status_code == 401, path
        assert anonymous.headers["WWW-Authenticate"] == 'Bearer realm="zroute"'
        assert len(anonymous.headers["X-Request-ID"]) == 32
        assert (await client.get(path, headers={"Authorization": "Bearer x"})).status_code == 401
        assert (await client.get(path, headers=CASEWORKER)).status_code == 200, path


async def test_a_bug_in_a_handler_is_counted_and_logged_as_a_500_of_its_request() -> None:
    from tests.runtime.test_logging import captured_logs, json_lines

    metrics = Metrics(SERVICE)
    with captured_logs() as buffer:
        async with client_for(probe_app(SETTINGS, metrics=metrics)) as http:
            await http.get("/boom", headers={**CASEWORKER, "X-Request-ID": "req-bug"})
        lines = [line for line in json_lines(buffer) if line.get("request_id") == "req-bug"]
    assert [line["event"] for line in lines] == ["http_request_failed", "http_request_completed"]
    assert lines[1]["status"] == 500 and lines[1]["route"] == "/boom"
    payload, _ = metrics.render()
    assert 'route="/boom",service="' in payload.decode()
    assert _series(payload.decode(), "/boom", 500) == 1.0


# --- one error shape ----------------------------------------------------------------------


async def test_validation_errors_name_location_and_message_but_never_echo_input(client) -> None:
    response = await client.post(
        "/things", json={"count": 111222333, "code": "Jan Jansen"}, headers=CASEWORKER
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "request validation failed"
    assert {tuple(d["loc"]) for d in body["detail"]} == {("body", "count"), ("body", "code")}
    assert all(set(d) == {"loc", "msg", "type"} for d in body["detail"])
    assert "111222333" not in response.text
    assert "Jansen" not in response.text


async def test_a_malformed_json_body_gets_422_without_echo(client) -> None:
    response = await client.post(
        "/things",
        content=b'{"count": 3, "code": "Jan Jansen"',
        headers={**CASEWORKER, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "request validation failed"
    assert "Jansen" not in response.text


async def test_an_unknown_path_gets_404_in_the_error_shape(client) -> None:
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "detail": []}


async def test_a_wrong_method_gets_405_in_the_error_shape(client) -> None:
    response = await client.delete("/cases", headers=CASEWORKER)
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed", "detail": []}


async def test_a_bug_in_a_handler_gets_a_json_500_with_the_request_id(client) -> None:
    response = await client.get("/boom", headers={**CASEWORKER, "X-Request-ID": "req-500"})
    assert response.status_code == 500
    assert response.json() == {"error": "internal server error", "detail": []}
    assert response.headers["X-Request-ID"] == "req-500"
    assert "a bug in a handler" not in response.text


async def test_a_valid_request_succeeds(client) -> None:
    response = await client.post("/things", json={"count": 3, "code": "abc"}, headers=CASEWORKER)
    assert response.status_code == 201
    assert response.json() == {"count": 3, "code": "abc"}


# --- wiring ---------------------------------------------------------------------------


async def test_openapi_offers_the_bearer_scheme_on_protected_routes_only(client) -> None:
    spec = (await client.get("/openapi.json", headers=CASEWORKER)).json()
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A JWT from the identity provider (or `issue_token` for local runs).",
    }
    assert spec["paths"]["/cases"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in spec["paths"]["/health"]["get"]
    assert "/metrics" not in spec["paths"]


def test_the_factory_puts_the_verifier_on_app_state() -> None:
    app = probe_app()
    assert isinstance(app.state.auth, TokenVerifier)


async def test_the_services_own_lifespan_runs_inside_the_app() -> None:
    calls: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        calls.append("start")
        yield
        calls.append("stop")

    async with client_for(probe_app(lifespan=lifespan)) as http:
        assert (await http.get("/health")).status_code == 200
        assert calls == ["start"]
    assert calls == ["start", "stop"]


def test_an_included_operation_without_a_matrix_entry_stops_the_app() -> None:
    """FastAPI keeps an included router as one entry of ``app.routes``: the coverage
    check must walk into it, or it checks nothing."""
    from fastapi import APIRouter
    from zroute_runtime.auth.matrix import COMMON

    from tests.runtime.http_fixtures import all_ready, probe_router

    def build(access: Mapping) -> FastAPI:
        outer = APIRouter()
        outer.include_router(probe_router(), prefix="/nested")
        return http_module.create_app(
            service=SERVICE,
            settings=local_settings(),
            routers=[outer],
            readiness=all_ready,
            metrics=Metrics(SERVICE),
            version="0.0.1-test",
            access=access,
        )

    with pytest.raises(RuntimeError, match=r"without an access matrix entry: .*/nested/"):
        build(COMMON)


async def test_a_content_length_of_non_ascii_digits_is_not_a_server_error() -> None:
    # latin-1 b"\xb2" is "²", which str.isdigit() accepts and int() refuses: the body limit
    # must pass it on (the server in front refuses it), not fail with a 500.
    app = probe_app(local_settings(http_max_body_bytes=1024))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/health",
        "raw_path": b"/health",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"x"), (b"content-length", b"\xb2")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 200
