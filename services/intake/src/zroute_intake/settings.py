"""Settings of the intake service: the shared ZROUTE_ variables plus its own.

The two keys below have local defaults so that the demo and the tests run without
setup. They are published in this file and therefore NOT FOR PRODUCTION: set
``ZROUTE_INTAKE_ENCRYPTION_KEY`` and ``ZROUTE_INTAKE_HASH_KEY`` to fresh random values
(``python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"``).
"""

from __future__ import annotations

import base64
import binascii
import re

from pydantic import BaseModel, Field, SecretStr, field_validator
from zroute_contract.events.codes import PRECONDITION_CODE_PATTERN
from zroute_contract.types import PARTNER_ID_PATTERN
from zroute_ui.settings import UiSettings

from zroute_intake.domain.contact_card import DEFAULT_FIELDS, CardField, RelationKind
from zroute_intake.service_layer.pip_letter import LetterSender

# NOT FOR PRODUCTION: local-only keys, known to anyone who reads this file.
LOCAL_ENCRYPTION_KEY = "bG9jYWwtb25seS1pbnRha2UtYWVzLWtleS0wMDAwMDA="
LOCAL_HASH_KEY = "bG9jYWwtb25seS1pbnRha2UtaG1hYy1rZXktMDAwMDA="
LOCAL_MOVE_KEY = "bG9jYWwtb25seS1pbnRha2UtbW92ZS1rZXktMDAwMDA="
KEY_BYTES = 32


