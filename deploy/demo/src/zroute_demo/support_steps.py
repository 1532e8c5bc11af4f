"""The coordinator's and the partners' steps in the support and notifications services.

A mixin of :class:`zroute_demo.scenario.Scenario`: the methods use its clients, clock and
counters (declared in :class:`zroute_demo.actors.Actors`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from zroute_demo.actors import DAY, EMPLOYERS, WEEK, Actors, check
from zroute_demo.cohort import (
    CASEWORKERS,
    LEAD,
    MUNICIPALITY,
    PARTNERS,
    PROGRAMME,
    PVT_PROVIDER,
    RESPONSIBLE,
    Person,
)


class SupportSteps(Actors):
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
        for employer_id in EMPLOYERS:  # a placement names a registered employer (issue 17)
            check(
                await support.post(
                    "/employers",
                    json={
                        "employer_id": employer_id,
                        "name": employer_id.replace("-", " ").title(),
                        "municipalities": [MUNICIPALITY],
                        "contact_points": [
                            {"channel": "email", "address": f"contact@{employer_id}.example"}
                        ],
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
        # The agreement last: its e-mail to the lead partner goes out at once, so the
        # addresses must be known first (else it fails as recipient_unresolved, once a run).
        check(
            await support.post(
                f"/programmes/{PROGRAMME}/agreements",
                json={
                    "municipality": MUNICIPALITY,
                    "valid_from": str(self.today),
                    "lead_partner_id": LEAD,
                    "assignments": [{"task": t, "partner_id": p} for t, p in RESPONSIBLE.items()],
                    "module_providers": [{"module": "pvt", "partner_id": PVT_PROVIDER}],
                },
            ),
            201,
        )
        await self.system.settle(leave_sinks=True)

    # -- intake ---------------------------------------------------------------------------

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
