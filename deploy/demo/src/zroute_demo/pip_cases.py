"""The municipality's case in the demo (issue 15, "Done when"): the ten-week deadline of
every PIP (one established late, after it showed as overdue), a PIP amended after a
progress meeting, and an extension of the term as DUO decided it.

A mixin of :class:`zroute_demo.scenario.Scenario`, through the intake's public API only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from zroute_demo.actors import WEEK, Actors, check
from zroute_demo.cohort import Person

NOTICE_BEFORE_INTAKE = 3 * WEEK
"""DUO's notice reached the municipality three weeks before the outcome: within ten weeks."""
LATE_NOTICE = 11 * WEEK
"""One participant's notice lay eleven weeks back: the PIP is overdue before it is made."""
AMEND_WEEK = 5
EXTEND_WEEK = 6


class PipCases(Actors):
    """Hooks: ``start_deadline`` before each PIP is established; ``pip_cases`` weekly."""

    def _late_pip(self) -> Person | None:
        return self.people[2] if len(self.people) >= 3 else None

    async def start_deadline(self, person: Person) -> None:
        """Record DUO's notice, the start of the ten weeks (B 5.3); for the late one, read
        the PIP once more: it shows as overdue until it is established."""
        late = person is self._late_pip()
        notice = self.today - (LATE_NOTICE if late else NOTICE_BEFORE_INTAKE)
        client = self.caseworker(person)
        url = f"/participants/{person.ref}/pip"
        check(await client.put(f"{url}/deadline-start", json={"duo_notice_on": str(notice)}))
        if late:
            pip = check(await client.get(url))
            if pip["deadline"]["state"] == "overdue":
                self.stats["PIP overdue (past the 10-week deadline) before it was made"] += 1

    async def pip_cases(self, week: int) -> None:
        """A progress meeting that amends a PIP; an extension of a term by DUO."""
        if len(self.people) < 4:
            return
        if week == AMEND_WEEK:
            await self.amend_after_progress_meeting(self.people[3])
        if week == EXTEND_WEEK:
            await self.record_extension(self.people[0])

    async def amend_after_progress_meeting(self, person: Person) -> None:
        """Plan the meetings the PIP sets, hold the first; it amends the PIP (fewer route
        hours a week), and the meeting's record names the new version."""
        client = self.caseworker(person)
        url = f"/participants/{person.ref}"
        meetings = check(await client.get(f"{url}/progress-meetings"))
        count = int(meetings["set_by_pip"] or 0)
        if count < 1 or meetings["held"]:
            return
        due = [str(self.today + timedelta(weeks=13 * n)) for n in range(count)]
        check(await client.put(f"{url}/progress-meetings/plan", json={"due_on": due}))
        pip: dict[str, Any] = check(await client.get(f"{url}/pip"))
        content = dict(pip["current"]["content"])
        content["route_hours_per_week"] = max(1, int(content["route_hours_per_week"]) - 2)
        check(await client.put(f"{url}/pip/draft", json=content))
        amended = check(await client.post(
            f"{url}/pip/amendments", json={"dated": str(self.today), "reason": "progress_meeting"}
        ))  # fmt: skip
        record = {
            "held_on": str(self.today),
            "attendees": [{"role": "participant"}, {"role": "caseworker"}],
            "decision": "amended",
            "pip_version": amended["current"]["number"],
        }
        check(await client.post(f"{url}/progress-meetings/1/record", json=record))
        self.stats["progress meetings held by the municipality"] += 1
        self.stats["PIPs amended after a progress meeting"] += 1

    async def record_extension(self, person: Person) -> None:
        """DUO extended the term by six months (W 12(1)(a)); the caseworker records it."""
        client = self.caseworker(person)
        url = f"/participants/{person.ref}"
        pip = check(await client.get(f"{url}/pip"))
        if pip["term"] is None:
            return
        new_end = date.fromisoformat(pip["term"]["end"]) + timedelta(days=182)
        body = {"ground": "not_blameworthy", "decided_on": str(self.today), "new_end": str(new_end)}
        check(await client.post(f"{url}/duo/extensions", json=body))
        self.stats["term extensions recorded (as DUO decided)"] += 1
