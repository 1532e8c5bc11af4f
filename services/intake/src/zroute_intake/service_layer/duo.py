"""The exchange with DUO (B 9.1-9.3): the export the municipality sends and the import of
what DUO sends, in the project's own layouts (``domain/duo.py``, docs/duo.md).

The export names each participant by BSN, as DUO knows them: it is personal data, for
the caseworker only, and each participant exported is written to their access log
(purpose ``duo_exchange``). The import applies each line through the PIP case's own
rules (DUO's notice, exemption or release, extension) or keeps it as DUO's record (term,
exam result, certificate); a line that cannot be applied is refused with its reason and
kept with the import, so nothing DUO sent is lost.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from zroute_runtime.auth import Principal, Role
from zroute_runtime.logging import get_logger

from zroute_intake.domain import duo
from zroute_intake.domain import pip_commands as c
from zroute_intake.domain.errors import DomainError, Forbidden, InvalidRequest
from zroute_intake.domain.pip_case import DeadlineStart, PipCase
from zroute_intake.domain.term import Extension, Release
from zroute_intake.service_layer.access_reads import record_read
from zroute_intake.service_layer.deps import IntakeDependencies
from zroute_intake.service_layer.handlers import pip as h
from zroute_intake.service_layer.unit_of_work import IntakeUnitOfWork

log = get_logger(__name__)

EXPORT_PURPOSE = "duo_exchange"
MAX_IMPORT_LINES = 5000


def _caseworker_of_a_municipality(principal: Principal, requested: str | None) -> str:
    """The municipality exchanged for: the token's, or for a regional caseworker (a
    token naming none) the one asked for."""
    if Role.CASEWORKER not in principal.roles:
        raise Forbidden("the exchange with DUO names participants by BSN: caseworkers only")
    municipality = requested or principal.municipality
    if municipality is None:
        raise InvalidRequest("municipality: the exchange with DUO is per municipality; name one")
    principal.ensure_municipality(municipality, "municipality's exchange")
    return municipality


# -- export ---------------------------------------------------------------------------------
def _pip_columns(case: PipCase) -> dict[str, Any]:
    versions = case.decision.versions
    current = case.decision.current
    term = case.term()
    routes = [v.content.route for v in versions]
    changes = sum(1 for a, b in pairwise(routes) if a != b)
    content = current.content if current else None
    return {
        "route": content.route.value if content else None,
        "route_changes": changes,
        "pip_date": case.decision.first_dated,
        "pip_version": current.number if current else None,
        "pip_version_date": current.dated if current else None,
        "term_start": term.start if term else None,
        "term_end": term.end if term else None,
        "route_hours_per_week": content.route_hours_per_week if content else None,
        "pvt_hours_per_week": content.pvt_hours_per_week if content else None,
        "map_hours_per_week": content.map_hours_per_week if content else None,
        "progress_meetings_planned": content.progress_meetings if content else None,
    }


async def _export_line(
    uow: IntakeUnitOfWork, ref: str, programme_id: str, municipality: str
) -> dict[str, Any] | None:
    personal = await uow.participants.personal_data(ref)
    participant = await uow.participants.get(ref)
    if personal is None or participant is None:
        return None  # erased after its retention period: nothing to send by BSN
    case = await uow.pips.get(ref, programme_id)
    series = await uow.meetings.get(ref, programme_id)
    lines = await uow.report.attendance_lines(ref)
    hours = {kind: 0.0 for kind in ("language", "knm", "participation", "map")}
    for line in lines:
        hours[line.kind] = hours.get(line.kind, 0.0) + line.hours
    outcome = participant.current_outcome
    return (
        {"bsn": personal.bsn, "participant_ref": ref, "municipality": municipality}
        | _pip_columns(case)
        | {
            "progress_meetings_held": sum(1 for m in series.meetings if m.record is not None),
            "final_meeting_on": series.final.held_on if series.final else None,
            **{f"hours_{kind}": round(value, 2) for kind, value in hours.items()},
            "sessions_present": sum(1 for line in lines if line.status == "present"),
            "sessions_absent": sum(1 for line in lines if line.status != "present"),
            "language_level": outcome.language_level.value if outcome else None,
        }
    )


async def export(
    uow: IntakeUnitOfWork,
    principal: Principal,
    municipality: str | None,
    *,
    request_id: str | None,
) -> list[dict[str, Any]]:
    """One line per registered participant of the municipality whose personal data is
    still kept; each participant exported is written to their access log."""
    municipality = _caseworker_of_a_municipality(principal, municipality)
    found = []
    for row in await uow.report.participants(municipality):
        line = await _export_line(uow, row.ref, row.programme_id, municipality)
        if line is None:
            continue
        await record_read(
            uow,
            principal,
            row.ref,
            purpose=EXPORT_PURPOSE,
            fields=("bsn",),
            request_id=request_id,
        )
        found.append(line)
    return found


# -- import ---------------------------------------------------------------------------------
@dataclass
class ImportResult:
    """What an import did: its id, the lines applied and those refused with reasons."""

    import_id: int
    total: int
    accepted: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)


def _base(ref: str, principal: Principal) -> dict[str, Any]:
    return {
        "ref": ref,
        "expected_version": None,
        "scope": principal.municipality,
        "by": principal.subject,
    }


async def _apply_to_case(
    line: duo.DuoLine,
    ref: str,
    uow: IntakeUnitOfWork,
    principal: Principal,
    deps: IntakeDependencies,
) -> bool:
    """The lines the PIP case's own rules apply; False for those kept as DUO's record."""
    base = _base(ref, principal)
    if line.record is duo.DuoRecord.OBLIGATION:
        start = DeadlineStart(line.decided_on, line.optional_day("brp_registered_on"))
        await h.record_deadline_start(c.RecordDeadlineStart(**base, start=start), uow, deps)
    elif line.record in duo.RELEASES:
        release = Release(duo.RELEASES[line.record], line.decided_on, line.day("effective_on"))
        await h.record_release(c.RecordRelease(**base, release=release), uow, deps)
    elif line.record is duo.DuoRecord.EXTENSION:
        extension = Extension(duo.extension_ground(line), line.decided_on, line.day("new_end"))
        await h.record_extension(c.RecordExtension(**base, extension=extension), uow, deps)
    else:
        return False
    return True


def _record_payload(line: duo.DuoLine) -> dict[str, Any]:
    """What is kept of a term, exam result or certificate line (codes and dates)."""
    payload: dict[str, Any] = {"decided_on": line.decided_on.isoformat()}
    if line.record is duo.DuoRecord.TERM:
        payload |= {
            "term_start": line.day("term_start").isoformat(),
            "term_end": line.day("term_end").isoformat(),
        }
    elif line.record is duo.DuoRecord.EXAM_RESULT:
        payload |= {
            "exam_part": line.code("exam_part", duo.EXAM_PARTS),
            "result": line.code("result", duo.EXAM_RESULTS),
        }
    else:
        number = (line.fields.get("certificate_number") or "").strip()
        if number and not (number.isalnum() and len(number) <= 20):
            raise duo.RowError("certificate_number: letters and digits, at most 20")
        payload |= {"certificate_number": number or None}
    return payload


async def _apply_line(
    fields: Mapping[str, str],
    municipality: str,
    import_id: int,
    uow: IntakeUnitOfWork,
    principal: Principal,
    deps: IntakeDependencies,
) -> None:
    line = duo.parse_line(fields)
    ref = await uow.participants.ref_for_bsn(municipality, line.bsn)
    if ref is None:
        raise duo.RowError(f"bsn: no participant with this BSN in {municipality}")
    if await _apply_to_case(line, ref, uow, principal, deps):
        return
    payload = _record_payload(line)
    await uow.participants.reach(ref, municipality)
    await uow.report.add_duo_record(
        ref, line.record.value, payload, import_id, principal.subject, uow.clock.now()
    )


def _kept(
    fields: Mapping[str, str], result: ImportResult, number: int, deps: IntakeDependencies
) -> dict[str, str]:
    """A refused line as sent, its BSN encrypted like every BSN at rest (base64)."""
    kept = {k: v for k, v in fields.items() if k != "bsn"}
    bsn = fields.get("bsn")
    if bsn:
        sealed = deps.protector.seal_record(
            f"duo-import-{result.import_id}", f"line-{number}", bsn.encode()
        )
        kept["bsn_sealed"] = base64.b64encode(sealed).decode()
    return kept


async def import_lines(
    uow: IntakeUnitOfWork,
    principal: Principal,
    deps: IntakeDependencies,
    lines: Sequence[Mapping[str, str]],
    municipality: str | None = None,
) -> ImportResult:
    """Apply each line; refuse a bad one with its reason, keeping its text."""
    municipality = _caseworker_of_a_municipality(principal, municipality)
    if not lines:
        raise InvalidRequest("the file holds no lines under its header")
    if len(lines) > MAX_IMPORT_LINES:
        raise InvalidRequest(f"at most {MAX_IMPORT_LINES} lines per import; split the file")
    now = uow.clock.now()
    result = ImportResult(
        await uow.report.start_import(municipality, principal.subject, now, len(lines)), len(lines)
    )
    for number, fields in enumerate(lines, start=2):  # line 1 is the header
        try:
            await _apply_line(fields, municipality, result.import_id, uow, principal, deps)
        except (duo.RowError, DomainError) as refused:
            result.refused.append(
                {
                    "line": number,
                    "reason": str(refused),
                    "fields": _kept(fields, result, number, deps),
                }
            )
        else:
            result.accepted += 1
    await uow.report.finish_import(result.import_id, result.accepted, result.refused)
    log.info(
        "duo_import",
        import_id=result.import_id,
        accepted=result.accepted,
        refused=len(result.refused),
    )
    return result
