"""Staff for a new group (L7): a teacher, and a class assistant where the band needs one.

A staff member teaches one group per slot. The solver already keeps the groups per slot
within the staff count; here each new group gets the least-loaded teacher free in all of
its slots (and the first free assistant). ``None`` when nobody is free in all of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import MutableMapping, Sequence

from zroute_contract.events.codes import LevelBand

from zroute_planning.domain.grouping import Slot, SlotSet

Busy = MutableMapping[Slot, set[str]]


def assign_staff(
    slots: SlotSet,
    band: LevelBand,
    *,
    teachers: Sequence[str],
    assistants: Sequence[str],
    assistant_bands: Sequence[LevelBand],
    busy_teachers: Busy,
    busy_assistants: Busy,
) -> tuple[str, str | None] | None:
    """Pick staff for a group meeting in ``slots`` and mark them busy there."""
    load = Counter(t for busy in busy_teachers.values() for t in busy)
    free = [t for t in teachers if all(t not in busy_teachers.get(s, ()) for s in slots)]
    if not free:
        return None
    teacher = min(free, key=lambda t: (load[t], teachers.index(t)))
    assistant = None
    if band in assistant_bands:
        spare = [a for a in assistants if all(a not in busy_assistants.get(s, ()) for s in slots)]
        if not spare:
            return None
        assistant = spare[0]
        for slot in slots:
            busy_assistants.setdefault(slot, set()).add(assistant)
    for slot in slots:
        busy_teachers.setdefault(slot, set()).add(teacher)
    return teacher, assistant
