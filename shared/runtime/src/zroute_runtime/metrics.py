"""Prometheus metrics of one service, in a registry of its own.

Each :class:`Metrics` owns a ``CollectorRegistry`` instead of using the library's global
one, so several services (or several test apps) can live in one process without their
series colliding. ``GET /metrics`` (see :mod:`zroute_runtime.http`) serves that registry.

Every series carries a ``service`` label: one Prometheus usually scrapes all four
services and dashboards compare them side by side.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder

ConsumeOutcome = Literal["handled", "duplicate", "awaiting_predecessor"]

# Event handlers and HTTP requests in this system take milliseconds to a few seconds.
_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The metrics a Z-route service exposes, registered in ``self.registry``.

    Record through the methods (they fill in the ``service`` label); the collectors are
    public attributes for tests and for anything the methods do not cover.
    """

    def __init__(self, service: str, registry: CollectorRegistry | None = None) -> None:
        self.service = service
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        reg = self.registry

        self.events_published = Counter(
            "zroute_events_published_total",
            "Events the outbox relay handed to the broker and the broker confirmed. "
            "Flat while state changes happen means the relay is stuck: see the outbox gauges.",
            ["service", "type"],
            registry=reg,
        )

        self.events_consumed = Counter(
            "zroute_events_consumed_total",
            "Events this service took off its queue. outcome=handled ran the handler; "
            "outcome=duplicate was a redelivery already in the inbox and had no effect; "
            "outcome=awaiting_predecessor came before an event it depends on and was handed "
            "back to wait for it (a burst after an outage is normal, a steady flow is not). "
            "A steady share of duplicates points at consumers crashing before they ack.",
            ["service", "type", "outcome"],
            registry=reg,
        )

        self.events_retried = Counter(
            "zroute_events_retried_total",
            "Handler failures that were scheduled for another attempt after a delay. "
            "Rising means a dependency (database, a partner's endpoint) is failing.",
            ["service", "type"],
            registry=reg,
        )

        self.events_dead_lettered = Counter(
            "zroute_events_dead_lettered_total",
            "Messages moved to the dead-letter queue; each one needs an operator. "
            "reason_kind says why: invalid (failed validation), unexpected-type (no "
            "handler here: wrongly routed), unprocessable (refused for good, e.g. an "
            "unknown participant) or retries-exhausted (the handler kept failing).",
            ["service", "reason_kind"],
            registry=reg,
        )

        self.events_unrouted = Counter(
            "zroute_events_unrouted_total",
            "Events meant only for integrators (no platform service consumes them) that "
            "no queue was bound for when published. Expected while no integrator "
            "subscribes; never counts events a platform service consumes (those wait).",
            ["service", "type"],
            registry=reg,
        )

        self.outbox_unpublished = Gauge(
            "zroute_outbox_unpublished",
            "Committed events in the outbox not yet confirmed by the broker. Near zero "
            "normally; growing means the broker is down or the relay is not running.",
            ["service"],
            registry=reg,
        )

        self.outbox_oldest_age_seconds = Gauge(
            "zroute_outbox_oldest_age_seconds",
            "Age of the oldest unpublished outbox event: how late other services learn "
            "about this service's changes. Alert when it stays above a minute.",
            ["service"],
            registry=reg,
        )

        self.timers_fired = Counter(
            "zroute_timers_fired_total",
            "Durable timers that fell due and fired (reviews due, unanswered referrals, "
            "late placements, digests). Each timer fires once across all instances.",
            ["service", "kind"],
            registry=reg,
        )

        self.http_requests = Counter(
            "zroute_http_requests_total",
            "HTTP requests answered, by route template (not the raw path) and status. "
            "Many 401/403 may be a misconfigured client or someone probing.",
            ["service", "method", "route", "status"],
            registry=reg,
        )

        self.http_request_duration = Histogram(
            "zroute_http_request_duration_seconds",
            "Time from request to complete response, by route template.",
            ["service", "method", "route"],
            buckets=_DURATION_BUCKETS,
            registry=reg,
        )

        self.event_handle_duration = Histogram(
            "zroute_event_handle_duration_seconds",
            "Time a handler took for one event, its database transaction included. "
            "Slow handlers lengthen queues and delay every later event.",
            ["service", "type"],
            buckets=_DURATION_BUCKETS,
            registry=reg,
        )

        self.consume_batch_events = Histogram(
            "zroute_consume_batch_events",
            "Events the consumer handled in one transaction, per batch of more than one "
            "(result together: committed as one; split: rolled back, each handled again "
            "alone). Many splits mean handlers failing or waiting for predecessors.",
            ["service", "result"],
            buckets=(2, 4, 8, 16, 32, 64),
            registry=reg,
        )

        # The consumer's two series per handled event, by (type, outcome): looked up once,
        # not per event (a labelled child, once made, is the same object for good).
        self._handled: dict[tuple[str, str], tuple[Counter, Histogram]] = {}

        # Start the gauges at zero so a scrape before the first relay pass shows them.
        self.outbox_unpublished.labels(service=service).set(0)
        self.outbox_oldest_age_seconds.labels(service=service).set(0)

    def record_published(self, event_type: str, count: int = 1) -> None:
        """Count events the broker confirmed."""
        self.events_published.labels(service=self.service, type=event_type).inc(count)

    def record_consumed(self, event_type: str, outcome: ConsumeOutcome) -> None:
        """Count one consumed event: ``handled`` or ``duplicate`` (already in the inbox)."""
        self.events_consumed.labels(service=self.service, type=event_type, outcome=outcome).inc()

    def record_handled(self, event_type: str, outcome: ConsumeOutcome, seconds: float) -> None:
        """Count one consumed event (as :meth:`record_consumed`) and the ``seconds`` its
        handling took (``event_handle_duration``)."""
        series = self._handled.get((event_type, outcome))
        if series is None:
            series = self._handled[(event_type, outcome)] = (
                self.events_consumed.labels(service=self.service, type=event_type, outcome=outcome),
                self.event_handle_duration.labels(service=self.service, type=event_type),
            )
        series[0].inc()
        series[1].observe(seconds)

    def record_batch(self, events: int, *, together: bool) -> None:
        """Count one consumer batch of ``events`` (more than one): committed together, or
        split (rolled back and each event handled alone)."""
        result = "together" if together else "split"
        self.consume_batch_events.labels(service=self.service, result=result).observe(events)

    def record_unrouted(self, event_type: str, count: int = 1) -> None:
        """Count events published to nobody (only integrators subscribe, none bound)."""
        self.events_unrouted.labels(self.service, event_type).inc(count)

    def record_retried(self, event_type: str) -> None:
        """Count one retry scheduled after a handler failure."""
        self.events_retried.labels(service=self.service, type=event_type).inc()

    def record_dead_lettered(self, reason_kind: str) -> None:
        """Count one message sent to the dead-letter queue, by a short reason kind."""
        self.events_dead_lettered.labels(service=self.service, reason_kind=reason_kind).inc()

    def set_outbox_backlog(self, unpublished: int, oldest_age_seconds: float) -> None:
        """Report the outbox backlog and the age of its oldest event (0 when empty)."""
        self.outbox_unpublished.labels(service=self.service).set(unpublished)
        self.outbox_oldest_age_seconds.labels(service=self.service).set(oldest_age_seconds)

    def record_timer_fired(self, kind: str) -> None:
        """Count one durable timer that fired."""
        self.timers_fired.labels(service=self.service, kind=kind).inc()

    def observe_http_request(
        self, method: str, route: str, status: int, duration_seconds: float
    ) -> None:
        """Record one answered HTTP request under its route template."""
        labels = {"service": self.service, "method": method, "route": route}
        self.http_requests.labels(**labels, status=str(status)).inc()
        self.http_request_duration.labels(**labels).observe(duration_seconds)

    @contextmanager
    def time_event_handling(self, event_type: str) -> Iterator[None]:
        """Measure the ``with`` block as the handling of one event of ``event_type``."""
        histogram = self.event_handle_duration.labels(service=self.service, type=event_type)
        started = time.perf_counter()
        try:
            yield
        finally:
            histogram.observe(time.perf_counter() - started)

    def render(self, accept: str | None = None, names: Collection[str] = ()) -> tuple[bytes, str]:
        """The registry in the exposition format the scraper's ``Accept`` header asks for.

        Without one: the classic Prometheus text format 0.0.4, which every scraper reads.
        ``names`` (the ``name[]`` query parameters, as prometheus_client's own exporters
        take them) keeps only those series: a caller polling one gauge many times a second
        (the demo's settling) would otherwise have the whole registry rendered each time.
        """
        encoder, content_type = choose_encoder(accept or "")
        registry = self.registry.restricted_registry(names) if names else self.registry
        return encoder(registry), content_type
