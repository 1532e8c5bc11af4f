"""The language school's and the caseworkers' steps in the planning service.

A mixin of :class:`zroute_demo.scenario.Scenario`: the methods use its clients, clock and
counters (declared in :class:`zroute_demo.actors.Actors`)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from zroute_runtime.auth import Role

from zroute_demo.actors import DAY, WEEKDAY_INDEX, Actors, check, gather_limited
from zroute_demo.cohort import (
    FOLLOW_UPS,
    LEAD,
    PROGRAMME,
    RESPONSIBLE,
    Person,
)

RECORDERS = {
    "language": RESPONSIBLE["language_teaching"],
    "knm": RESPONSIBLE["knm"],
    "map": RESPONSIBLE["map"],
    "participation": RESPONSIBLE["job_coaching"],
}
"""The partner recording each kind of hours, as the programme's task division names it."""
MAX_ROLL_CALLS = 200
"""The most roll-calls planning takes in one ``POST /roll-calls`` list."""
PARTICIPATION_HOURS = 4
"""A week's volunteering or daytime activity of a participant without a workplace."""
ACTIVITY_MINUTES = 240
"""The longest participation activity recorded on one day."""
MAX_MINUTES_PER_DAY = 360
"""Planning's default cap of one participant's minutes on one day."""
ON_NORM = "routes completed on the PIP's norm"
"""The stat of routes that met the PIP's hours norm: course hours with KNM, participation
hours with PVT and MAP (B 3.14)."""
WAIVED = "targets waived"
"""The stat of the municipality's recorded decisions that waive the rest of the norm."""
TERM_CLOSING = 5 * 7 * DAY
"""A route still short of its norm this close to its term's end completes under a waiver:
routes are closed every four weeks, so the last look comes before the term ends."""


