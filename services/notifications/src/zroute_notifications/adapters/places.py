"""Where the participant's week takes place (issue 18): a session's ``location_id`` from
``schedule-published`` resolved to the place's name and address by planning's
``GET /places/{location_id}``, asked with this service's own token when a letter or a
page is rendered. A place is the organisation's building (configuration), not personal
data; without an answer the week shows no place rather than failing."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from zroute_runtime.logging import get_logger
from zroute_runtime.settings import ServiceSettings
from zroute_runtime.tls import client_tls

from zroute_notifications.adapters.service_token import service_token

log = get_logger(__name__)


@dataclass(frozen=True)
class Place:
    """A location's name and postal address, one line each."""

    name: str
    address: str

    def line(self) -> str:
        """How the letter and the page write it: ``Name, address``."""
        return f"{self.name}, {self.address}"


class PlanningPlaces:
    """Asks planning's ``/places/{location_id}`` as a service principal."""

    def __init__(self, settings: ServiceSettings, base_url: str, timeout_s: float = 5.0) -> None:
        self._settings = settings
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout_s

    async def places(self, location_ids: set[str]) -> dict[str, Place]:
        """The places of the codes planning knows; the others are left out (logged)."""
        token = service_token(self._settings)
        if token is None or not location_ids:
            return {}
        found: dict[str, Place] = {}
        try:
            async with httpx.AsyncClient(
                verify=client_tls(),
                base_url=self._base_url,
                timeout=self._timeout,
                headers={"Authorization": f"Bearer {token}"},
            ) as http:
                for location_id in sorted(location_ids):
                    response = await http.get(f"/places/{location_id}")
                    if response.status_code == 200:
                        body = response.json()
                        found[location_id] = Place(str(body["name"]), str(body["address"]))
                    else:
                        log.info(
                            "place_unknown", location_id=location_id, status=response.status_code
                        )
        except httpx.HTTPError as exc:
            log.warning("places_unreachable", error=type(exc).__name__)
        return found
