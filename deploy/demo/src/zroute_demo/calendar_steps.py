"""The language school's calendar steps (issue 16): the school registers its teachers, a
substitute and a room, closes a holiday week, dates the coming weeks, a teacher falls ill
and the substitute takes over, and a session is moved (the participants are told).

A mixin of :class:`zroute_demo.scenario.Scenario`, through planning's public HTTP API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from zroute_demo.actors import DAY, WEEK, check
from zroute_demo.cohort import PROGRAMME
from zroute_demo.roll_call_steps import RollCallSteps

SUBSTITUTE = "teacher-substitute"
ROOM = "room-a"


class CalendarSteps(RollCallSteps):
    async def calendar_scenario(self) -> None:
        """Once, when groups meet: staff and a room, a holiday week, six weeks dated, an
        ill teacher replaced, one session moved."""
        school = self.partner("planning", "language-school")
        groups = check(await school.get("/groups", params={"programme_id": PROGRAMME}))
        if not groups or self.stats["calendar sessions dated"]:
            return
        await self._register(school, groups)
        holiday = (self.today + 2 * WEEK, self.today + 3 * WEEK - DAY)
        closure = {"from_on": str(holiday[0]), "to_on": str(holiday[1]), "reason": "autumn_holiday"}
        check(await school.post(f"/programmes/{PROGRAMME}/closures", json=closure), 201)
        days = {"from_on": str(self.today), "to_on": str(self.today + 6 * WEEK - DAY)}
        dated = check(await school.post(f"/programmes/{PROGRAMME}/calendar", json=days))
        self.calendar_days = (self.today, self.today + 6 * WEEK - DAY)
        self.stats["calendar sessions dated"] += dated["added"]
        self.stats["calendar holiday weeks skipped"] += 1
        ill = {"from_on": str(self.today + WEEK), "to_on": str(self.today + 2 * WEEK - DAY),
               "reason": "illness"}  # fmt: skip
        changed = check(await school.post(f"/staff/{groups[0]['teacher']}/leave", json=ill), 201)
        self.stats["calendar sessions taken over by a substitute"] += sum(
            1 for s in changed if s["substitute"]
        )
        await self._move_one(school, days)
        await self.system.settle(leave_sinks=True)

    async def _register(self, school: httpx.AsyncClient, groups: list[dict[str, Any]]) -> None:
        slots = {(s["weekday"], s["day_part"]) for g in groups for s in g["sessions"]}
        availability = [{"weekday": d, "day_part": p} for d, p in sorted(slots)]
        for staff_id in sorted({g["teacher"] for g in groups} | {SUBSTITUTE}):
            body = {
                "partner_id": "language-school",
                "qualifications": ["nt2", "alfa"],
                "availability": availability,
            }
            check(await school.put(f"/programmes/{PROGRAMME}/staff/{staff_id}", json=body))
        # The alpha groups' class assistants too: with a register, formation takes its
        # assistants from it as it takes its teachers.
        for staff_id in sorted({g["assistant"] for g in groups if g.get("assistant")}):
            body = {
                "partner_id": "language-school",
                "role": "assistant",
                "qualifications": ["alfa"],
                "availability": availability,
            }
            check(await school.put(f"/programmes/{PROGRAMME}/staff/{staff_id}", json=body))
        room = {"location_id": "school-centre", "capacity": 12}
        check(await school.put(f"/programmes/{PROGRAMME}/rooms/{ROOM}", json=room))

    async def _move_one(self, school: httpx.AsyncClient, days: dict[str, str]) -> None:
        sessions = check(await school.get(f"/programmes/{PROGRAMME}/calendar", params=days))
        later = [s for s in sessions if s["status"] == "planned" and s["group_id"]
                 and s["session_on"] >= str(self.today + 3 * WEEK)]  # fmt: skip
        if not later:
            return
        session = later[0]
        # A day on, else the next day that takes it: planning refuses a move that would
        # take a member over the day's maximum of minutes (their own sessions that day).
        for ahead in range(1, 8):
            to = date.fromisoformat(session["session_on"]) + timedelta(days=ahead)
            body = {
                "session_on": str(to),
                "starts_at": session["starts_at"],
                "reason": "room_unavailable",
            }
            url = f"/calendar/sessions/{session['session_id']}/move"
            response = await school.post(url, json=body)
            if response.status_code == 422:
                continue
            check(response)
            self.stats["calendar sessions moved"] += 1
            return
