"""Fixtures of the notifications tests: a real SMTP server (aiosmtpd), a real webhook
receiver (``http.server`` in a thread), and the service started in-process."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.helpers import free_port


@dataclass
class SmtpSink:
    """Collects the mail it accepts; ``fail_with`` makes it answer DATA with an error."""

    messages: list[EmailMessage] = field(default_factory=list)
    attempts: int = 0
    fail_with: str | None = None
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.fail_with:
            return self.fail_with
        mail = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(mail)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(mail: EmailMessage) -> str:
        return mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """Records every POST; answers from ``script`` (status, headers) per path, then 204.

    The validation handshake (OPTIONS) is recorded in ``validations``; by default the
    receiver consents to the origin that asks, with no rate limit, and ``consent`` per path
    (status, headers) answers otherwise."""

    requests: list[Received] = field(default_factory=list)
    script: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    validations: list[Received] = field(default_factory=list)
    consent: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)
    base_url: str = ""

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


@pytest.fixture
def webhooks() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            answers = receiver.script.get(self.path) or [(204, {})]
            status, headers = answers.pop(0) if len(answers) > 1 else answers[0]
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_OPTIONS(self) -> None:
            receiver.validations.append(Received(self.path, dict(self.headers.items()), b""))
            origin = self.headers.get("WebHook-Request-Origin", "")
            default = (200, {"WebHook-Allowed-Origin": origin, "WebHook-Allowed-Rate": "*"})
            status, headers = receiver.consent.get(self.path, default)
            self.send_response(status)
            self.send_header("Allow", "POST")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()
