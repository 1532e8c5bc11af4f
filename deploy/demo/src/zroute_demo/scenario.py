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

from datetime import date
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zroute_demo.actors import DAY, WEEK, DemoError, Timeline, check, gather_limited
from zroute_demo.calendar_steps import CalendarSteps
from zroute_demo.case_exceptions import CaseExceptionSteps
from zroute_demo.cohort import Person
from zroute_demo.intake_steps import IntakeSteps
from zroute_demo.planning_steps import PlanningSteps
from zroute_demo.support_cases import SupportCases
from zroute_demo.support_steps import SupportSteps

__all__ = ["DemoError", "Scenario", "Timeline", "check", "run"]


class Scenario(
    IntakeSteps, SupportSteps, SupportCases, PlanningSteps, CalendarSteps, CaseExceptionSteps
):
    """The programme's route, week by week, through the steps of every actor."""

    async def run_weeks(self, weeks: int, progress: Progress) -> None:
        task = progress.add_task("weeks of the route", total=weeks)
        lapse_person = next((p for p in self.people if p.needs_childcare), None)
        for week in range(1, weeks + 1):
            week_start = self.today
            await self.advance(WEEK)
            started = await self._started_plans()
            if self.taught_from_calendar(week_start):
                await self.roll_calls(week_start, started)  # issue 16: per calendar session
            else:
                await self.record_weeks(started, week_start)
            await self.record_participation(started, week_start)  # B 3.14(2)(b)
            await self.care_pause_case(week, skip={lapse_person.ref} if lapse_person else set())
            await self._week_of_partners(week, started)
            await self._week_of_childcare(week, lapse_person)
            await self.case_exceptions(week)
            await self.pip_cases(week)
            if week % 4 == 0 and week >= self.timeline.close_routes_from:
                await gather_limited(self.close_route(p, plan) for p, plan in started)
            description = (
                f"weeks of the route ({self.today}, {len(started)} in lessons, "
                f"{len(self.completed)} completed)"
            )
            progress.update(task, advance=1, description=description)
            if week % 13 == 0:  # a line a simulated quarter
                self.note(f"week {week} of {weeks}: {description}")
            if len(self.completed) == len(self.people):
                progress.update(task, completed=weeks)
                break

    async def _started_plans(self) -> list[tuple[Person, dict[str, Any]]]:
        """The participants in lessons, with their plans; finished routes are set aside."""
        remaining = [p for p in self.people if p.ref not in self.completed]
        plans = await gather_limited(self.plan(p) for p in remaining)
        started = []
        for person, plan in zip(remaining, plans, strict=True):
            if plan["status"] in ("completed", "withdrawn"):
                self.completed.add(person.ref)
            elif plan["start_on"] and date.fromisoformat(plan["start_on"]) < self.today:
                started.append((person, plan))
        return started

    async def _week_of_partners(
        self, week: int, started: list[tuple[Person, dict[str, Any]]]
    ) -> None:
        """What the partners do in ``week``: referrals, placements, groups, reviews."""
        if week == self.timeline.answer_referrals:
            await self.answer_referrals()
        if week % 4 == 1:
            await self.request_placements(started)
        if week % 4 == 2:
            await self.form_groups()
            await self.confirm_placements()
            await self.answer_referrals()
        if week % 4 == 3:
            await self.calendar_scenario()  # once, when groups meet (issue 16)
        if week % 8 == 0:
            await self.job_coach_check_ins()
        if week >= 7 and week % 4 == 3:
            await self.placement_cases()  # issue 17: a concern; ended and replaced
        if week % 4 == 0:
            await gather_limited(self.hold_reviews(p) for p, _ in started)
        if week == self.timeline.complete_referrals:
            await self.complete_referrals()

    async def _week_of_childcare(self, week: int, lapse_person: Person | None) -> None:
        """Childcare stops for one participant (planning pauses their plan), then resumes."""
        if lapse_person is None:
            return
        if week == self.timeline.childcare_lapses:
            await self.lapse_childcare(lapse_person)
        if week == self.timeline.childcare_arranged_again:
            await self.arrange_preconditions(only=[lapse_person.ref])


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
        scenario.note("programme set up: partners, employers, directory, agreement")
        await scenario.intakes(progress)
        scenario.note(f"{len(scenario.people)} registered, broad intakes held, PIPs established")
        prep = progress.add_task("childcare, transport, first referrals", total=1)
        await scenario.arrange_preconditions()
        await scenario.advance(DAY)
        await scenario.answer_referrals()
        await scenario.referral_cases()  # issue 17: urgency, override, reassignment
        progress.advance(prep)
        scenario.note("childcare and transport arranged, first referrals answered")
        await scenario.run_weeks(weeks, progress)
    return scenario
