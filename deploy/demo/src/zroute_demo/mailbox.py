"""A local SMTP server for the demo: the notifications service mails here, and the
summary counts what arrived (nothing leaves the machine)."""

from __future__ import annotations

import socket
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        subject = message_from_bytes(envelope.content).get("Subject", "")
        self.messages.append((list(envelope.rcpt_tos), subject))
        return "250 OK"


class Mailbox:
    """``with Mailbox() as box:`` serves SMTP on 127.0.0.1:<box.port>."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._handler = _Handler()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Mailbox:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    @property
    def count(self) -> int:
        return len(self._handler.messages)

    def by_recipient_domain(self) -> Counter[str]:
        return Counter(r.split("@")[-1] for rcpts, _ in self._handler.messages for r in rcpts)
