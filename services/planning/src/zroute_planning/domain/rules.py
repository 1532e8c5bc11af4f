"""The planning rules: targets, ramp-up, teaching-form variety, group sizes, deadlines.

Everything the law or a partner may change is here, as configuration with defaults,
never as a literal in the rules themselves. ``PlanningRules`` is read from a JSON file
(``ZROUTE_PLANNING_RULES_FILE``) or from ``ZROUTE_PLANNING_RULES`` (JSON); the defaults
follow the Wet inburgering 2021 and Besluit 3.14 (800 course hours, 800 participation hours,
a three-year term from the day after the PIP's date).
A profile that breaks its own variety rules is refused when the rules are loaded.
"""

from __future__ import annotations

from datetime import time
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from zroute_contract.events.codes import (
    CurriculumModule,
    DayPart,
    Goal,
    HoursKind,
    LevelBand,
    LifeDomain,
    Literacy,
    NeedSeverity,
    PauseReason,
    TeachingForm,
)

from zroute_planning.domain.hours_norm import NormRules
from zroute_planning.domain.roll_call import RollCallRules
from zroute_planning.domain.variety import VarietyRules, check_variety


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Targets(_Rules):
    """Hours per kind the events carry as the route's targets. Whether a plan fits its
    term, and whether it may complete, is counted against the PIP's norm (``norm``,
    B 3.14: course hours, NT2 and KNM together; participation hours, PVT and MAP within
    them) and the KNM and MAP minimums here. ``total``, ``language`` and ``participation``
    stay for the events' ``targets`` (v1) as the norm's split by kind: language and KNM
    make the 800 course hours (KNM shares them, so language alone is not 800),
    participation and MAP the 800 participation hours."""

    total: float = 1600
    language: float = 700
    participation: float = 700
    knm: float = 100
    map: float = 100


class Phase(_Rules):
    """One ramp-up phase (L9): from which route week, how many sessions, how long."""

    from_week: int = Field(ge=1)
    sessions_per_week: int = Field(ge=1, le=15)
    session_minutes: int = Field(ge=15, le=480)


class SessionPattern(_Rules):
    """One position in the weekly rotation of teaching forms and what its hours count for."""

    form: TeachingForm
    kind: HoursKind


class ModuleRule(_Rules):
    """A customised module chosen when an intake need, a goal or the literacy calls for it."""

    module: CurriculumModule
    need: LifeDomain | None = None
    min_severity: NeedSeverity = NeedSeverity.MODERATE
    goals: tuple[Goal, ...] = ()
    literacies: tuple[Literacy, ...] = ()


class GroupRules(_Rules):
    """Group formation (L11, L7)."""

    min_size: int = Field(default=3, ge=1)
    max_size: int = Field(default=8, ge=1)
    sessions_per_week: int = Field(default=2, ge=1, le=5)
    session_minutes: int = Field(default=150, ge=15, le=480)
    alpha_literacies: tuple[Literacy, ...] = (Literacy.NOT_ALPHABETISED, Literacy.LOW_LITERATE)
    assistant_bands: tuple[LevelBand, ...] = (LevelBand.ALPHA,)
    teachers: tuple[str, ...] = ("teacher-1", "teacher-2", "teacher-3", "teacher-4")
    assistants: tuple[str, ...] = ("assistant-1", "assistant-2")
    start_times: dict[DayPart, time] = {
        DayPart.MORNING: time(9, 30),
        DayPart.AFTERNOON: time(13, 30),
        DayPart.EVENING: time(19, 0),
    }
    first_session_after_days: int = Field(default=7, ge=0)
    solver_seconds: float = Field(default=5.0, gt=0)
    chunk_size: int = Field(default=240, ge=8)
    max_slot_sets: int = Field(default=40, ge=1)

    @model_validator(mode="after")
    def _sizes(self) -> Self:
        if self.min_size > self.max_size:
            raise ValueError("min_size is above max_size")
        return self