class PlanningSteps(Actors):
    async def form_groups(self) -> dict:
        school = self.partner("planning", "language-school")
        result = check(await school.post("/group-formations", json={"programme_id": PROGRAMME}))
        self.stats["group formations"] += 1
        await self.system.settle(leave_sinks=True)
        return result

    async def plan(self, person: Person) -> dict:
        return check(await self.coordinator("planning").get(f"/participants/{person.ref}/plan"))

    async def record_weeks(self, started: list[tuple[Person, dict]], week_start: date) -> None:
        """Attendance of the week that just ended (weeks not dated in the calendar): a
        group's session once for its members present in it, as the teacher takes it; a
        participant's own session as a roll-call of one line. The school's system sends
        each recording partner's roll-calls of the week in one ``POST /roll-calls``."""
        weeks = await gather_limited(self._week_lines(p, week_start) for p, _ in started)
        by_session: dict[tuple, list[dict]] = defaultdict(list)
        for lines in weeks:
            for line in lines:
                by_session[_session_key(line)].append(line)
        self.present_minutes.clear()
        await send_roll_calls(self, [_roll_call_of(lines) for lines in by_session.values()])
        for lines in by_session.values():
            self.stats["attendance records"] += len(lines)
            if len(lines) > 1:
                self.stats["group sessions recorded in one roll-call"] += 1

    async def _week_lines(self, person: Person, week_start: date) -> list[dict]:
        """``person``'s lines of the week: one per session of their schedule, within their
        schedule's and term's days, present or absent as drawn from their attendance."""
        school = self.partner("planning", "language-school")
        if person.ref not in self.schedules or week_start.toordinal() % 28 < 7:
            response = await school.get(f"/participants/{person.ref}/schedule")
            if response.status_code == 404:
                return []
            self.schedules[person.ref] = check(response)
            # Nothing is recorded after the term's end (planning refuses it, issue 16 item 7).
            plan = await self.plan(person)
            self.schedules[person.ref]["term_end"] = plan["integration_term_end"]
        schedule = self.schedules[person.ref]
        valid_from = date.fromisoformat(schedule["valid_from"])
        term_end = date.fromisoformat(schedule["term_end"])
        lines = []
        for index, session in enumerate(schedule["sessions"]):
            on = week_start + timedelta(days=WEEKDAY_INDEX[session["weekday"]])
            if on < valid_from or on >= self.today or on > term_end:
                continue
            draw = uuid.uuid5(uuid.NAMESPACE_URL, f"{person.ref}/{on}/{index}").int % 100
            present = draw < person.attendance * 100
            status = (
                "present"
                if present
                else ("absent_with_reason" if draw % 2 else "absent_without_reason")
            )
            lines.append(
                {
                    "participant_ref": person.ref,
                    "session_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{person.ref}/{on}/{index}")),
                    "session_on": str(on),
                    "group_id": session.get("group_id"),
                    "kind": session["hours_kind"],
                    "teaching_form": session["teaching_form"],
                    "status": status,
                    "minutes": session["minutes"],
                    "session_minutes": session["minutes"],
                    # The single line is checked as a roll-call line: an excused
                    # absence names its reason (issue 16 item 7).
                    "absence_reason": "illness" if status == "absent_with_reason" else None,
                }
            )
        return lines

    async def record_participation(
        self, started: list[tuple[Person, dict]], week_start: date
    ) -> None:
        """The participation activity of the week that just ended, besides the group's
        workplace and MAP sessions (B 3.14(2)(b): 800 participation hours in a Dutch-speaking
        setting): a confirmed workplace's hours a week from its first day, otherwise a
        weekly volunteering or daytime activity of four hours. The partner the task
        division names for participation hours records them, on days the participant's
        week leaves room for (at most the day's maximum with their sessions)."""
        placements = check(await self.coordinator("support").get("/placements"))
        workplaces = {
            p["participant_ref"]: (date.fromisoformat(p["starts_on"]), float(p["hours_per_week"]))
            for p in placements
            if p["status"] in ("confirmed", "started") and p.get("starts_on")
        }
        await gather_limited(
            self._participation_week(person, plan, week_start, workplaces.get(person.ref))
            for person, plan in started
        )

    async def _participation_week(
        self, person: Person, plan: dict, week_start: date, workplace: tuple[date, float] | None
    ) -> None:
        if person.ref not in self.schedules:
            response = await self.partner("planning", "language-school").get(
                f"/participants/{person.ref}/schedule"
            )
            if response.status_code == 404:
                return
            self.schedules[person.ref] = check(response)
        taken: dict[int, int] = defaultdict(int)
        for session in self.schedules[person.ref]["sessions"]:
            taken[WEEKDAY_INDEX[session["weekday"]]] += session["minutes"]
        # What the week's roll-calls recorded present on each day counts too: a calendar
        # session moved onto a day, or another group's, fills it beyond the schedule, and
        # planning would refuse the activity as over the day's maximum (a wasted request).
        for index in range(5):
            recorded = self.present_minutes[(person.ref, week_start + timedelta(days=index))]
            taken[index] = max(taken[index], recorded)
        working = workplace is not None and workplace[0] <= week_start
        left = int((workplace[1] if working and workplace else PARTICIPATION_HOURS) * 60)
        recorder = self.partner("planning", RECORDERS["participation"])
        start, end = plan["start_on"], plan["integration_term_end"]
        # The quietest days first: a day's sessions and the activity stay within the cap.
        for index in sorted(range(5), key=lambda i: taken[i]):
            on = week_start + timedelta(days=index)
            room = min(ACTIVITY_MINUTES, MAX_MINUTES_PER_DAY - taken[index], left)
            if room < 60 or on >= self.today or start is None:
                continue
            if not date.fromisoformat(start) <= on <= date.fromisoformat(end):
                continue
            body = {
                "session_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{person.ref}/{on}/activity")),
                "session_on": str(on),
                "kind": "participation",
                "teaching_form": "workplace_learning" if working else "practice_outside",
                "status": "present",
                "minutes": room,
                "session_minutes": room,
            }
            response = await recorder.post(f"/participants/{person.ref}/attendance", json=body)
            if response.status_code == 422:  # a session moved onto the day: another day
                self.stats["participation activity days refused (day full)"] += 1
                continue
            check(response, 200, 201)
            self.stats["participation activity days recorded"] += 1
            left -= room
            if left < 60:
                return

    async def hold_reviews(self, person: Person) -> None:
        school = self.partner("planning", "language-school")
        for review in check(await school.get(f"/participants/{person.ref}/reviews")):
            if (
                review["outcome"] is None
                and date.fromisoformat(review["due_on"]) <= self.today + 14 * DAY
            ):
                outcome = "on_track" if person.attendance >= 0.8 else "plan_adjusted"
                check(
                    await school.post(
                        f"/participants/{person.ref}/reviews/{review['review_id']}/outcome",
                        json={"held_on": str(self.today), "outcome": outcome},
                    )
                )
                self.stats["progress reviews held"] += 1

    async def request_placements(self, started: list[tuple[Person, dict]]) -> None:
        """The participation activity of those who aim at work or volunteering asks for a
        workplace, well ahead (L4)."""
        school = self.partner("planning", "language-school")
        for person, _ in started:
            if person.ref in self.placements_asked or not {"paid_work", "volunteering"} & set(
                person.goals
            ):
                continue
            check(
                await school.post(
                    f"/participants/{person.ref}/placements",
                    json={
                        "activity": "work_experience"
                        if "paid_work" in person.goals
                        else "volunteering",
                        "needed_by": str(self.today + 49 * DAY),
                        "hours_per_week": 8,
                        "support_needs": ["job_coach", "language_support"],
                    },
                ),
                200,
                201,
            )
            self.placements_asked.add(person.ref)
            self.stats["placements requested"] += 1

    async def close_route(self, person: Person, plan: dict) -> None:
        school = self.partner("planning", "language-school")
        hours = check(await school.get(f"/participants/{person.ref}/hours"))
        await self.follow_up_and_complete(person, plan, hours)

    async def follow_up_and_complete(self, person: Person, plan: dict, hours: dict) -> None:
        """Agree the follow-up well before the route ends, and complete the route after
        the final meeting once the PIP's norm is met (B 3.14: course hours with KNM,
        participation hours with PVT and MAP; planning names what is short). A route still
        short when its term is about to end completes on the municipality's recorded
        decision that waives the rest: the exception the summary names."""
        school = self.partner("planning", "language-school")
        planned_end = date.fromisoformat(plan["projection"]["planned_end"])
        term_end = date.fromisoformat(plan["integration_term_end"])
        reached = not hours["short_of"]
        ending = term_end - self.today <= TERM_CLOSING
        if person.ref not in self.follow_up and (
            reached or min(planned_end, term_end) - self.today <= 120 * DAY
        ):
            kind = FOLLOW_UPS[person.number % len(FOLLOW_UPS)]
            # The follow-up is the work of the partner the task division names for it.
            arranger = self.partner("planning", RESPONSIBLE["follow_up"])
            check(
                await arranger.put(
                    f"/participants/{person.ref}/follow-up",
                    json={
                        "follow_up_type": kind,
                        "partner_id": "work-partner" if kind != "care_trajectory" else LEAD,
                        "starts_on": str(max(planned_end, self.today + 30 * DAY)),
                        "agreements": [
                            {
                                "task": "warm_handover",
                                "partner_id": LEAD,
                                "due_on": str(self.today + 30 * DAY),
                            },
                            {
                                "task": "first_meeting",
                                "partner_id": "work-partner",
                                "due_on": str(self.today + 45 * DAY),
                            },
                        ],
                    },
                ),
                200,
                201,
            )
            self.follow_up.add(person.ref)
            self.stats["follow-ups agreed"] += 1
        # A paused route (a treatment, a lapsed precondition) waits for its resumption:
        # the final meeting is held with the participant back on the route.
        active = plan["status"] == "active"
        if person.ref in self.follow_up and active and (reached or ending):
            await self.hold_final_meeting(person)
            if not reached:
                await self.waive_targets(person)
            done = check(await school.post(f"/participants/{person.ref}/completion"), 200, 201)
            self.completed_on[person.ref] = done["completed_on"]
            self.completed.add(person.ref)
            self.stats[ON_NORM] += reached

    async def waive_targets(self, person: Person) -> None:
        """Hours short of the norm complete a route only on the municipality's recorded
        decision that waives them (issue 16 item 7): the caseworker records it."""
        check(
            await self.client("planning", Role.CASEWORKER, subject=person.caseworker).post(
                f"/participants/{person.ref}/targets-waiver",
                json={
                    "decided_on": str(self.today),
                    "reason": "demo: the term ends before the PIP's hours norm is reached",
                },
            ),
            201,
        )
        self.stats[WAIVED] += 1

    async def hold_final_meeting(self, person: Person) -> None:
        """The caseworker records the Z-route's final meeting in intake: planning completes
        the route only after it (B 3.14(2)(c)), so the demo waits for the event to arrive."""
        check(
            await self.caseworker(person).post(
                f"/participants/{person.ref}/final-meeting",
                json={
                    "held_on": str(self.today),
                    "attendees": [{"role": "participant"}, {"role": "caseworker"}],
                },
            ),
            200,
            201,
        )
        self.stats["final meetings held"] += 1
        await self.system.settle(leave_sinks=True)

    # -- the weeks --------------------------------------------------------------------------


