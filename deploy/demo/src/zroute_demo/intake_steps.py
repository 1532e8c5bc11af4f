"""The caseworker's steps in the intake service: registration, broad intake, outcome and consent.

A mixin of :class:`zroute_demo.scenario.Scenario`: the methods use its clients, clock and
counters (declared in :class:`zroute_demo.actors.Actors`)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from rich.progress import Progress

from zroute_demo.actors import check, gather_limited
from zroute_demo.cohort import (
    LEAD,
    MUNICIPALITY,
    PROGRAMME,
    Person,
)
from zroute_demo.pip_cases import PipCases


class IntakeSteps(PipCases):
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

    async def establish_pip(self, person: Person) -> None:
        """Draft and establish the PIP on the intake's outcome: the established PIP, not the
        intake's completion, activates the plan (the term starts the next day, W 11)."""
        client = self.caseworker(person)
        await self.start_deadline(person)
        content: dict[str, object] = {
            "route": "z_route",
            "route_reason": "literacy" if person.level == "A0" else "low_learnability",
            "support": [],
            "pvt_hours_per_week": 2,
            "map_hours_per_week": 2,
            "route_hours_per_week": 12,
            "progress_meetings": 4,
            "participatiewet_decisions": [],
            "exam_wish": [],
        }
        check(await client.put(f"/participants/{person.ref}/pip/draft", json=content))
        check(
            await client.post(
                f"/participants/{person.ref}/pip/establishment", json={"dated": str(self.today)}
            ),
            200,
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
            await self.establish_pip(person)
            progress.advance(task)

        await gather_limited(outcome(p) for p in self.people)
        await self.system.settle(leave_sinks=True)

    # -- support: preconditions and referrals -------------------------------------------
