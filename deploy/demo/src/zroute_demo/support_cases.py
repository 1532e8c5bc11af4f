"""Issue 17's cases in the demo, each through support's public HTTP API and counted in
the summary: an urgent referral that overtakes a routine one on the waiting list, an
emergency referral without consent (the override and its audit record), a coordinator's
reassignment, a placement the employer ends and its replacement, and a check-in that
raises a concern."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from zroute_demo.actors import DAY, EMPLOYERS, WEEK, Actors, check
from zroute_demo.cohort import MUNICIPALITY, PARTNERS

CARE_PAUSE_WEEK = 3
"""The week a referral's treatment pauses a plan (two weeks later it ends)."""
_DEBT = "debt-help"  # the only partner for debts: full, its work waits
CONCERN_RAISED = "nl.zroute.support.placement-concern-raised.v1"
ALERT_WAIT_S = 60
"""How long (wall time) the demo waits for notifications to deliver the concern's alerts."""
CONCERN_ROLES = {
    "job_coach_partner": "the job coach's partner",
    "contact_person": "the contact person",
}
"""Who the communication matrix alerts of a concern (by role), as the summary names them."""


class SupportCases(Actors):
    """The support cases of issue 17 (hooks: ``referral_cases`` once the first referrals
    are answered, ``placement_cases`` once a placement is confirmed)."""

    placement_cases_done = False

    async def _debt_capacity(self, places: int) -> None:
        organisation, capabilities, _ = PARTNERS[_DEBT]
        check(
            await self.coordinator("support").put(
                f"/partners/{_DEBT}",
                json={
                    "organisation": organisation,
                    "municipalities": [MUNICIPALITY],
                    "capabilities": capabilities,
                    "capacity": {"debt_finance": places},
                    "contact_points": [{"channel": "email", "address": f"desk@{_DEBT}.example"}],
                },
            )
        )

    async def _emergency(self, ref: str, urgency: str) -> dict[str, Any]:
        """A coordinator's referral without a covering consent (audited override)."""
        made: dict[str, Any] = check(
            await self.coordinator("support").post(
                "/referrals",
                json={
                    "participant_ref": ref,
                    "category": "debt_finance",
                    "severity": "severe",
                    "urgency": urgency,
                    "consent_override": {
                        "legal_ground": "vital_interest",
                        "reason": "eviction notice served today",
                    },
                },
            ),
            201,
            202,
        )
        return made

    async def referral_cases(self) -> None:
        """Override, waiting-list order by urgency, and a reassignment."""
        support = self.coordinator("support")
        routine_person, urgent_person = self.people[0], self.people[1]
        open_debt = [
            r
            for r in check(await support.get("/referrals"))
            if r["partner_id"] == _DEBT
            and r["status"] in ("requested", "accepted", "in-progress", "on-hold")
        ]
        await self._debt_capacity(0)  # full: what comes now waits
        await self._emergency(routine_person.ref, "routine")
        await self.advance(DAY)  # the routine one has waited a day longer
        await self._emergency(urgent_person.ref, "urgent")
        audit = check(await support.get(f"/participants/{routine_person.ref}/consent-overrides"))
        self.stats["support: consent overrides with an audit record"] += len(audit)
        waiting = [w for w in check(await support.get("/waiting-list")) if w["kind"] == "referral"]
        order = [w["participant_ref"] for w in waiting]
        await self._debt_capacity(len(open_debt) + 1)  # one place frees: who gets it?
        await self.system.settle(leave_sinks=True)
        served = {
            r["participant_ref"]
            for r in check(await support.get("/referrals"))
            if r["partner_id"] == _DEBT and r["status"] == "requested"
        }
        if order[:2] == [urgent_person.ref, routine_person.ref] and urgent_person.ref in served:
            self.stats["support: urgent referral overtook a routine one on the waiting list"] += 1
        await self._debt_capacity(100)  # the routine one is served too
        await self.system.settle(leave_sinks=True)
        await self._reassign_one()

    async def _reassign_one(self) -> None:
        support = self.coordinator("support")
        for referral in check(await support.get("/referrals")):
            if referral["partner_id"] == "mental-care-a" and referral["status"] in (
                "requested",
                "accepted",
                "in-progress",
            ):
                check(
                    await support.post(
                        f"/referrals/{referral['referral_id']}/reassign",
                        json={"partner_id": "mental-care-b", "reason": "continuity_of_care"},
                    )
                )
                self.stats["support: referral reassigned by the coordinator"] += 1
                return

    async def placement_cases(self) -> None:
        """A check-in with a concern; a placement the employer ends, then its replacement."""
        if self.placement_cases_done:
            return
        support = self.coordinator("support")
        confirmed = [
            p for p in check(await support.get("/placements")) if p["status"] == "confirmed"
        ]
        if not confirmed:
            return  # not yet: the next week tries again
        self.placement_cases_done = True
        first = confirmed[0]
        rid = first["placement_request_id"]
        coaches = self.partner("support", first["job_coach"]["partner_id"])
        check(
            await coaches.post(
                f"/placements/{rid}/check-ins",
                json={"party": "employer", "held_on": str(self.today), "outcome": "concerns"},
            ),
            201,
        )
        self.stats["support: check-in raised a concern"] += 1
        await self._concern_alerts(first["participant_ref"], first["job_coach"]["partner_id"])
        partner = self.partner("support", first["partner_id"])
        start = max(self.today, date.fromisoformat(first["starts_on"]))
        check(await partner.post(f"/placements/{rid}/start", json={"started_on": str(start)}))
        check(
            await partner.post(
                f"/placements/{rid}/end",
                json={"reason": "employer_dropped_out", "ended_on": str(start)},
            )
        )
        check(await partner.post(f"/placements/{rid}/replace"))
        other = next(e for e in EMPLOYERS if e != first["employer_id"])
        check(
            await partner.post(
                f"/placements/{rid}/confirm",
                json={
                    "employer_id": other,
                    "location_id": "locatie-2",
                    "starts_on": str(start + WEEK),
                    "hours_per_week": first["hours_per_week"],
                    "job_coach": first["job_coach"],
                },
            )
        )
        replaced = check(await support.get(f"/placements/{rid}"))
        if replaced["replaces_placement_id"] == first["placement_id"]:
            self.stats["support: placement ended by the employer and replaced"] += 1

    async def _concern_alerts(self, ref: str, coach_partner: str) -> None:
        """The concern is only raised if someone hears of it: the job coach's partner reads
        the alert in its own inbox, and the coordinator reads back from notifications every
        message of that alert's event (the job coach's partner and the contact person, by
        role)."""
        made = await self._concern_messages(ref, coach_partner)
        if made is None:
            return  # not delivered in time: the summary shows the alert missing
        self.stats["support: check-in concern in the job coach's partner's inbox"] += 1
        for role, label in CONCERN_ROLES.items():
            if any(n["role"] == role and n["status"] == "sent" for n in made):
                self.stats[f"support: check-in concern alerted {label}"] += 1

    async def _concern_messages(self, ref: str, coach_partner: str) -> list[dict[str, Any]] | None:
        """Every message of the concern's alert once each role is reached (or none is
        pending), found through the job coach's partner's inbox; None when it is not there
        within ALERT_WAIT_S.

        Notifications delivers on its timers after handling the event, which settling
        does not see: wait on the messages' state instead."""
        await self.system.settle()  # the sinks too: the alerts are notifications' work
        partners = self.partner("notifications", coach_partner)
        notifications = self.coordinator("notifications")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ALERT_WAIT_S
        while loop.time() < deadline:
            inbox = check(await partners.get(f"/inbox/partner/{coach_partner}"))
            alert = next(
                (
                    m
                    for m in inbox
                    if m["event_type"] == CONCERN_RAISED and m["participant_ref"] == ref
                ),
                None,
            )
            if alert is not None:
                # The inbox message is a notification: its event names every message made.
                read = check(await notifications.get(f"/notifications/{alert['id']}"))
                params = {"event_id": read["event_ids"][0]}
                made: list[dict[str, Any]] = check(
                    await notifications.get("/notifications", params=params)
                )
                reached = {n["role"] for n in made if n["status"] == "sent"}
                # Every role reached, or nothing left to try (an e-mail may wait for a
                # retry on the simulated clock, which does not move here).
                if reached >= CONCERN_ROLES.keys() or all(n["status"] != "pending" for n in made):
                    return made
            await asyncio.sleep(0.2)
        return None

    care_pause: tuple[str, str, str] | None = None
    """The referral, the care pause and the participant of the care-pause case."""

    async def care_pause_case(self, week: int, skip: set[str]) -> None:
        """A treatment under a referral pauses the participant's plan (support's care-pause
        API, planning acts on the event); two weeks on the pause ends and the plan resumes."""
        if week == CARE_PAUSE_WEEK:
            await self._start_care_pause(skip)
        if week == CARE_PAUSE_WEEK + 2 and self.care_pause is not None:
            await self._end_care_pause()

    async def _start_care_pause(self, skip: set[str]) -> None:
        support = self.coordinator("support")
        under_way = [
            r
            for r in check(await support.get("/referrals"))
            if r["status"] in ("accepted", "in-progress") and r["participant_ref"] not in skip
        ]
        for referral in under_way:
            ref = referral["participant_ref"]
            if (await self._plan_status(ref)) != "active":
                continue
            body = {"kind": "treatment", "paused_from": str(self.today)}
            url = f"/referrals/{referral['referral_id']}/care-pauses"
            pause = check(await support.post(url, json=body), 201)
            self.care_pause = (referral["referral_id"], pause["pause_id"], ref)
            self.stats["support: care pauses recorded (treatment)"] += 1
            await self.system.settle(leave_sinks=True)
            if await self._plan_status(ref) == "paused":
                self.stats["support: care pause paused the plan"] += 1
            return

    async def _end_care_pause(self) -> None:
        assert self.care_pause is not None
        referral_id, pause_id, ref = self.care_pause
        url = f"/referrals/{referral_id}/care-pauses/{pause_id}/end"
        check(await self.coordinator("support").post(url, json={"ended_on": str(self.today)}))
        await self.system.settle(leave_sinks=True)
        if await self._plan_status(ref) == "active":
            self.stats["support: care pause ended, the plan resumed"] += 1

    async def _plan_status(self, ref: str) -> str:
        plan = check(await self.coordinator("planning").get(f"/participants/{ref}/plan"))
        return str(plan["status"])
