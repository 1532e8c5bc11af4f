"""A webhook receiver for the demo, standing in for a municipality's case system that
cannot speak AMQP: it consents in the validation handshake, checks the bearer token and
the HMAC signature of every delivery (as docs/notifications.md tells receivers to) and
counts what it accepted."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class WebhookReceiver:
    """``with WebhookReceiver(token) as hook:`` listens on ``hook.url``."""

    def __init__(self, bearer_token: str) -> None:
        self.bearer_token = bearer_token
        self.signing_secret = ""
        self.accepted: list[dict] = []
        self.refused = 0
        self.origins: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.verify(self.headers, body):
                    receiver.accepted.append(json.loads(body))
                    self.send_response(204)
                else:
                    receiver.refused += 1
                    self.send_response(401)
                self.end_headers()

            def do_OPTIONS(self) -> None:
                # The validation handshake: consent to the notifications service's origin.
                receiver.origins.append(self.headers.get("WebHook-Request-Origin", ""))
                self.send_response(200)
                self.send_header("Allow", "POST")
                self.send_header("WebHook-Allowed-Origin", receiver.origins[-1] or "*")
                self.send_header("WebHook-Allowed-Rate", "*")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/zroute-events"

    def verify(self, headers, body: bytes) -> bool:
        if headers.get("Authorization") != f"Bearer {self.bearer_token}":
            return False
        timestamp = headers.get("Zroute-Timestamp", "")
        signed = hmac.new(
            self.signing_secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        offered = [
            v.strip().removeprefix("v1=") for v in headers.get("Zroute-Signature", "").split(",")
        ]
        return any(hmac.compare_digest(signed, v) for v in offered)

    def __enter__(self) -> WebhookReceiver:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
