"""Personal data at rest: encrypted, bound to its row and field, found by a keyed hash."""

from __future__ import annotations

import os

import pytest
from cryptography.exceptions import InvalidTag
from zroute_intake.adapters.protection import PersonalDataProtector

from tests.intake.unit.factories import personal

KEY, HASH_KEY = os.urandom(32), os.urandom(32)
REF, OTHER_REF = "zr-" + "a" * 32, "zr-" + "b" * 32


def test_personal_data_round_trips_and_the_ciphertext_shows_none_of_it():
    protector = PersonalDataProtector(KEY, HASH_KEY)
    data = personal()
    bsn_blob, rest_blob = protector.seal(REF, data)
    assert protector.open(REF, bsn_blob, rest_blob) == data
    for value in (data.bsn, data.family_name, data.street):
        assert value.encode() not in bsn_blob + rest_blob


def test_a_ciphertext_moved_to_another_participant_does_not_decrypt():
    protector = PersonalDataProtector(KEY, HASH_KEY)
    bsn_blob, rest_blob = protector.seal(REF, personal())
    with pytest.raises(InvalidTag):
        protector.open(OTHER_REF, bsn_blob, rest_blob)
    with pytest.raises(InvalidTag):
        protector.open(REF, rest_blob, bsn_blob)  # fields swapped


def test_the_same_data_encrypts_differently_each_time():
    protector = PersonalDataProtector(KEY, HASH_KEY)
    data = personal()
    assert protector.seal(REF, data) != protector.seal(REF, data)


def test_the_bsn_hash_is_stable_under_one_key_and_differs_under_another():
    bsn = personal().bsn
    one = PersonalDataProtector(KEY, HASH_KEY)
    other = PersonalDataProtector(KEY, os.urandom(32))
    assert one.bsn_hash(bsn) == one.bsn_hash(bsn)
    assert one.bsn_hash(bsn) != other.bsn_hash(bsn)
    assert len(one.bsn_hash(bsn)) == 32
