"""Recognising personal data that must never leave a service: the BSN above all.

The BSN (burgerservicenummer, the Dutch citizen service number) is nine digits that
pass the "elfproef": weights 9, 8, ..., 2 and -1 for the last digit, and the weighted
sum divisible by 11. These functions are pure so the log redaction (and anything else)
can use them without setup.
"""

from __future__ import annotations

import random
import re

from zroute_contract.types import is_valid_bsn

__all__ = ["BSN_MASK", "is_valid_bsn", "mask_bsns", "random_valid_bsn"]


# Nine digits standing alone. Letters count as neighbours too: our identifiers (event
# ids, participant refs) are hex strings whose digit runs would otherwise be mistaken
# for a BSN now and then and mangled in the logs.
_NINE_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])")

BSN_MASK = "*********"


def mask_bsns(text: str) -> str:
    """Replace every stand-alone nine-digit number in ``text`` that is a valid BSN.

    Nine-digit numbers failing the elfproef (order numbers, amounts) are left alone.
    """
    return _NINE_DIGITS.sub(
        lambda match: BSN_MASK if is_valid_bsn(match.group()) else match.group(), text
    )


def random_valid_bsn(rng: random.Random | None = None) -> str:
    """A made-up nine-digit number that passes the elfproef, for tests, benchmarks and
    the demo (which must exercise the BSN checks without using anyone's real number)."""
    rng = rng or random.Random()
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return "".join(map(str, [*digits, check]))
