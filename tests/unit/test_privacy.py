"""The elfproef that recognises a BSN, and masking BSNs in free text."""

from __future__ import annotations

import pytest
from zroute_runtime.privacy import BSN_MASK, is_valid_bsn, mask_bsns


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990", "010000008"])
def test_numbers_passing_the_elfproef_are_bsns(bsn: str) -> None:
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "value",
    [
        "123456789",  # weighted sum 147, not divisible by 11
        "111222334",
        "000000000",  # passes the arithmetic, but no BSN is all zeros
        "12345678",  # eight digits
        "1234567820",  # ten digits
        "12345678a",
        " 12345678",
        "١١١٢٢٢٣٣٣",  # Arabic-Indic digits pass str.isdigit, but are no BSN
        "",
    ],
)
def test_anything_else_is_not_a_bsn(value: str) -> None:
    assert not is_valid_bsn(value)


def test_the_last_digit_weighs_minus_one() -> None:
    # 111222333: 9+8+7 + 2*(6+5+4) + 3*(3+2) = 69; 69 - 3 = 66 = 6 * 11, whereas
    # weighting the last digit +1 would give 72 and reject it.
    assert is_valid_bsn("111222333")


def test_mask_bsns_replaces_only_stand_alone_valid_bsns() -> None:
    text = "bsn 111222333, order 123456789, phone 0612345678, id 1112223330"
    assert mask_bsns(text) == f"bsn {BSN_MASK}, order 123456789, phone 0612345678, id 1112223330"


def test_mask_bsns_leaves_digit_runs_inside_identifiers_alone() -> None:
    ref = "zr-ab111222333cd0000000000000000000"
    assert mask_bsns(ref) == ref
    assert mask_bsns("x=123456782;") == f"x={BSN_MASK};"
