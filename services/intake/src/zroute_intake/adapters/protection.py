"""Personal data at rest: AES-256-GCM encryption and a keyed hash of the BSN.

Each ciphertext is ``version byte || 12-byte random nonce || ciphertext+tag``, and is
bound to its participant and field through the associated data, so a ciphertext copied
to another row or column does not decrypt. The BSN is found again through
HMAC-SHA256 under a second key: without that key the hash cannot be recomputed from
the (small) space of valid BSNs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from datetime import date

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zroute_intake.domain.personal import PersonalData

FORMAT_VERSION = b"\x01"
NONCE_BYTES = 12


class PersonalDataProtector:
    """Encrypts, decrypts and hashes personal data with the keys from settings."""

    def __init__(self, encryption_key: bytes, hash_key: bytes) -> None:
        self._aead = AESGCM(encryption_key)
        self._hash_key = hash_key

    def bsn_hash(self, bsn: str) -> bytes:
        return hmac.new(self._hash_key, bsn.encode("ascii"), hashlib.sha256).digest()

    def name_part_hash(self, part: str) -> bytes:
        """The keyed hash of one normalised name part (a domain of its own: never equal
        to a BSN's hash)."""
        return hmac.new(self._hash_key, b"name:" + part.encode(), hashlib.sha256).digest()

    def _encrypt(self, plaintext: bytes, ref: str, field: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        aad = f"{ref}:{field}".encode()
        return FORMAT_VERSION + nonce + self._aead.encrypt(nonce, plaintext, aad)

    def _decrypt(self, blob: bytes, ref: str, field: str) -> bytes:
        if blob[:1] != FORMAT_VERSION:
            raise ValueError("unknown ciphertext format")
        nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        return self._aead.decrypt(nonce, body, f"{ref}:{field}".encode())

    def seal(self, ref: str, personal: PersonalData) -> tuple[bytes, bytes]:
        """The encrypted BSN and the encrypted rest of the personal data."""
        rest = json.dumps(personal.fields_without_bsn(), sort_keys=True).encode()
        return self._encrypt(personal.bsn.encode(), ref, "bsn"), self._encrypt(
            rest, ref, "personal"
        )

    def seal_record(self, ref: str, field: str, record: bytes) -> bytes:
        """Encrypt another record of the participant (meeting notes), bound to ``field``."""
        return self._encrypt(record, ref, field)

    def open_record(self, ref: str, field: str, blob: bytes) -> bytes:
        """Decrypt what :meth:`seal_record` encrypted."""
        return self._decrypt(blob, ref, field)

    def open(self, ref: str, bsn_blob: bytes, personal_blob: bytes) -> PersonalData:
        bsn = self._decrypt(bsn_blob, ref, "bsn").decode()
        rest = json.loads(self._decrypt(personal_blob, ref, "personal"))
        rest["date_of_birth"] = date.fromisoformat(rest["date_of_birth"])
        return PersonalData(bsn=bsn, **rest)
