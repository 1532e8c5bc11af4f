"""Webhook bearer tokens and signing secrets at rest: AES-256-GCM, as intake keeps
personal data. A stored value is ``enc1:`` and the base64 of ``nonce || ciphertext+tag``,
bound to its subscription and field through the associated data, so a value copied to
another row or column does not decrypt. Rows written before encryption (no prefix) are
read as they are; they stay in plain text until the subscription is made again."""

from __future__ import annotations

import base64
import os
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1:"
NONCE_BYTES = 12


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, subscription_id: UUID, field: str, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        aad = f"{subscription_id}:{field}".encode()
        blob = nonce + self._aead.encrypt(nonce, plaintext.encode(), aad)
        return PREFIX + base64.b64encode(blob).decode("ascii")

    def open(self, subscription_id: UUID, field: str, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored  # written before encryption
        blob = base64.b64decode(stored[len(PREFIX) :])
        aad = f"{subscription_id}:{field}".encode()
        return self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad).decode()
