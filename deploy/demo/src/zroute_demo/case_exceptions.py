"""Exceptions that real routes need (issue 15 point 5), in the demo: one participant
pauses for a treatment and resumes (planning holds the plan meanwhile), and one moves to
another municipality, whose caseworker imports the dossier and establishes the new PIP
(an amendment for the reason ``move``) within the ten weeks.

A mixin of :class:`zroute_demo.scenario.Scenario`, through the intake's public API only.
"""

from __future__ import annotations

from typing import Any

from zroute_demo.actors import Actors, check
from zroute_demo.cohort import Person

PAUSE_WEEK = 8
RESUME_WEEK = 12
MOVE_WEEK = 10
NEW_MUNICIPALITY = "GM0599"


class CaseExceptionSteps(Actors):
    async def case_exceptions(self, week: int) -> None:
        """What happens off the ordinary route in ``week``."""
        if len(self.people) < 3:
            return
        paused, moved = self.people[-1], self.people[-2]
        if week in (PAUSE_WEEK, RESUME_WEEK, MOVE_WEEK) and not await self._on_route(
            moved if week == MOVE_WEEK else paused
        ):
            return  # a compressed timeline may have closed the route already
        if week == PAUSE_WEEK:
            await self.pause_for_treatment(paused)
        if week == RESUME_WEEK:
            await self.resume_after_treatment(paused)
        if week == MOVE_WEEK:
            await self.move_to_another_municipality(moved)

    async def _on_route(self, person: Person) -> bool:
        found = check(await self.caseworker(person).get(f"/participants/{person.ref}"))
        return bool(found["status"] == "intake_completed")

    async def pause_for_treatment(self, person: Person) -> None:
        body = {"ground": "treatment", "paused_from": str(self.today)}
        client = self.caseworker(person)
        check(await client.post(f"/participants/{person.ref}/pauses", json=body), 201)
        self.stats["pauses for treatment"] += 1

    async def resume_after_treatment(self, person: Person) -> None:
        client = self.caseworker(person)
        pauses = check(await client.get(f"/participants/{person.ref}/pauses"))
        if pauses["current"] is None:
            return
        pause_id = pauses["current"]["pause_id"]
        check(await client.post(
            f"/participants/{person.ref}/pauses/{pause_id}/resumption",
            json={"resumed_on": str(self.today)},
        ))  # fmt: skip
        self.stats["pauses resumed"] += 1

    async def move_to_another_municipality(self, person: Person) -> None:
        """The old municipality exports; the new one imports and establishes its PIP."""
        old = self.caseworker(person)
        exported = check(await old.post(
            f"/participants/{person.ref}/move/export",
            json={"to_municipality": NEW_MUNICIPALITY, "moved_on": str(self.today)},
        ))  # fmt: skip
        new = self.caseworker(person)  # a regional caseworker stands in for the new one
        check(await new.post("/participants/move/import", json={"document": exported["document"]}))
        pip: dict[str, Any] = check(await new.get(f"/participants/{person.ref}/pip"))
        content = dict(pip["current"]["content"])
        check(await new.put(f"/participants/{person.ref}/pip/draft", json=content))
        check(await new.post(
            f"/participants/{person.ref}/pip/amendments",
            json={"dated": str(self.today), "reason": "move"},
        ))  # fmt: skip
        self.stats["moves to another municipality (dossier imported)"] += 1
