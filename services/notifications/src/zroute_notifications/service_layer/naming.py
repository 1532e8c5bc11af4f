"""The participant's name in an e-mail to an employer or a job coach (issue 18), filled in
at send time: the stored message holds only the slot (:data:`NAME_SLOT`), the name is
pulled from intake for the recipient's partner (``deps.people``), and where intake does
not give it the line says why. Nothing of it is stored or logged."""

from __future__ import annotations

from html import escape
from typing import Any

from zroute_runtime.logging import get_logger

from zroute_notifications.adapters.people import UNAVAILABLE, NameAnswer
from zroute_notifications.adapters.rendering import NAME_SLOT, Rendered
from zroute_notifications.service_layer.deps import Deps

log = get_logger(__name__)


def _partner_of(row: Any) -> str | None:
    """The partner the recipient works for: a job coach's partner, or the employer."""
    if row["recipient_kind"] == "employer":
        return str(row["recipient_ref"])
    return str(row["partner_id"]) if row["partner_id"] else None


async def _answer(deps: Deps, row: Any) -> NameAnswer:
    partner = _partner_of(row)
    if deps.people is None or partner is None or not row["participant_ref"]:
        return NameAnswer(withheld=UNAVAILABLE)
    return await deps.people.name_for_message(str(row["participant_ref"]), partner)


def _line(deps: Deps, language: str, ref: str, answer: NameAnswer) -> str:
    if answer.name:
        return f"{answer.name} ({ref})"
    reason = deps.templates.ui(language, f"name_withheld_{answer.withheld or UNAVAILABLE}")
    return deps.templates.ui(language, "name_withheld", ref=ref, reason=reason)


async def with_name(deps: Deps, row: Any, message: Rendered) -> Rendered:
    """``message`` with its name slot filled for this recipient (unchanged without one)."""
    if NAME_SLOT not in message.text and NAME_SLOT not in message.html:
        return message
    answer = await _answer(deps, row)
    language = deps.language(row["language"])
    line = _line(deps, language, str(row["participant_ref"] or "-"), answer)
    log.info(
        "message_names_participant" if answer.name else "message_name_withheld",
        notification_id=str(row["id"]),
        reason=answer.withheld,
    )
    return Rendered(
        message.subject,
        message.text.replace(NAME_SLOT, line),
        message.html.replace(NAME_SLOT, escape(line)),
    )