def _default_phases() -> tuple[Phase, ...]:
    return (
        Phase(from_week=1, sessions_per_week=2, session_minutes=120),
        Phase(from_week=9, sessions_per_week=3, session_minutes=150),
        Phase(from_week=17, sessions_per_week=4, session_minutes=180),
        Phase(from_week=27, sessions_per_week=6, session_minutes=180),
    )


def _default_rotation() -> tuple[SessionPattern, ...]:
    pattern = [
        (TeachingForm.CLASSROOM, HoursKind.LANGUAGE),
        (TeachingForm.PRACTICE_OUTSIDE, HoursKind.LANGUAGE),
        (TeachingForm.KNM, HoursKind.KNM),
        (TeachingForm.DIGITAL, HoursKind.LANGUAGE),
        (TeachingForm.WORKPLACE_LEARNING, HoursKind.PARTICIPATION),
        (TeachingForm.CLASSROOM, HoursKind.MAP),
    ]
    return tuple(SessionPattern(form=f, kind=k) for f, k in pattern)


def _default_modules() -> tuple[ModuleRule, ...]:
    return (
        ModuleRule(
            module=CurriculumModule.LITERACY,
            need=LifeDomain.LANGUAGE_LITERACY,
            literacies=(Literacy.NOT_ALPHABETISED, Literacy.LOW_LITERATE),
        ),
        ModuleRule(module=CurriculumModule.HEALTH_SKILLS, goals=(Goal.HEALTH_SELF_RELIANCE,)),
        ModuleRule(module=CurriculumModule.DIGITAL_SKILLS, goals=(Goal.DIGITAL_SKILLS,)),
        ModuleRule(
            module=CurriculumModule.FINANCIAL_SELF_RELIANCE,
            need=LifeDomain.FINANCES,
            goals=(Goal.FINANCIAL_SELF_RELIANCE,),
        ),
        ModuleRule(
            module=CurriculumModule.WORK_SKILLS,
            need=LifeDomain.WORK_DAYTIME,
            goals=(Goal.PAID_WORK, Goal.VOLUNTEERING),
        ),
    )


class ModuleTeaching(_Rules):
    """How a customised module is taught when it is added with hours (issue 16 item 4):
    its usual teaching form (the caseworker or school may name another) and the kind of
    hours it counts toward."""

    form: TeachingForm
    kind: HoursKind


def _default_module_teaching() -> dict[CurriculumModule, ModuleTeaching]:
    # Literacy and digital skills are language lessons; health and money belong to knowing
    # Dutch society (KNM, taught as KNM lessons); work skills to the labour-market and
    # participation module (MAP), practised outside. The forms differ from the first
    # phase's (classroom, practice outside) where they can, so a module keeps the week varied.
    pairs = {
        CurriculumModule.LITERACY: (TeachingForm.CLASSROOM, HoursKind.LANGUAGE),
        CurriculumModule.DIGITAL_SKILLS: (TeachingForm.DIGITAL, HoursKind.LANGUAGE),
        CurriculumModule.HEALTH_SKILLS: (TeachingForm.KNM, HoursKind.KNM),
        CurriculumModule.FINANCIAL_SELF_RELIANCE: (TeachingForm.KNM, HoursKind.KNM),
        CurriculumModule.WORK_SKILLS: (TeachingForm.PRACTICE_OUTSIDE, HoursKind.MAP),
    }
    return {m: ModuleTeaching(form=f, kind=k) for m, (f, k) in pairs.items()}


