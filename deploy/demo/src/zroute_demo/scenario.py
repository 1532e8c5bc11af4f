"""The cohort scenario: a Z-route programme driven through the services' public HTTP APIs.

Every step is what a person or a partner's system does: a coordinator registers the
partners and records who does what; caseworkers register participants, hold broad
intakes with interpreters and record consent; partners arrange childcare and transport,
answer referrals and confirm workplaces; the language school forms groups and records
attendance week by week; caseworkers hold progress reviews, agree follow-ups and close
routes. Between steps the four services' simulated clocks move forward together, so
their timers (phases, reviews, escalations, digests, follow-ups due) fire as they would
over three years. Nothing here reads a database or publishes on the bus.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from zroute_runtime.auth import Role

from zroute_demo.cohort import (
    CASEWORKERS,
    FOLLOW_UPS,
    LEAD,
    MUNICIPALITY,
    PARTNERS,
    PROGRAMME,
    RESPONSIBLE,
    Person,
    cohort,
)
from zroute_demo.system import System
from zroute_demo.webhooks import WebhookReceiver

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
WEEKDAY_INDEX = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
CONCURRENCY = 8
EMPLOYERS = ("bakkerij-noord", "buurthuis-oost", "kringloop-west")


class DemoError(RuntimeError):
    """A call the scenario relies on was refused: the message says which and why."""


def check(response: httpx.Response, *expected: int) -> Any:
    if response.status_code not in (expected or (200, 201)):
        raise DemoError(
            f"{response.request.method} {response.request.url.path} -> "
            f"{response.status_code}: {response.text[:600]}"
        )
    return response.json() if response.content else None


async def gather_limited(calls: Iterable[Awaitable[Any]], limit: int = CONCURRENCY) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(call: Awaitable[Any]) -> Any:
        async with gate:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))


@dataclass(frozen=True)
class Timeline:
    """In which week of the route what happens (the end-to-end test compresses it)."""

    answer_referrals: int = 2
    complete_referrals: int = 16
    childcare_lapses: int = 20
    childcare_arranged_again: int = 23
    close_routes_from: int = 60


class Scenario:
    """The programme, its cohort, and the clients the actors use."""

    def __init__(
        self, system: System, console: Console, participants: int, timeline: Timeline | None = None
    ) -> None:
        self.timeline = timeline or Timeline()
        self.webhook: WebhookReceiver | None = None
        self.system = system
        self.console = console
        self.people = cohort(participants)
        self.today = datetime.fromisoformat(system.config.clock_start).date()
        self.clients: dict[tuple, httpx.AsyncClient] = {}
        self.completed: set[str] = set()
        self.follow_up: set[str] = set()
        self.schedules: dict[str, dict] = {}
        self.stats: Counter[str] = Counter()
        self.lapsed: set[str] = set()
        self.placements_asked: set[str] = set()

    def client(
        self, service: str, role: Role, partner_id: str | None = None, subject: str = "demo"
    ) -> httpx.AsyncClient:
        key = (service, role, partner_id, subject)
        if key not in self.clients:
            token = self.system.settings and self.system.token(
                role, partner_id=partner_id, subject=subject
            )
            self.clients[key] = httpx.AsyncClient(
                base_url=self.system.processes[service].base_url,
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
        return self.clients[key]

    def coordinator(self, service: str) -> httpx.AsyncClient:
        return self.client(service, Role.COORDINATOR, subject="coordinator-demo")

    def caseworker(self, person: Person) -> httpx.AsyncClient:
        return self.client("intake", Role.CASEWORKER, subject=person.caseworker)

    def partner(self, service: str, partner_id: str) -> httpx.AsyncClient:
        return self.client(service, Role.PARTNER_STAFF, partner_id, subject=f"staff-{partner_id}")

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    async def advance(self, delta: timedelta) -> None:
        """Move every service's clock, then let the events that caused settle."""
        await self.system.advance_clocks(delta.total_seconds())
        self.today += delta if delta >= DAY else timedelta(0)
        await self.system.settle()

    # -- the programme ------------------------------------------------------------------
    async def set_up_programme(self) -> None:
        support = self.coordinator("support")
        for partner_id, (organisation, capabilities, capacity) in PARTNERS.items():
            check(
                await support.post(
                    "/partners",
                    json={
                        "partner_id": partner_id,
                        "organisation": organisation,
                        "municipalities": [MUNICIPALITY],
                        "capabilities": capabilities,
                        "capacity": capacity,
                        "contact_points": [
                            {"channel": "email", "address": f"desk@{partner_id}.example"}
                        ],
                    },
                ),
                201,
            )
        check(
            await support.post(
                f"/programmes/{PROGRAMME}/agreements",
                json={
                    "municipality": MUNICIPALITY,
                    "valid_from": str(self.today),
                    "lead_partner_id": LEAD,
                    "assignments": [{"task": t, "partner_id": p} for t, p in RESPONSIBLE.items()],
                },
            ),
            201,
        )
        notifications = self.coordinator("notifications")
        directory = [("partner", p, f"desk@{p}.example", "nl") for p in PARTNERS]
        directory += [("staff", c, f"{c}@gemeente.example", "nl") for c in CASEWORKERS]
        directory += [
            ("staff", "coach-amal", "amal@job-coaches.example", "en"),
            ("staff", "coach-bram", "bram@job-coaches.example", "nl"),
            ("operator", "operator", "operations@gemeente.example", "nl"),
        ]
        directory += [("employer", e, f"contact@{e}.example", "nl") for e in EMPLOYERS]
        if self.webhook is not None:
            # The municipality's case system takes completed routes over a webhook.
            created = check(
                await notifications.post(
                    "/subscriptions",
                    json={
                        "url": self.webhook.url,
                        "bearer_token": self.webhook.bearer_token,
                        "event_types": [
                            "nl.zroute.planning.route-completed.v1",
                            "nl.zroute.intake.participant-withdrawn.v1",
                        ],
                    },
                ),
                201,
            )
            self.webhook.signing_secret = created["signing_secret"]
        for kind, ref, email, language in directory:
            check(
                await notifications.put(
                    f"/directory/{kind}/{ref}", json={"email": email, "language": language}
                )
            )
        await self.system.settle()

    # -- intake ---------------------------------------------------------------------------
    async def register(self, person: Person) -> None:
        body = {
            "programme_id": PROGRAMME,
            "municipality": MUNICIPALITY,
            "bsn": person.bsn,
            "given_names": person.given_names,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth,
            "address": {
                "street": "Javastraat",
                "house_number": str(person.number),
                "postal_code": "1094 HA",
                "city": "Amsterdam",
            },
            "phone": "+31 6 1234 5678",
            "preferred_language": person.language,
            "interpreter_needed": person.interpreter,
            "contact_person": {
                "staff_ref": person.caseworker,
                "role": "caseworker",
                "municipality": MUNICIPALITY,
            },
        }
        created = check(await self.caseworker(person).post("/participants", json=body), 201)
        person.ref = created["participant_ref"]
        person.version = created["version"]

    async def schedule_intake(self, person: Person, starts: datetime) -> None:
        body: dict[str, Any] = {
            "starts_at": starts.isoformat(),
            "duration_minutes": 120,
            "location_id": "stadsloket-oost",
            "attendees": [
                {"partner_id": "language-school", "role": "language_partner"},
                {"partner_id": LEAD, "role": "coordinator"},
            ],
        }
        if person.care_signals:
            body["attendees"].append({"partner_id": "mental-care-b", "role": "care_partner"})
        if person.interpreter:
            body["interpreter"] = {
                "language": person.language,
                "mode": "in_person",
                "status": "confirmed",
                "partner_id": LEAD,
            }
        check(await self.caseworker(person).put(f"/participants/{person.ref}/intake", json=body))

    async def record_outcome(self, person: Person) -> None:
        signals = []
        for signal in person.care_signals:
            signal_id = str(uuid.uuid4())
            person.signal_ids.append(signal_id)
            signals.append({**signal, "signal_id": signal_id})
        needs_child = person.needs_childcare
        body = {
            "language_level": person.level,
            "literacy": person.literacy,
            "learnability_band": person.learnability,
            "needs": person.needs,
            "childcare": {"needed": needs_child, "child_ages": person.child_ages},
            "transport": {"needed": person.needs_transport, "modes": person.transport_modes},
            "availability": person.availability,
            "goals": person.goals,
            "route": "z_route",
            "route_reason": "literacy" if person.level == "A0" else "low_learnability",
            "care_signals": signals,
        }
        if needs_child:
            body["needs"] = [*person.needs, {"domain": "family_childcare", "severity": "moderate"}]
        if person.needs_transport:
            body["needs"] = [
                *body["needs"],
                {"domain": "transport_mobility", "severity": "moderate"},
            ]
        check(
            await self.caseworker(person).post(
                f"/participants/{person.ref}/intake/outcome", json=body
            ),
            200,
            201,
        )
        if person.signal_ids:
            check(
                await self.caseworker(person).post(
                    f"/participants/{person.ref}/consents",
                    json={
                        "purpose": "care_referral",
                        "care_signal_ids": person.signal_ids,
                        "given_on": str(self.today),
                    },
                ),
                201,
            )

    async def intakes(self, progress: Progress) -> None:
        task = progress.add_task("registration and broad intake", total=len(self.people) * 3)
        starts = datetime.fromisoformat(self.system.config.clock_start) + timedelta(days=3, hours=2)

        async def first(person: Person) -> None:
            await self.register(person)
            progress.advance(task)
            slot = starts + timedelta(minutes=150 * (person.number % 3))
            await self.schedule_intake(person, slot)
            progress.advance(task)

        await gather_limited(first(p) for p in self.people)
        await self.advance(timedelta(days=4))  # the intakes are held

        async def outcome(person: Person) -> None:
            await self.record_outcome(person)
            progress.advance(task)

        await gather_limited(outcome(p) for p in self.people)
        await self.system.settle()

    # -- support: preconditions and referrals -------------------------------------------
    async def arrange_preconditions(
        self, *, until: date | None = None, only: Iterable[str] | None = None
    ) -> int:
        arranged = 0
        for partner_id in ("childcare", "transport"):
            client = self.partner("support", partner_id)
            for pre in check(await client.get("/preconditions")):
                if pre["status"] not in ("assigned", "needed", "lapsed"):
                    continue
                if only is not None and pre["participant_ref"] not in only:
                    continue
                check(
                    await client.post(
                        f"/preconditions/{pre['precondition_id']}/arrange",
                        json={
                            "arranged_from": str(self.today),
                            "arranged_until": str(until) if until else None,
                            "days_covered": [
                                "monday",
                                "tuesday",
                                "wednesday",
                                "thursday",
                                "friday",
                            ],
                        },
                    )
                )
                arranged += 1
        self.stats["preconditions arranged"] += arranged
        return arranged

    async def answer_referrals(self) -> None:
        """Care partners answer what they were sent: the small mental-health partner
        declines its first one (it is re-routed), everyone else accepts and starts."""
        referrals = check(await self.coordinator("support").get("/referrals"))
        declined_one = any(r["status"] == "rejected" for r in referrals)
        for referral in referrals:
            partner = self.partner("support", referral["partner_id"])
            rid = referral["referral_id"]
            if referral["status"] == "requested":
                if referral["partner_id"] == "mental-care-a" and not declined_one:
                    check(
                        await partner.post(
                            f"/referrals/{rid}/decline",
                            json={"reason": "no_capacity", "reroute": True},
                        )
                    )
                    declined_one = True
                    self.stats["referrals declined and re-routed"] += 1
                    continue
                check(await partner.post(f"/referrals/{rid}/accept", json={}))
                check(await partner.post(f"/referrals/{rid}/start", json={}))

    async def complete_referrals(self) -> None:
        referrals = check(await self.coordinator("support").get("/referrals"))
        for n, referral in enumerate(r for r in referrals if r["status"] == "in-progress"):
            partner = self.partner("support", referral["partner_id"])
            successful = n % 4 != 3
            check(
                await partner.post(
                    f"/referrals/{referral['referral_id']}/complete",
                    json={
                        "successful": successful,
                        "service_delivered": True,
                        "delivered_on": str(self.today - DAY),
                        "reason": "goal_reached" if successful else "partially_reached",
                    },
                )
            )

    # -- planning -------------------------------------------------------------------------
    async def form_groups(self) -> dict:
        school = self.partner("planning", "language-school")
        result = check(await school.post("/group-formations", json={"programme_id": PROGRAMME}))
        self.stats["group formations"] += 1
        await self.system.settle()
        return result

    async def plan(self, person: Person) -> dict:
        return check(await self.coordinator("planning").get(f"/participants/{person.ref}/plan"))

    async def record_week(self, person: Person, week_start: date) -> None:
        """Attendance of the week that just ended, session by session."""
        school = self.partner("planning", "language-school")
        if person.ref not in self.schedules or week_start.toordinal() % 28 < 7:
            response = await school.get(f"/participants/{person.ref}/schedule")
            if response.status_code == 404:
                return
            self.schedules[person.ref] = check(response)
        schedule = self.schedules[person.ref]
        valid_from = date.fromisoformat(schedule["valid_from"])
        for index, session in enumerate(schedule["sessions"]):
            on = week_start + timedelta(days=WEEKDAY_INDEX[session["weekday"]])
            if on < valid_from or on >= self.today:
                continue
            draw = uuid.uuid5(uuid.NAMESPACE_URL, f"{person.ref}/{on}/{index}").int % 100
            present = draw < person.attendance * 100
            status = (
                "present"
                if present
                else ("absent_with_reason" if draw % 2 else "absent_without_reason")
            )
            check(
                await school.post(
                    f"/participants/{person.ref}/attendance",
                    json={
                        "session_id": str(
                            uuid.uuid5(uuid.NAMESPACE_URL, f"{person.ref}/{on}/{index}")
                        ),
                        "session_on": str(on),
                        "group_id": session.get("group_id"),
                        "kind": session["hours_kind"],
                        "teaching_form": session["teaching_form"],
                        "status": status,
                        "minutes": session["minutes"],
                    },
                ),
                200,
                201,
            )
            self.stats["attendance records"] += 1

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

    async def confirm_placements(self) -> None:
        support = self.coordinator("support")
        for n, placement in enumerate(check(await support.get("/placements"))):
            if placement["status"] != "open" or placement["partner_id"] is None:
                continue
            partner = self.partner("support", placement["partner_id"])
            check(
                await partner.post(
                    f"/placements/{placement['placement_request_id']}/confirm",
                    json={
                        "employer_id": EMPLOYERS[n % len(EMPLOYERS)],
                        "location_id": "locatie-1",
                        "starts_on": str(
                            max(
                                self.today + WEEK, date.fromisoformat(placement["needed_by"]) - WEEK
                            )
                        ),
                        "hours_per_week": placement["hours_per_week"],
                        "job_coach": {
                            "staff_ref": ["coach-amal", "coach-bram"][n % 2],
                            "partner_id": "job-coaches",
                        },
                    },
                )
            )
            self.stats["placements confirmed"] += 1

    async def job_coach_check_ins(self) -> None:
        coaches = self.partner("support", "job-coaches")
        for placement in check(await self.coordinator("support").get("/placements")):
            if placement["status"] != "confirmed":
                continue
            for party in ("participant", "employer"):
                check(
                    await coaches.post(
                        f"/placements/{placement['placement_request_id']}/check-ins",
                        json={
                            "party": party,
                            "held_on": str(self.today - DAY),
                            "outcome": "on_track",
                        },
                    ),
                    200,
                    201,
                )
                self.stats["job-coach check-ins"] += 1

    async def close_route(self, person: Person, plan: dict) -> None:
        school = self.partner("planning", "language-school")
        hours = check(await school.get(f"/participants/{person.ref}/hours"))
        await self.follow_up_and_complete(person, plan, hours)

    async def follow_up_and_complete(self, person: Person, plan: dict, hours: dict) -> None:
        school = self.partner("planning", "language-school")
        planned_end = date.fromisoformat(plan["projection"]["planned_end"])
        reached = hours["total"] >= hours["targets"]["total"]
        if person.ref not in self.follow_up and (reached or planned_end - self.today <= 120 * DAY):
            kind = FOLLOW_UPS[person.number % len(FOLLOW_UPS)]
            check(
                await school.put(
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
        if person.ref in self.follow_up and (reached or self.today >= planned_end):
            check(await school.post(f"/participants/{person.ref}/completion"), 200, 201)
            self.completed.add(person.ref)

    # -- the weeks --------------------------------------------------------------------------
    async def run_weeks(self, weeks: int, progress: Progress) -> None:
        task = progress.add_task("weeks of the route", total=weeks)
        lapse_person = next((p for p in self.people if p.needs_childcare), None)
        for week in range(1, weeks + 1):
            week_start = self.today
            await self.advance(WEEK)
            remaining = [p for p in self.people if p.ref not in self.completed]
            plans = await gather_limited(self.plan(p) for p in remaining)
            active = []
            for person, plan in zip(remaining, plans, strict=True):
                if plan["status"] in ("completed", "withdrawn"):
                    self.completed.add(person.ref)
                    continue
                active.append((person, plan))
            started = [
                (p, plan)
                for p, plan in active
                if plan["start_on"] and date.fromisoformat(plan["start_on"]) < self.today
            ]
            await gather_limited(self.record_week(p, week_start) for p, _ in started)
            if week == self.timeline.answer_referrals:
                await self.answer_referrals()
            if week % 4 == 1:
                await self.request_placements(started)
            if week % 4 == 2:
                await self.form_groups()
                await self.confirm_placements()
                await self.answer_referrals()
            if week % 8 == 0:
                await self.job_coach_check_ins()
            if week % 4 == 0:
                await gather_limited(self.hold_reviews(p) for p, _ in started)
            if week == self.timeline.complete_referrals:
                await self.complete_referrals()
            if lapse_person is not None and week == self.timeline.childcare_lapses:
                # Childcare stops for one participant: planning pauses their plan.
                await self.lapse_childcare(lapse_person)
            if lapse_person is not None and week == self.timeline.childcare_arranged_again:
                await self.arrange_preconditions(only=[lapse_person.ref])
            if week % 4 == 0 and week >= self.timeline.close_routes_from:
                await gather_limited(self.close_route(p, plan) for p, plan in started)
            progress.update(
                task,
                advance=1,
                description=(
                    f"weeks of the route ({self.today}, {len(started)} in lessons, "
                    f"{len(self.completed)} completed)"
                ),
            )
            if len(self.completed) == len(self.people):
                progress.update(task, completed=weeks)
                break

    async def lapse_childcare(self, person: Person) -> None:
        client = self.partner("support", "childcare")
        for pre in check(await client.get("/preconditions")):
            if pre["participant_ref"] == person.ref and pre["status"] == "arranged":
                check(
                    await client.post(
                        f"/preconditions/{pre['precondition_id']}/lapse",
                        json={"reason": "partner_stopped", "lapsed_on": str(self.today)},
                    )
                )
                self.lapsed.add(person.ref)
                self.stats["preconditions lapsed"] += 1


async def run(scenario: Scenario, *, weeks: int) -> Scenario:
    console = scenario.console
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        setup = progress.add_task("programme: partners, agreement, directory", total=1)
        await scenario.set_up_programme()
        progress.advance(setup)
        await scenario.intakes(progress)
        prep = progress.add_task("childcare, transport, first referrals", total=1)
        await scenario.arrange_preconditions()
        await scenario.advance(DAY)
        await scenario.answer_referrals()
        progress.advance(prep)
        await scenario.run_weeks(weeks, progress)
    return scenario


Step = Callable[[], Awaitable[None]]
