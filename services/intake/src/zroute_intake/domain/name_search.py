"""Searching the caseload by name while names stay encrypted at rest (issue 19).

A name is cut into normalised parts (accents and case removed, split on spaces, hyphens
and apostrophes; tussenvoegsels such as "van" and "de" are parts too); the adapters keep
a keyed hash (HMAC) of each part beside the participant, never the part. A search hashes
the parts it is given the same way and finds the participants holding all of them, in
the database, paged like any other search.

Why not decrypt and compare: a search would decrypt every participant of the
municipality on every keystroke, hold all their names in memory at once and could not
be paged in the database (10,000 participants). The keyed hash shows a database reader
only which rows share a name part (and, like any deterministic index, how often a part
occurs), and without the key the parts cannot be guessed back.
"""

from __future__ import annotations

import re
import unicodedata

MIN_PART = 2
MAX_PARTS = 6
_SPLIT = re.compile("[\\s\\-'\u2019.]+")  # the typographic apostrophe too


def normalise(part: str) -> str:
    """One name part as it is hashed: no accents, case folded, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", part)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum())


def name_parts(*names: str) -> set[str]:
    """The normalised parts of the given names (parts shorter than two letters dropped)."""
    found: set[str] = set()
    for name in names:
        for raw in _SPLIT.split(name):
            part = normalise(raw)
            if len(part) >= MIN_PART:
                found.add(part)
    return found


def query_parts(query: str) -> set[str] | None:
    """The parts a search names, None when it names none or too many to be a name."""
    parts = name_parts(query)
    if not parts or len(parts) > MAX_PARTS:
        return None
    return parts
