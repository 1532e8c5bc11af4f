"""What the handlers depend on, chosen once in ``bootstrap``: data and senders, no I/O of
its own (addresses are read through ``uow.directory``, see ``addresses.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zroute_contract import event_types
from zroute_letters.catalogue import Catalogues

from zroute_notifications.adapters import fallback_metric
from zroute_notifications.adapters.people import IntakePeople
from zroute_notifications.adapters.places import PlanningPlaces
from zroute_notifications.adapters.rendering import Part, Templates
from zroute_notifications.adapters.smtp import Mailer
from zroute_notifications.adapters.webhook import WebhookSender
from zroute_notifications.domain.content import record_link, visible_data
from zroute_notifications.domain.matrix import Matrix
from zroute_notifications.domain.recipients import Recipient
from zroute_notifications.settings import Settings


@dataclass
class Deps:
    """The settings, the validated matrix, the templates, the senders and the seed file's
    addresses."""

    settings: Settings
    matrix: Matrix
    templates: Templates
    mailer: Mailer
    webhooks: WebhookSender
    seed: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # The participant-facing catalogues (zroute_letters); counts each fall back to Dutch.
    catalogues: Catalogues = field(default_factory=Catalogues.load)
    # Intake, asked at send time for the name a message may carry (issue 18).
    people: IntakePeople | None = None
    # Planning, asked for the name and address of the places of a participant's week.
    places: PlanningPlaces | None = None

    def register_metrics(self, registry: Any) -> None:
        """The translation fall-back counter in the service's metrics registry (once)."""
        fallback_metric.register(registry, self.catalogues)

    def language(self, stored: str | None) -> str:
        """The recipient's language when the templates have it, else the default."""
        if stored in self.templates.catalogues:
            return stored
        return self.settings.default_language

    def seeded_address(self, kind: str, ref: str) -> dict[str, Any] | None:
        """A recipient's address and language from the seed file, if it names them."""
        seeded = self.seed.get(kind, {}).get(ref)
        if seeded is None:
            return None
        return {"email": seeded.get("email"), "language": seeded.get("language")}

    def part(
        self, event_type: str, data: dict[str, Any], recipient: Recipient, language: str
    ) -> Part:
        """One event's message for one recipient, showing only what the role may see."""
        cls = event_types()[event_type]
        visible, care = visible_data(cls, data, recipient.role, recipient.partner_id)
        context = {"e": visible, "care": care, "p": data.get("participant_ref") or "-"}
        link = record_link(self.settings.service_urls, event_type, data)
        return self.templates.render_part(language, cls.spec.name, context, link)
