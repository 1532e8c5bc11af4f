"""Groups by hand (issue 16 item 6): add, exclude, move, dissolve, with a reason and L11's
invariants checked first (``domain/group_changes.py``); a member's level band set after a
level test. Every change is kept with its reason, who and when; the members' events and
weeks follow as they do after a formation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from zroute_contract.events.codes import GroupChangeReason, LevelBand, WaitReason
from zroute_contract.events.planning import ParticipantAssignedToGroup
from zroute_runtime.logging import get_logger

from zroute_planning.adapters.group_repo import GroupRow
from zroute_planning.domain.errors import InvalidRequest, PlanError
from zroute_planning.domain.group_changes import (
    GroupFacts,
    MemberFacts,
    add_problems,
    exclude_problems,
    move_problems,
)
from zroute_planning.domain.grouping import joins_on
from zroute_planning.domain.plan import Plan, PlanStatus
from zroute_planning.service_layer import lifecycle, scheduling
from zroute_planning.service_layer.deps import Deps
from zroute_planning.service_layer.handlers import calendar
from zroute_planning.service_layer.unit_of_work import PlanningUnitOfWork

log = get_logger(__name__)


@dataclass(frozen=True)
class ByHand:
    """Why, who and when of a change by hand."""

    reason: str
    by: str
    at: datetime
    on: date

    def checked(self) -> ByHand:
        if len(self.reason.strip()) < 5:
            raise InvalidRequest("a change by hand says why (at least 5 characters)")
        return self


def _facts(group: GroupRow) -> GroupFacts:
    return GroupFacts(group.level_band, tuple(group.slots), tuple(group.members))


def _member(plan: Plan) -> MemberFacts:
    return MemberFacts(plan.participant_ref, plan.level_band, plan.availability)


def _refuse(problems: list[str]) -> None:
    if problems:
        raise InvalidRequest("; ".join(problems))


async def _open_group(uow: PlanningUnitOfWork, group_id: UUID) -> GroupRow:
    group = await uow.groups.get_group(group_id)
    if group is None or not await uow.groups.meets(group_id):
        raise PlanError("no group that meets with this id")
    return group


def _active(plan: Plan) -> None:
    if plan.status is not PlanStatus.ACTIVE:
        raise PlanError(f"the plan is {plan.status}: only an active plan joins a group")


async def _join(
    uow: PlanningUnitOfWork, deps: Deps, group: GroupRow, plan: Plan, why: ByHand
) -> None:
    on = joins_on(why.on, plan.start_on)
    await uow.groups.add_member(group.group_id, plan.participant_ref, on)
    await uow.groups.clear_waiting(plan.participant_ref)
    plan.record(
        ParticipantAssignedToGroup(
            participant_ref=plan.participant_ref,
            programme_id=plan.programme_id,
            group_id=group.group_id,
            level_band=group.level_band,
            assigned_from=on,
            reason=GroupChangeReason.JOINED,
        )
    )
    if week := await scheduling.publish_schedule(uow, deps, plan, why.on):
        plan.record(week)


async def _leave(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, why: ByHand, reason: GroupChangeReason
) -> None:
    await lifecycle.leave_group(uow, plan, why.on, reason)
    if plan.status is PlanStatus.ACTIVE:
        await lifecycle.wait(uow, plan, WaitReason.NO_GROUP_AT_LEVEL, why.on)
        if week := await scheduling.publish_schedule(uow, deps, plan, why.on):
            plan.record(week)


async def add_member(
    uow: PlanningUnitOfWork, deps: Deps, group_id: UUID, plan: Plan, why: ByHand
) -> None:
    """Add a participant who is in no group (one in a group is moved instead)."""
    why.checked()
    _active(plan)
    group = await _open_group(uow, group_id)
    if await uow.groups.current_group(plan.participant_ref) is not None:
        raise PlanError("the participant is in a group already: move them instead")
    _refuse(add_problems(_facts(group), _member(plan), deps.rules.groups))
    await _join(uow, deps, group, plan, why)
    await _keep(uow, group_id, plan.participant_ref, "add", why)


async def exclude_member(
    uow: PlanningUnitOfWork, deps: Deps, group_id: UUID, plan: Plan, why: ByHand
) -> None:
    """Take a member out of the group, onto the waiting list."""
    why.checked()
    group = await _open_group(uow, group_id)
    _refuse(exclude_problems(_facts(group), plan.participant_ref, deps.rules.groups))
    await _leave(uow, deps, plan, why, GroupChangeReason.REPLANNED)
    await _keep(uow, group_id, plan.participant_ref, "exclude", why)


async def move_member(
    uow: PlanningUnitOfWork, deps: Deps, group_id: UUID, to_group: UUID, plan: Plan, why: ByHand
) -> None:
    """Move a member to another group of their band whose slots they are free for."""
    why.checked()
    _active(plan)
    source = await _open_group(uow, group_id)
    target = await _open_group(uow, to_group)
    _refuse(move_problems(_facts(source), _facts(target), _member(plan), deps.rules.groups))
    await lifecycle.leave_group(uow, plan, why.on, GroupChangeReason.REPLANNED)
    await _join(uow, deps, target, plan, why)
    await _keep(uow, group_id, plan.participant_ref, f"move to {to_group}", why)


async def dissolve_group(
    uow: PlanningUnitOfWork, deps: Deps, group_id: UUID, plans: list[Plan], why: ByHand
) -> None:
    """Dissolve the group: every member (``plans``) goes onto the waiting list."""
    why.checked()
    await _open_group(uow, group_id)
    # Its coming sessions go first, while the members are still told of them.
    await calendar.withdraw_group(uow, group_id, why.on)
    for plan in plans:
        await _leave(uow, deps, plan, why, GroupChangeReason.REPLANNED)
    await uow.groups.dissolve(group_id, why.on)
    await _keep(uow, group_id, None, "dissolve", why)
    log.info("group_dissolved_by_hand", group_id=group_id, members=len(plans))


async def set_level_band(
    uow: PlanningUnitOfWork, deps: Deps, plan: Plan, band: LevelBand, tested_on: date, why: ByHand
) -> None:
    """A level test sets the participant's band, recorded with the test's date; a member
    whose group is of another band leaves it for the waiting list (``level_changed``)."""
    why.checked()
    if not plan.is_open:
        raise PlanError(f"the plan is {plan.status}")
    if tested_on > why.on:
        raise InvalidRequest("a level test cannot be dated in the future")
    await uow.groups.record_level_test(
        plan.participant_ref, band.value, tested_on=tested_on, reason=why.reason.strip(),
        by=why.by, at=why.at,
    )  # fmt: skip
    if band == plan.level_band:
        return
    plan.level_band = band
    group = await uow.groups.current_group(plan.participant_ref)
    if group is not None and group.level_band != band:
        await _leave(uow, deps, plan, why, GroupChangeReason.LEVEL_CHANGED)
    elif group is None and plan.status is PlanStatus.ACTIVE:
        await lifecycle.wait(uow, plan, WaitReason.NO_GROUP_AT_LEVEL, why.on)
    await uow.plans.save(plan)
    log.info("level_band_set", participant_ref=plan.participant_ref, band=band)


async def _keep(
    uow: PlanningUnitOfWork, group_id: UUID, ref: str | None, action: str, why: ByHand
) -> None:
    await uow.groups.record_change(
        group_id, ref, action=action, reason=why.reason.strip(), by=why.by, at=why.at
    )
    log.info("group_changed_by_hand", group_id=group_id, participant_ref=ref, action=action)
