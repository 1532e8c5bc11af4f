"""Which webhook targets the service will call (issue 12).

- https only; http only where ``ZROUTE_WEBHOOK_ALLOW_HTTP`` allows it (local runs);
- no credentials in the URL;
- every address the host resolves to must be a global one: loopback, private,
  link-local (169.254.169.254), shared, multicast, reserved and other special-use
  addresses are refused, unless ``ZROUTE_WEBHOOK_ALLOWED_TARGETS`` names the host, the
  address or a network holding it.

The check runs on the addresses after DNS resolution, at the handshake and again before
every delivery; redirects are never followed. Whatever the reason, the caller hears one
neutral sentence (:data:`NEUTRAL`), so refusals cannot be used to map a network.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

NEUTRAL = "the endpoint did not accept the validation request"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The target breaks the policy; ``reason`` is for the log, never for the caller."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TargetPolicy:
    allow_http: bool = False
    allowed: tuple[str, ...] = ()

    def host_of(self, url: str) -> tuple[str, int]:
        """The host and port to resolve; raises :class:`TargetRefused` for a bad URL."""
        parts = urlsplit(url)
        if parts.scheme not in (("https", "http") if self.allow_http else ("https",)):
            raise TargetRefused(f"scheme {parts.scheme!r} not allowed")
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            raise TargetRefused("credentials in the URL")
        if not parts.hostname:
            raise TargetRefused("no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise TargetRefused("bad port") from exc
        return parts.hostname, port

    def check_addresses(self, host: str, addresses: Iterable[str]) -> None:
        """Raises :class:`TargetRefused` unless every address may be called."""
        found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
        if not found:
            raise TargetRefused("the host resolves to no address")
        if host.lower().rstrip(".") in {a.lower() for a in self.allowed}:
            return
        for address in found:
            if not (address.is_global or self._listed(address)):
                raise TargetRefused(f"special-use address {address}")

    def _listed(self, address: Address) -> bool:
        for entry in self.allowed:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue  # a host name, compared before
        return False
