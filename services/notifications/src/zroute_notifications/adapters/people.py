"""What a message may say of a participant, pulled from intake at send time (issue 18).

Personal data never travels on the bus and is never stored here: the delivery of an
e-mail to an employer or a job coach asks intake, with this service's own token (role
``service``), for the name the recipient's partner may see. Intake decides it as that
partner's contact card and writes the read to the participant's access log. The name goes
into the outgoing e-mail only; it is never logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import httpx
from zroute_runtime.auth import Role
from zroute_runtime.auth.errors import AuthConfigurationError
from zroute_runtime.auth.tokens import issue_token
from zroute_runtime.logging import get_logger
from zroute_runtime.settings import ServiceSettings

log = get_logger(__name__)

SERVICE_SUBJECT = "notifications"
"""The subject of this service's token: the actor intake's access log names."""
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

    def _token(self) -> str | None:
        # A locally signed token where the platform signs its own (local runs, the demo,
        # the tests); with an external identity provider no service token is configured
        # yet and the message says the name is unavailable.
        try:
            return issue_token(
                self._settings, SERVICE_SUBJECT, [Role.SERVICE], ttl=timedelta(minutes=5)
            )
        except AuthConfigurationError:
            return None

    async def name_for_message(self, participant_ref: str, partner_id: str) -> NameAnswer:
        """The name a message to ``partner_id`` may carry, else why not."""
        token = self._token()
        if token is None:
            log.warning("people_no_service_token", participant_ref=participant_ref)
            return NameAnswer(withheld=UNAVAILABLE)
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as http:
                response = await http.get(
                    f"{self._base_url}/participants/{participant_ref}/name-for-message",
                    params={"partner_id": partner_id},
                    headers={"Authorization": f"Bearer {token}"},
                )
        except httpx.HTTPError as exc:
            log.warning(
                "people_unreachable", participant_ref=participant_ref, error=type(exc).__name__
            )
            return NameAnswer(withheld=UNAVAILABLE)
        if response.status_code != 200:
            log.warning(
                "people_refused_call", participant_ref=participant_ref, status=response.status_code
            )
            return NameAnswer(withheld=UNAVAILABLE)
        body = response.json()
        if body.get("name"):
            return NameAnswer(name=str(body["name"]))
        return NameAnswer(withheld="erased" if body.get("erased") else str(body.get("refused")))

    async def email_for_message(self, participant_ref: str) -> EmailAnswer:
        """The participant's own e-mail address (intake's ``email-for-message``), read at
        send time; intake writes the read to the participant's access log."""
        token = self._token()
        if token is None:
            log.warning("people_no_service_token", participant_ref=participant_ref)
            return EmailAnswer(unavailable=True)
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as http:
                response = await http.get(
                    f"{self._base_url}/participants/{participant_ref}/email-for-message",
                    headers={"Authorization": f"Bearer {token}"},
                )
        except httpx.HTTPError as exc:
            log.warning(
                "people_unreachable", participant_ref=participant_ref, error=type(exc).__name__
            )
            return EmailAnswer(unavailable=True)
        if response.status_code != 200:
            log.warning(
                "people_refused_call", participant_ref=participant_ref, status=response.status_code
            )
            return EmailAnswer(unavailable=True)
        body = response.json()
        if body.get("email"):
            return EmailAnswer(address=str(body["email"]))
        return EmailAnswer(missing="erased" if body.get("erased") else "no_address")

    async def date_of_birth_matches(self, participant_ref: str, answer: str) -> bool | None:
        """Whether ``answer`` (YYYY-MM-DD) is the participant's date of birth; None when
        intake cannot say (unreachable, erased, no token). Only yes or no comes back."""
        token = self._token()
        if token is None:
            log.warning("people_no_service_token", participant_ref=participant_ref)
            return None
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as http:
                response = await http.post(
                    f"{self._base_url}/participants/{participant_ref}/date-of-birth-check",
                    json={"date_of_birth": answer},
                    headers={"Authorization": f"Bearer {token}"},
                )
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
        body = response.json()
        return None if body.get("erased") else bool(body.get("matches"))
