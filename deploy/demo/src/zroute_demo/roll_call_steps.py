"""Roll-call from the calendar (issue 16): from the week the school dates its calendar on,
the cohort is taught from it to the end: the school keeps dating the coming weeks, and
attendance is recorded per calendar session for everyone in it at once (``POST
/roll-calls`` with the calendar's session ids), by the partner the task division names for
the session's kind of hours, each partner's roll-calls of the week in one request (a list
body, issue 20); the job coach records the workplace days. One recorded line is corrected.

A mixin of :class:`zroute_demo.scenario.Scenario`, through planning's public HTTP API."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from zroute_demo.actors import DAY, WEEK, Actors, check
from zroute_demo.cohort import PROGRAMME, PVT_PROVIDER, Person
from zroute_demo.planning_steps import RECORDERS, send_roll_calls


class RollCallSteps(Actors):
    calendar_days: tuple[date, date] | None = None
    """The days the school dated (``calendar_scenario``): these weeks are taught from it."""
    corrected = False
    coached = False
    pvt_recorded = False

    def taught_from_calendar(self, week_start: date) -> bool:
        """Whether the week that starts on ``week_start`` lies in the dated calendar (the
        school dates it ahead, ``date_ahead``, so every week from its first is)."""
        days = self.calendar_days
        return days is not None and days[0] <= week_start and self.today - DAY <= days[1]

    async def date_ahead(self) -> None:
        """The school dates the calendar eight weeks further when less than three weeks of
        it are left: the cohort is taught from the calendar to the end of its routes."""
        days = self.calendar_days
        if days is None or days[1] >= self.today + 3 * WEEK:
            return
        school = self.partner("planning", "language-school")
        span = {"from_on": str(days[1] + DAY), "to_on": str(days[1] + 8 * WEEK)}
        dated = check(await school.post(f"/programmes/{PROGRAMME}/calendar", json=span))
        self.calendar_days = (days[0], days[1] + 8 * WEEK)
        self.stats["calendar sessions dated"] += dated["added"]

    async def roll_calls(
        self, week_start: date, started: list[tuple[Person, dict[str, Any]]]
    ) -> None:
        """The roll-call of every session of the week that just ended."""
        school = self.partner("planning", "language-school")
        span = {"from_on": str(week_start), "to_on": str(self.today - DAY)}
        sessions = check(await school.get(f"/programmes/{PROGRAMME}/calendar", params=span))
        groups = check(await school.get("/groups", params={"programme_id": PROGRAMME}))
        members = {g["group_id"]: set(g["members"]) for g in groups}
        people = {p.ref: (p, plan) for p, plan in started}
        taken: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        for session in sessions:
            if session["status"] == "cancelled":
                continue
            present = members.get(session["group_id"], {session["participant_ref"]})
            on = date.fromisoformat(session["session_on"])
            marks = [
                _mark(people[ref][0], session, on)
                for ref in sorted(present)
                if ref in people and _in_term(people[ref][1], on)
            ]
            if marks:
                taken.append((session, marks))
        self.present_minutes.clear()
        await send_roll_calls(self, [_body(session, marks) for session, marks in taken])
        self.stats["roll-calls per calendar session"] += len(taken)
        self.stats["roll-call lines"] += sum(len(marks) for _, marks in taken)
        for session, marks in taken:
            if self.corrected:
                break
            recorder = self.partner("planning", RECORDERS[session["kind"]])
            await self._correct_one(recorder, session, marks)
        await self._job_coach_day(people)
        await self._pvt_workshop(people)
        await self.date_ahead()

    async def _correct_one(
        self, recorder: Any, session: dict[str, Any], marks: list[dict[str, Any]]
    ) -> None:
        """The teacher noted a late arrival as a full session: the line is corrected (the old
        value stays in the corrections)."""
        line = next((m for m in marks if m["status"] == "present" and m["minutes"] >= 60), None)
        if line is None:
            return
        body = {
            "status": "present",
            "minutes": line["minutes"] - 30,
            "reason": "data_entry_error",
            "note": "arrived half an hour late",
        }
        url = f"/participants/{line['participant_ref']}/attendance/{session['session_id']}"
        check(await recorder.put(url, json=body))
        self.corrected = True
        self.stats["attendance records corrected"] += 1

    async def _job_coach_day(self, people: dict[str, tuple[Person, dict[str, Any]]]) -> None:
        """Once: the job coach records a day of workplace learning of a participant who
        asked for a workplace (the task division names the job coach for those hours)."""
        on = self.today - DAY
        ref = next(
            (
                r
                for r in sorted(self.placements_asked)
                if r in people and _in_term(people[r][1], on)
            ),
            None,
        )
        if self.coached or ref is None:
            return
        body = {
            "session_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ref}/{on}/workplace")),
            "session_on": str(on),
            "kind": "participation",
            "teaching_form": "workplace_learning",
            "status": "present",
            "minutes": 120,
            "session_minutes": 120,
        }
        coach = self.partner("planning", RECORDERS["participation"])
        check(await coach.post(f"/participants/{ref}/attendance", json=body), 200, 201)
        self.present_minutes[(ref, on)] += 120
        self.coached = True
        self.stats["workplace days recorded by the job coach"] += 1

    async def _pvt_workshop(self, people: dict[str, tuple[Person, dict[str, Any]]]) -> None:
        """Once: the partner the agreement names for the participatieverklaringstraject
        records a PVT workshop of every participant in lessons: participation hours with
        ``module: pvt``, counted within the participation hours (B 3.14(5))."""
        on = self.today - DAY
        refs = [r for r in sorted(people) if _in_term(people[r][1], on)]
        if self.pvt_recorded or not refs:
            return
        provider = self.partner("planning", PVT_PROVIDER)
        for ref in refs:
            body = {
                "session_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ref}/{on}/pvt")),
                "session_on": str(on),
                "kind": "participation",
                "module": "pvt",
                "teaching_form": "classroom",
                "status": "present",
                "minutes": 120,
                "session_minutes": 120,
            }
            response = await provider.post(f"/participants/{ref}/attendance", json=body)
            codes = (
                {r.get("reason_code") for r in response.json().get("detail", [])}
                if (response.status_code == 422)
                else set()
            )
            if codes == {"over_day_maximum"}:
                continue  # that day is full for this participant already
            check(response, 200, 201)
            self.present_minutes[(ref, on)] += 120
            self.stats["PVT hours recorded by the named partner"] += 2
        self.pvt_recorded = True


def _in_term(plan: dict[str, Any], on: date) -> bool:
    """Planning refuses lines before the plan's start or after the term's end."""
    start = plan["start_on"]
    return start is not None and date.fromisoformat(start) <= on <= date.fromisoformat(
        plan["integration_term_end"]
    )


def _body(session: dict[str, Any], marks: list[dict[str, Any]]) -> dict[str, Any]:
    """The roll-call of a calendar session."""
    return {
        "session_id": session["session_id"],
        "session_on": session["session_on"],
        "group_id": session["group_id"],
        "kind": session["kind"],
        "teaching_form": session["teaching_form"],
        "session_minutes": session["minutes"],
        "marks": marks,
    }


def _mark(person: Person, session: dict[str, Any], on: date) -> dict[str, Any]:
    """One participant's line, drawn from their attendance share (the same draw each run)."""
    draw = uuid.uuid5(uuid.NAMESPACE_URL, f"{person.ref}/{on}/{session['session_id']}").int % 100
    if draw < person.attendance * 100:
        return {"participant_ref": person.ref, "status": "present", "minutes": session["minutes"]}
    if draw % 2:
        return {"participant_ref": person.ref, "status": "absent_with_reason", "reason": "illness"}
    return {"participant_ref": person.ref, "status": "absent_without_reason"}