def _roll_call_of(lines: list[dict]) -> dict:
    """The roll-call of one session's lines: a group's, taught once, or a participant's own
    (its id as the line's)."""
    first = lines[0]
    marks = []
    for line in lines:
        mark = {"participant_ref": line["participant_ref"], "status": line["status"]}
        if line["status"] == "present":
            mark["minutes"] = line["minutes"]
        elif line["absence_reason"]:
            mark["reason"] = line["absence_reason"]
        marks.append(mark)
    if first["group_id"] is None:
        session_id = first["session_id"]
    else:
        key = "/".join(str(part) for part in _session_key(first))
        session_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"group-session/{key}"))
    return {
        "session_id": session_id,
        "session_on": first["session_on"],
        "group_id": first["group_id"],
        "kind": first["kind"],
        "teaching_form": first["teaching_form"],
        "session_minutes": first["session_minutes"],
        "marks": marks,
    }


def _session_key(line: dict) -> tuple:
    """What makes two participants' lines one session: the group's session on that day, of
    the same kind, form and length; a line without a group is a session of its own."""
    if line["group_id"] is None:
        return (line["session_id"],)
    return (
        line["group_id"],
        line["session_on"],
        line["kind"],
        line["teaching_form"],
        line["session_minutes"],
    )


async def send_roll_calls(actors: Actors, roll_calls: list[dict[str, Any]]) -> None:
    """Record roll-calls (``POST /roll-calls`` bodies) as a school's system sends a
    week's: each recording partner's in one list, in their order (at most
    ``MAX_ROLL_CALLS`` a request). The partners' lists go one after the other: a
    participant's lines then reach planning in the week's order."""
    by_recorder: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for body in roll_calls:
        by_recorder[RECORDERS[body["kind"]]].append(body)
        for mark in body["marks"]:
            if mark["status"] == "present":
                key = (mark["participant_ref"], date.fromisoformat(body["session_on"]))
                actors.present_minutes[key] += mark["minutes"]
    for partner_id, bodies in by_recorder.items():
        recorder = actors.partner("planning", partner_id)
        for first in range(0, len(bodies), MAX_ROLL_CALLS):
            chunk = bodies[first : first + MAX_ROLL_CALLS]
            check(await recorder.post("/roll-calls", json=chunk), 201)
            actors.stats["roll-call requests (a partner's week in one)"] += 1
