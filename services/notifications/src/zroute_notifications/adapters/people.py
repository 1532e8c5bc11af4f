"""What a message may say of a participant, pulled from intake at send time (issue 18).

Personal data never travels on the bus and is never stored here: the delivery of an
e-mail to an employer or a job coach asks intake, with this service's own token (role
``service``), for the name the recipient's partner may see. Intake decides it as that
partner's contact card and writes the read to the participant's access log. The name goes
into the outgoing e-mail only; it is never logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from zroute_runtime.logging import get_logger
from zroute_runtime.settings import ServiceSettings
from zroute_runtime.tls import client_tls

from zroute_notifications.adapters.service_token import service_token

log = get_logger(__name__)

UNAVAILABLE = "unavailable"
"""The withheld reason when intake could not be asked (down, no credentials)."""


@dataclass(frozen=True)
class NameAnswer:
    """The participant's name for one message, or the code of why it is withheld
    (``no_consent``, ``no_relation``, ``no_fields``, ``erased``, ``unavailable``)."""

    name: str | None = field(default=None, repr=False)
    withheld: str | None = None


@dataclass(frozen=True)
class EmailAnswer:
    """The participant's own e-mail address at send time: ``address`` when intake holds
    one; else ``missing`` says why (``no_address``, ``erased``) or ``unavailable`` is set
    when intake could not be asked (a retry may succeed)."""

    address: str | None = field(default=None, repr=False)
    missing: str | None = None
    unavailable: bool = False


class IntakePeople:
    """Asks intake's ``/participants/{ref}/name-for-message`` as a service principal."""

    def __init__(self, settings: ServiceSettings, base_url: str, timeout_s: float = 5.0) -> None:
        self._settings = settings
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout_s

    async def _ask(
        self,
        participant_ref: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """Intake's answer at ``/participants/{ref}/{path}`` as JSON (a POST when ``body``
        is given), or None when intake could not be asked or refused the call; each
        outcome but success is logged without personal data."""
        token = service_token(self._settings)
        if token is None:
            log.warning("people_no_service_token", participant_ref=participant_ref)
            return None
        url = f"{self._base_url}/participants/{participant_ref}/{path}"
        headers = {"Authorization": f"Bearer {token}"}
        try:
            async with httpx.AsyncClient(verify=client_tls(), timeout=self._timeout) as http:
                if body is None:
                    response = await http.get(url, params=params, headers=headers)
                else:
                    response = await http.post(url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            log.warning(
                "people_unreachable", participant_ref=participant_ref, error=type(exc).__name__
            )
            return None
        if response.status_code != 200:
            log.warning(
                "people_refused_call", participant_ref=participant_ref, status=response.status_code
            )
            return None
        answer: dict[str, Any] = response.json()
        return answer

    async def name_for_message(self, participant_ref: str, partner_id: str) -> NameAnswer:
        """The name a message to ``partner_id`` may carry, else why not."""
        body = await self._ask(
            participant_ref, "name-for-message", params={"partner_id": partner_id}
        )
        if body is None:
            return NameAnswer(withheld=UNAVAILABLE)
        if body.get("name"):
            return NameAnswer(name=str(body["name"]))
        return NameAnswer(withheld="erased" if body.get("erased") else str(body.get("refused")))

    async def email_for_message(self, participant_ref: str) -> EmailAnswer:
        """The participant's own e-mail address (intake's ``email-for-message``), read at
        send time; intake writes the read to the participant's access log."""
        body = await self._ask(participant_ref, "email-for-message")
        if body is None:
            return EmailAnswer(unavailable=True)
        if body.get("email"):
            return EmailAnswer(address=str(body["email"]))
        return EmailAnswer(missing="erased" if body.get("erased") else "no_address")

    async def date_of_birth_matches(self, participant_ref: str, answer: str) -> bool | None:
        """Whether ``answer`` (YYYY-MM-DD) is the participant's date of birth; None when
        intake cannot say (unreachable, erased, no token). Only yes or no comes back."""
        body = await self._ask(
            participant_ref, "date-of-birth-check", body={"date_of_birth": answer}
        )
        if body is None or body.get("erased"):
            return None
        return bool(body.get("matches"))