class PlanningRules(_Rules):
    """Every rule of the planning service that is configuration."""

    targets: Targets = Targets()
    norm: NormRules = NormRules()
    integration_term_years: int = Field(default=3, ge=1, le=10)
    core_modules: tuple[CurriculumModule, ...] = (
        CurriculumModule.LANGUAGE,
        CurriculumModule.KNM,
        CurriculumModule.MAP,
        CurriculumModule.PVT,
    )
    module_rules: tuple[ModuleRule, ...] = Field(default_factory=_default_modules)
    # A customised module added with hours gets one session a week in the participant's
    # week, in this form, counting toward this kind of hours (issue 16 item 4).
    module_teaching: dict[CurriculumModule, ModuleTeaching] = Field(
        default_factory=_default_module_teaching
    )
    start_after_days: int = Field(default=14, ge=0)
    phases: tuple[Phase, ...] = Field(default_factory=_default_phases, min_length=1)
    rotation: tuple[SessionPattern, ...] = Field(default_factory=_default_rotation, min_length=1)
    variety: VarietyRules = VarietyRules()
    teaching_weeks_per_year: int = Field(default=40, ge=1, le=52)
    groups: GroupRules = GroupRules()
    placement_min_lead_days: int = Field(default=42, ge=1)
    placement_confirm_before_days: int = Field(default=14, ge=0)
    placement_reescalate_days: int = Field(default=7, ge=1)
    placement_max_escalations: int = Field(default=3, ge=1, le=10)
    review_every_days: int = Field(default=91, ge=7)
    review_due_within_days: int = Field(default=14, ge=0)
    attendance_threshold_percent: int = Field(default=75, ge=0, le=100)
    attendance_window_days: int = Field(default=28, ge=7)
    attendance_min_sessions: int = Field(default=4, ge=1)
    # Roll-call: whether an excused absence (illness, a care appointment, ...) lowers the
    # attendance that makes a review due, and the most minutes one participant may be
    # recorded present on one day.
    excused_absence_counts_as_missed: bool = False
    attendance_max_minutes_per_day: int = Field(default=360, ge=15, le=1440)
    follow_up_before_end_days: int = Field(default=120, ge=1)
    follow_up_agree_within_days: int = Field(default=60, ge=0)
    # Issue 15: a pause of the route (for care, or at the participant's request) pauses the
    # plan. For these reasons the paused days move the projection (the remaining weeks
    # start again after the pause); the integration term never moves by a pause (only by
    # DUO's extension, W 12).
    pause_moves_projection: frozenset[PauseReason] = frozenset(
        {PauseReason.CARE, PauseReason.PARTICIPANT_REQUEST}
    )
    # A passed agree-by date escalates (issue 16 item 7), again every so many days, at most
    # so many times.
    # Maatwerk modules that count (issue 16 item 4): whether the route completes only once
    # every customised module on the plan is completed (or removed with a reason).
    completion_requires_modules: bool = False
    follow_up_reescalate_days: int = Field(default=14, ge=1)
    follow_up_max_escalations: int = Field(default=3, ge=1, le=10)

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        weeks = [p.from_week for p in self.phases]
        if weeks[0] != 1 or weeks != sorted(set(weeks)):
            raise ValueError("phases must start in week 1 and be in increasing week order")
        if self.targets.language > self.targets.total:
            raise ValueError("the language target is above the total target")
        for phase in self.phases:
            forms = week_forms(self.rotation, phase.sessions_per_week)
            problems = check_variety(forms, self.variety)
            if problems:
                raise ValueError(
                    f"phase from week {phase.from_week} breaks the variety rules: {problems[0]}"
                )
        return self


def roll_call_rules(rules: PlanningRules) -> RollCallRules:
    """The roll-call's checks and counting rule, as the rules in force set them."""
    return RollCallRules(
        max_minutes_per_day=rules.attendance_max_minutes_per_day,
        excused_counts_as_missed=rules.excused_absence_counts_as_missed,
    )


def longest_session(rules: PlanningRules) -> int:
    """The longest session the rules plan (a group's or a ramp-up phase's): the bound of a
    single attendance line that does not name its session's length."""
    return max(rules.groups.session_minutes, *(p.session_minutes for p in rules.phases))


def week_forms(rotation: tuple[SessionPattern, ...], sessions: int) -> list[TeachingForm]:
    """The teaching forms of a week with ``sessions`` sessions, in order."""
    return [rotation[i % len(rotation)].form for i in range(sessions)]
