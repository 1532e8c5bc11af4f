"""Settings every service reads from the environment, all under the ``ZROUTE_`` prefix.

A service subclasses :class:`ServiceSettings` for settings of its own; the prefix stays
the same so that one documented list (README, "Configuration") covers them all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "ZROUTE_"


class ServiceSettings(BaseSettings):
    """Runtime settings shared by the four services."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    # Where the service's own database and the broker are.
    database_url: str = "postgresql://postgres@127.0.0.1:5432/zroute_{service}"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"

    # Names on the broker. The prefix lets several systems (or test runs) share a vhost.
    name_prefix: str = "zroute"
    exchange: str = "events"
    # A second copy of a service on the same broker with a database of its own (another
    # municipality's intake service, W 15(4)) consumes from queues of its own,
    # zroute.<service>.<instance>; the copies would otherwise take turns at one queue and
    # each miss half of the events. Unset: zroute.<service>.
    instance: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,30}$")

    # The NL GOV CloudEvents source is urn:nld:oin:<OIN>:systeem:<system>.
    organisation_oin: str = Field(default="00000001002220647000", pattern=r"^[0-9]{20}$")
    system_name: str | None = None

    # HTTP
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    # How long an idle HTTP connection stays open. Longer than the idle timeout of the
    # clients and proxies in front (httpx 5 s, load balancers often 60 s): with equal
    # timeouts a client can send on a connection at the moment the server closes it, and
    # gets a connection error for a request the server never saw.
    http_keep_alive_s: float = Field(default=75.0, gt=0)
    public_base_url: str | None = None

    # Retries before a message is dead-lettered: one delay per retry, in milliseconds.
    retry_delays_ms: list[int] = [1_000, 10_000, 60_000]
    # How long an event whose predecessor has not been seen yet (AwaitingPredecessor)
    # keeps coming back before it is dead-lettered. Must outlast the whole retry
    # schedule, so that a predecessor still being retried is waited for.
    predecessor_wait_s: float = Field(default=600.0, gt=0)
    # Safety net for messages whose consumer dies before it can retry them (crash loops).
    # Must stay above the retry count: the retry policy acks and republishes, so a
    # message only counts deliveries here when its consumer crashed while holding it.
    delivery_limit: int = 10
    # Messages in hand at once. Each participant's (CloudEvent subject's) events are
    # handled one after the other in delivery order, different participants' at the same
    # time (consumer.py, the lanes); 1 handles the whole queue one at a time. No message
    # is ever handed back (a requeue counts towards delivery_limit): only a closed
    # channel returns the ones in hand, one delivery each. 8 keeps the handlers within the
    # pool of 10 connections, with room for the relay, timers and HTTP.
    prefetch: int = Field(default=8, ge=1)
    # Deliveries ready at the same time (of different participants) handled in one
    # transaction, at most this many (consumer.py): one BEGIN, COMMIT and WAL flush for
    # all of them. A batch in which anything fails is rolled back and each of its events
    # handled alone, so this changes cost, never an outcome. 1: each in its own.
    consume_batch_size: int = Field(default=16, ge=1)
    # Larger messages are dead-lettered unread (the largest event is about 1 KB).
    max_message_bytes: int = Field(default=262_144, ge=1024)

    # Outbox relay
    relay_batch_size: int = 200
    relay_window: int = 100
    relay_poll_interval_s: float = 1.0
    # How long a relay's claim keeps other relays off the rows it is publishing. A relay
    # that dies holding a claim delays those rows (and its participants' later ones) this
    # long; one still publishing when it runs out causes duplicates at most (relay.py).
    # Well above a batch's publish time, well below the fault suite's 60 s without progress.
    relay_lease_s: float = Field(default=30.0, gt=0)

    # Durable timers
    timer_poll_interval_s: float = 1.0

    # Clock: "system" in production; "simulated" starts at clock_start and moves only
    # when an operator (the demo, a test) advances it.
    clock: Literal["system", "simulated"] = "system"
    clock_start: datetime | None = None
    # The local timezone that rules count days in (an IANA name); stored moments are UTC.
    timezone: str = "Europe/Amsterdam"

    # Authentication: a local HS256 signing key, or an OIDC provider's JWKS in production.
    auth_signing_key: SecretStr | None = None
    auth_oidc_jwks_url: str | None = None
    auth_issuer: str = "zroute-local"
    auth_audience: str = "zroute"
    # The provider's access tokens when they are opaque (no JWT): checked at its userinfo
    # endpoint, the answer kept for auth_userinfo_cache_s (0: asked on every request).
    # JWT-shaped tokens still go to the JWKS (or local key) check above.
    auth_oidc_userinfo_url: str | None = None
    auth_userinfo_cache_s: int = Field(default=30, ge=0, le=300)
    # How the provider's claims map to ours, as the screens' login maps them; unset, the
    # service's ui_claim_* and ui_role_map settings count (zroute_ui.settings).
    auth_claim_roles: str | None = None
    auth_claim_partner: str | None = None
    auth_claim_municipality: str | None = None
    auth_role_map: dict[str, str] | None = None
    # Tokens living longer than this (exp - iat, or exp - now without iat) are refused.
    auth_max_token_lifetime_s: int = Field(default=12 * 3600, gt=0)

    # Limits applied before any work: the largest request body read (413 beyond it,
    # counted while reading, before authentication and parsing), and who may read the
    # API documentation (/docs, /redoc, /openapi.json): "token", "public" or "off".
    http_max_body_bytes: int = Field(default=1_048_576, ge=1024)
    api_docs: Literal["token", "public", "off"] = "token"

    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("retry_delays_ms")
    @classmethod
    def _bounded_retries(cls, value: list[int]) -> list[int]:
        if any(v <= 0 for v in value):
            raise ValueError("retry delays must be positive")
        return value

    @model_validator(mode="after")
    def _wait_outlasts_retries(self) -> ServiceSettings:
        if self.predecessor_wait_s * 1000 <= sum(self.retry_delays_ms):
            raise ValueError(
                "predecessor_wait_s must be longer than the retry delays together "
                f"({sum(self.retry_delays_ms) / 1000:g} s): a predecessor being retried "
                "must be waited for"
            )
        return self

    def source_urn(self, service: str) -> str:
        """The CloudEvents ``source`` of this service."""
        return (
            f"urn:nld:oin:{self.organisation_oin}:systeem:{self.system_name or 'zroute-' + service}"
        )

    def database_url_for(self, service: str) -> str:
        return self.database_url.replace("{service}", service)

    def name(self, *parts: str) -> str:
        """A broker object name under the prefix: ``name('intake')`` -> ``zroute.intake``."""
        return ".".join([self.name_prefix, *parts])

    @property
    def exchange_name(self) -> str:
        return self.name(self.exchange)
