"""The partner registry (lesson L1): execution partners, what they can do, and for whom."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from zroute_contract.events.base import Event
from zroute_contract.events.codes import CareCategory, Channel, PartnerCapability, RouteTask
from zroute_contract.events.support import CapabilityCapacity, PartnerRegistered, PartnerUpdated

TASK_CAPABILITY: Mapping[RouteTask, PartnerCapability | None] = {
    RouteTask.INTAKE: None,
    RouteTask.LANGUAGE_TEACHING: PartnerCapability.LANGUAGE_TEACHING,
    RouteTask.KNM: PartnerCapability.KNM,
    RouteTask.MAP: PartnerCapability.PARTICIPATION_WORKPLACES,
    RouteTask.PARTICIPATION_PLACEMENT: PartnerCapability.PARTICIPATION_WORKPLACES,
    RouteTask.JOB_COACHING: PartnerCapability.JOB_COACHING,
    RouteTask.CARE_REFERRAL_PHYSICAL: PartnerCapability.PHYSICAL_CARE,
    RouteTask.CARE_REFERRAL_MENTAL_HEALTH: PartnerCapability.MENTAL_HEALTH_CARE,
    RouteTask.CARE_REFERRAL_DEBT_FINANCE: PartnerCapability.DEBT_FINANCE,
    RouteTask.CHILDCARE: PartnerCapability.CHILDCARE,
    RouteTask.TRANSPORT: PartnerCapability.TRANSPORT,
    RouteTask.INTERPRETER: PartnerCapability.INTERPRETING,
    RouteTask.PROGRESS_CONSULTATION: None,
    RouteTask.FOLLOW_UP: None,
}
"""The capability a partner needs to be responsible for a task; ``None``: any partner."""

CARE_TASK: Mapping[CareCategory, RouteTask] = {
    CareCategory.PHYSICAL_CARE: RouteTask.CARE_REFERRAL_PHYSICAL,
    CareCategory.MENTAL_HEALTH_CARE: RouteTask.CARE_REFERRAL_MENTAL_HEALTH,
    CareCategory.DEBT_FINANCE: RouteTask.CARE_REFERRAL_DEBT_FINANCE,
}
"""The agreement task that names the care partner for a care category."""


@dataclass(frozen=True)
class ContactPoint:
    """How the notifications service reaches a partner on one channel."""

    channel: Channel
    address: str


@dataclass
class Partner:
    """An execution partner (uitvoeringspartner) as the registry holds it."""

    partner_id: str
    organisation: str
    municipalities: tuple[str, ...]
    capabilities: tuple[PartnerCapability, ...]
    capacity: dict[PartnerCapability, int] = field(default_factory=dict)
    contact_points: tuple[ContactPoint, ...] = ()
    active: bool = True
    version: int = 0
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    def registered(self) -> None:
        """The partner joins the registry: its whole profile is published."""
        self.events.append(PartnerRegistered(**self._profile()))

    def updated(self) -> None:
        """The partner's profile changed: the whole new profile is published."""
        self.events.append(PartnerUpdated(**self._profile()))

    def _profile(self) -> dict[str, object]:
        return {
            "partner_id": self.partner_id,
            "municipalities": self.municipalities,
            "capabilities": self.capabilities,
            "capacity": tuple(
                CapabilityCapacity(capability=c, max_active=n) for c, n in self.capacity.items()
            ),
            "channels": self.channels,
            "active": self.active,
        }

    @property
    def channels(self) -> tuple[Channel, ...]:
        return tuple(dict.fromkeys(point.channel for point in self.contact_points))

    def can(self, capability: PartnerCapability | None) -> bool:
        return capability is None or capability in self.capabilities

    def serves(self, municipality: str) -> bool:
        return municipality in self.municipalities

    def has_room(self, capability: PartnerCapability, active_now: int) -> bool:
        """False when the partner is at its capacity for ``capability`` (unlisted: unlimited)."""
        limit = self.capacity.get(capability)
        return limit is None or active_now < limit
