"""The participant catalogues' fall backs to Dutch as a Prometheus counter
(``zroute_participant_translation_fallbacks_total{language, message}``), read from the
catalogues' own count when ``/metrics`` is scraped."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry
from zroute_letters.catalogue import Catalogues

NAME = "zroute_participant_translation_fallbacks"


class TranslationFallbacks(Collector):
    """How many participant texts fell back to Dutch, per language and message id."""

    def __init__(self, catalogues: Catalogues) -> None:
        self.catalogues = catalogues

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(
            NAME,
            "Participant-facing texts written in Dutch for want of a translation.",
            labels=["language", "message"],
        )
        for (language, message), count in sorted(self.catalogues.fallbacks.items()):
            family.add_metric([language, message], count)
        yield family


def register(registry: CollectorRegistry, catalogues: Catalogues) -> None:
    """Add the counter to a service's registry once."""
    if NAME not in getattr(registry, "_names_to_collectors", {}) and (
        NAME + "_total" not in getattr(registry, "_names_to_collectors", {})
    ):
        registry.register(TranslationFallbacks(catalogues))
