"""Writing a read of personal data to the participant's access log (AVG art. 15 and 30).

Every place in intake that decrypts a participant's personal data for someone records who
read which fields, when and why. One function keeps that record the same everywhere."""

from __future__ import annotations

from collections.abc import Iterable

from zroute_runtime.auth import Principal

from zroute_intake.domain.access import Access
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork


async def record_read(
    uow: IntakeUnitOfWork,
    principal: Principal,
    ref: str,
    *,
    purpose: str,
    fields: Iterable[str],
    request_id: str | None,
) -> None:
    """Write to ``ref``'s access log that ``principal`` read ``fields`` for ``purpose``,
    now, in the same transaction as the read's other effects."""
    await uow.access_log.record(
        Access(
            participant_ref=ref,
            accessed_at=uow.clock.now(),
            actor=principal.subject,
            actor_roles=tuple(sorted(principal.roles)),
            purpose=purpose,
            fields=tuple(fields),
            request_id=request_id,
        )
    )
