"""Deleting one participant's rows when intake's retention ends (B 9.9,
``participant-records-deleted``): the one way planning, support and notifications do it.

Each service names its tables in its adapters, children before parents (the foreign
keys), and a test compares the list with the tables that have a participant column, so a
table added later is not forgotten.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zroute_contract.types import new_participant_ref

RowsOf = tuple[str, str]
"""A table and the column that holds the participant reference (``(table, column)``), or
a table and a WHERE clause on ``$1`` when its rows hang on a parent's key."""


async def delete_rows(conn: Any, tables: Sequence[RowsOf], ref: str) -> int:
    """Delete the rows of ``ref`` from every table, in the order given; how many went."""
    deleted = 0
    for table, where in tables:
        clause = where if " " in where else f"{where} = $1"
        status = await conn.execute(f"DELETE FROM {table} WHERE {clause}", ref)
        deleted += int(status.split()[-1])
    return deleted


def anonymous_ref() -> str:
    """A fresh reference of the participant reference's shape that nobody knows: rows kept
    for their figures after a deletion stay together, linked to no one."""
    return new_participant_ref()
