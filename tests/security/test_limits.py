"""Limits before work (issue 12, rows 9, 11 and 12, and the long-lived token), against a
real service (intake) over HTTP."""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta

import httpx
from zroute_runtime.auth import Role, issue_token
from zroute_runtime.settings import ServiceSettings

from tests.helpers import TEST_SIGNING_KEY, token
from tests.security.test_authorization_matrix import start

MAX_BODY = 64 * 1024


async def intake(services, **overrides):
    from zroute_intake.bootstrap import definition
    from zroute_intake.settings import Settings

    settings = services.settings(Settings, **overrides)
    return await services.start(definition(settings), settings)


async def raw_request(port: int, head: bytes, body_chunks: list[bytes]) -> bytes:
    """Sends a request by hand (chunked bodies, invented methods) and returns the answer
    (in a thread: the service runs on this event loop)."""
    return await asyncio.to_thread(_raw_request, port, head, body_chunks)


def _raw_request(port: int, head: bytes, body_chunks: list[bytes]) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the service answered and closed before the whole body was sent
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
        return answer


async def test_row9_a_large_body_is_refused_with_413_before_auth_and_parsing(services):
    runtime = await intake(services, http_max_body_bytes=MAX_BODY)
    base = f"http://127.0.0.1:{runtime.http_port}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as anonymous:
        declared = await anonymous.post("/participants", content=b"{" + b" " * (4 * MAX_BODY))
        assert declared.status_code == 413, declared.text
        assert str(MAX_BODY) in declared.json()["error"]
        small = await anonymous.post("/participants", content=b"{}")
        assert small.status_code == 401  # under the limit: authentication as before

    # No Content-Length: counted while read, refused once past the limit.
    chunk = b" " * 16384
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    head = (
        b"POST /participants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    answer = await raw_request(runtime.http_port, head, [frame] * 40 + [b"0\r\n\r\n"])
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


async def test_row11_invented_methods_do_not_become_metric_labels(services):
    runtime = await intake(services)
    for n in range(20):
        head = f"FOO{n}BAR /participants HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
        await raw_request(runtime.http_port, head.encode(), [])
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.http_port}") as http:
        metrics = (await http.get("/metrics")).text
    assert 'method="OTHER"' in metrics
    assert "FOO1BAR" not in metrics and "FOO19BAR" not in metrics


async def test_row12_api_documentation_needs_a_token_unless_a_setting_says_otherwise(services):
    runtime = await intake(services)
    closed = await start(services, "planning")  # the same rule on another service
    public = await intake(services, api_docs="public")
    off = await intake(services, api_docs="off")
    staff = {"Authorization": f"Bearer {token([Role.CASEWORKER])}"}
    for path in ("/docs", "/redoc", "/openapi.json"):
        for service in (runtime, closed):
            url = f"http://127.0.0.1:{service.http_port}{path}"
            async with httpx.AsyncClient() as http:
                assert (await http.get(url)).status_code == 401, url
                assert (
                    await http.get(url, headers={"Authorization": "Bearer x"})
                ).status_code == 401
                assert (await http.get(url, headers=staff)).status_code == 200, url
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"http://127.0.0.1:{public.http_port}{path}")).status_code == 200
            off_answer = await http.get(f"http://127.0.0.1:{off.http_port}{path}", headers=staff)
            assert off_answer.status_code == 404


async def test_a_token_living_longer_than_the_setting_is_refused(services):
    runtime = await intake(services, auth_max_token_lifetime_s=3600)
    settings = ServiceSettings(auth_signing_key=TEST_SIGNING_KEY)
    century = issue_token(settings, "staff", [Role.CASEWORKER], ttl=timedelta(days=36500))
    hour = issue_token(settings, "staff", [Role.CASEWORKER], ttl=timedelta(minutes=59))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.http_port}") as http:
        long_lived = await http.get("/participants", headers={"Authorization": f"Bearer {century}"})
        assert long_lived.status_code == 401
        assert "lifetime" in long_lived.json()["error"]
        fine = await http.get("/participants", headers={"Authorization": f"Bearer {hour}"})
        assert fine.status_code == 200, fine.text