def _decode_key(value: SecretStr) -> SecretStr:
    try:
        raw = base64.b64decode(value.get_secret_value(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("must be base64") from exc
    if len(raw) != KEY_BYTES:
        raise ValueError(f"must decode to {KEY_BYTES} bytes")
    return value


class LetterSenderSetting(BaseModel):
    """One municipality's letter settings (``intake_letter_senders``)."""

    name: str = Field(min_length=1)
    objection_address: str = Field(min_length=1)
    phone: str = Field(min_length=1)


class Settings(UiSettings):
    """Intake service settings (environment variables ``ZROUTE_<FIELD>``)."""

    http_port: int = 8001

    intake_encryption_key: SecretStr = Field(
        default=SecretStr(LOCAL_ENCRYPTION_KEY),
        description="AES-256-GCM key (base64 of 32 bytes) for personal data at rest. "
        "The default is for local runs only.",
    )
    intake_hash_key: SecretStr = Field(
        default=SecretStr(LOCAL_HASH_KEY),
        description="HMAC-SHA256 key (base64 of 32 bytes) for the BSN lookup hash. "
        "The default is for local runs only.",
    )
    intake_move_key: SecretStr = Field(
        default=SecretStr(LOCAL_MOVE_KEY),
        description="AES-256-GCM key (base64 of 32 bytes) that seals a move's dossier "
        "(W 15(4)). Every intake service that exports to or imports from another one holds "
        "the same move key; it opens only dossiers, never the personal data at rest. "
        "The default is for local runs only.",
    )
    intake_retention_days: int = Field(
        default=1826,
        ge=0,
        le=36500,
        description="Days after the obligation ends (the route's completion, a withdrawal, "
        "or DUO's exemption or release) before the participant's personal data and the "
        "meetings' notes are erased; the core data (codes, dates, decisions) stays. "
        "Besluit inburgering 2021 art. 9.9: five years (1826 days).",
    )
    intake_core_retention_days: int = Field(
        default=18262,
        ge=0,
        le=18262,
        description="Days after the obligation ends before the core data (the pseudonymous "
        "record: codes, dates, decisions, the PIP's versions, meetings, the access log and "
        "audit trail) is deleted as well; never before the personal data's erasure. "
        "Besluit inburgering 2021 art. 9.9: core data is kept at most 50 years (18262 days).",
    )
    intake_re_enrolment_window_days: int = Field(
        default=30,
        ge=0,
        le=730,
        description="Days after a withdrawal was recorded within which it may be revoked "
        "(re-enrolment, reason withdrawal_revoked); a withdrawal recorded by mistake may be "
        "undone until the personal data is erased.",
    )
    intake_care_coordinators: dict[str, str] = Field(
        default={"programme-demo": "care-coordinator"},
        description="Per programme id, the partner id that routes care referrals "
        "(receives the addressed care-signals event). A programme missing here "
        "cannot register participants.",
    )

    intake_contact_card_fields: dict[RelationKind, list[CardField]] = Field(
        default={kind: sorted(shown) for kind, shown in DEFAULT_FIELDS.items()},
        description="Per relation a partner has with a participant, the contact card's "
        "fields it shows (name, preferred_language, phone, address, interpreter_needed). "
        "A relation missing here shows no card.",
    )

    intake_precondition_kinds: list[str] = Field(
        default=[],
        description="The precondition kinds besides childcare and transport a caseworker "
        "may record on the intake's outcome (other_preconditions), by code, such as "
        "digital_device or medical_aid (issue 17 item 8). Support must be configured "
        "with the same kinds (ZROUTE_PRECONDITION_KINDS) to arrange them.",
    )

    intake_letter_senders: dict[str, LetterSenderSetting] = Field(
        default={
            "GM0363": LetterSenderSetting(
                name="Gemeente Amsterdam",
                objection_address="Gemeente Amsterdam, t.a.v. Bezwaar en beroep, "
                "Postbus 202, 1000 AE Amsterdam",
                phone="14 020",
            )
        },
        description="Per municipality code, what its PIP decision letters name: the "
        "college (name), where an objection is sent (objection_address) and the phone "
        "number a participant calls. A municipality missing here gets no letter (409).",
    )

    @field_validator("intake_encryption_key", "intake_hash_key", "intake_move_key")
    @classmethod
    def _key_shape(cls, value: SecretStr) -> SecretStr:
        return _decode_key(value)

    @field_validator("intake_precondition_kinds")
    @classmethod
    def _precondition_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if code in ("childcare", "transport", "other") or not re.fullmatch(
                PRECONDITION_CODE_PATTERN, code
            ):
                raise ValueError(f"precondition kind {code!r} must be a new snake_case code")
        return value

    @field_validator("intake_care_coordinators")
    @classmethod
    def _partner_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for programme, partner in value.items():
            if not re.fullmatch(PARTNER_ID_PATTERN, programme):
                raise ValueError("programme ids must be lowercase codes")
            if not re.fullmatch(PARTNER_ID_PATTERN, partner):
                raise ValueError("partner ids must be lowercase codes")
        return value

    def uses_local_keys(self) -> bool:
        """True when any key is the published local default (never in production)."""
        return (
            self.intake_encryption_key.get_secret_value() == LOCAL_ENCRYPTION_KEY
            or self.intake_hash_key.get_secret_value() == LOCAL_HASH_KEY
            or self.intake_move_key.get_secret_value() == LOCAL_MOVE_KEY
        )

    def contact_card_fields(self) -> dict[RelationKind, frozenset[CardField]]:
        """The contact card's fields per relation, as the domain takes them."""
        return {kind: frozenset(shown) for kind, shown in self.intake_contact_card_fields.items()}

    def letter_senders(self) -> dict[str, LetterSender]:
        """Per municipality, what its decision letters name, as the service layer takes it."""
        return {
            code: LetterSender(s.name, s.objection_address, s.phone)
            for code, s in self.intake_letter_senders.items()
        }

    def encryption_key_bytes(self) -> bytes:
        return base64.b64decode(self.intake_encryption_key.get_secret_value())

    def hash_key_bytes(self) -> bytes:
        return base64.b64decode(self.intake_hash_key.get_secret_value())

    def move_key_bytes(self) -> bytes:
        return base64.b64decode(self.intake_move_key.get_secret_value())
