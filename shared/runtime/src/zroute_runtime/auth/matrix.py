"""The access matrix: for every HTTP operation of every service, which roles may call it
and with which scope. Data, read by :func:`zroute_runtime.auth.dependencies.authorize`
on every request, rendered into ``docs/security.md`` and checked by the generated
authorization test (``tests/security``).

A role the matrix does not name for an operation gets 403, whatever the route does; the
route code then sees the caller with only the roles the matrix grants (a coordinator who
is also an operator acts on an operator-only endpoint as an operator). An operation
without an entry refuses to start the service (:func:`missing_entries`).

Scopes say which records a granted role reaches; the route applies them to the record:

- ``any``: every record the service holds;
- ``own municipality``: records of the municipality named in the token
  (``Principal.municipality_scope``; a token naming none works regionally);
- ``own partner``: records of the partner named in the token;
- ``addressed partner``: records addressed to the partner named in the token;
- ``public``: no token at all (health, readiness, metrics).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from zroute_runtime.auth.principal import Role


class Scope(StrEnum):
    ANY = "any"
    OWN_MUNICIPALITY = "own municipality"
    OWN_PARTNER = "own partner"
    ADDRESSED_PARTNER = "addressed partner"


@dataclass(frozen=True, slots=True)
class Access:
    """Who may call one operation: each granted role with its scope; none means public."""

    grants: Mapping[Role, Scope]
    public: bool = False

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(self.grants)


PUBLIC = Access(grants={}, public=True)
CW, CO, PS, OP = Role.CASEWORKER, Role.COORDINATOR, Role.PARTNER_STAFF, Role.OPERATOR
SV = Role.SERVICE
M, P, A, ANY = Scope.OWN_MUNICIPALITY, Scope.OWN_PARTNER, Scope.ADDRESSED_PARTNER, Scope.ANY


def _a(**grants: Scope) -> Access:
    return Access(grants={Role(name): scope for name, scope in grants.items()})


# Caseworkers and coordinators of a municipality; partner staff of the partner concerned.
_CASE_READ = _a(caseworker=M, coordinator=M)
_CASE_WRITE = _a(caseworker=M)
_PLAN_READ = _a(caseworker=M, coordinator=M, partner_staff=P)
_PLAN_WRITE = _a(caseworker=M, coordinator=M, partner_staff=P)
_REFERRAL_ACT = _a(coordinator=M, caseworker=M, partner_staff=A)
_REFERRAL_READ = _a(coordinator=M, caseworker=M, partner_staff=A, operator=ANY)
_SUPPORT_READ = _a(coordinator=M, caseworker=M, partner_staff=A, operator=ANY)
_PARTNER_ACT = _a(coordinator=M, partner_staff=A)
# Who did what about a participant, in each service (issue 15.6): the municipality's staff.
_AUDIT = _a(caseworker=M, coordinator=M)
_TASK_DIVISION = _a(coordinator=M, caseworker=M, partner_staff=ANY, operator=ANY)

COMMON: dict[tuple[str, str], Access] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/ready"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("GET", "/admin/clock"): _a(operator=ANY),
    ("POST", "/admin/clock/advance"): _a(operator=ANY),
    ("GET", "/contract/asyncapi.json"): _a(caseworker=ANY, coordinator=ANY, partner_staff=ANY, operator=ANY),
    ("GET", "/contract/schemas/{name}"): _a(caseworker=ANY, coordinator=ANY, partner_staff=ANY, operator=ANY),
    # The resynchronisation feed is not divided by municipality: the route refuses a
    # coordinator whose token names one (docs/integrators.md).
    ("GET", "/events"): _a(coordinator=ANY, operator=ANY),
}  # fmt: skip

MATRIX: dict[str, dict[tuple[str, str], Access]] = {
    "intake": {
        ("POST", "/participants"): _CASE_WRITE,
        ("GET", "/participants"): _CASE_READ,
        ("GET", "/participants/{participant_ref}"): _CASE_READ,
        ("GET", "/participants/{participant_ref}/audit"): _AUDIT,
        ("GET", "/participants/{participant_ref}/access-log"): _a(caseworker=M, coordinator=M, operator=ANY),
        ("PUT", "/participants/{participant_ref}/intake"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/intake/cancel"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/intake/outcome"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/intake/corrections"): _CASE_WRITE,
        ("PUT", "/participants/{participant_ref}/contact-person"): _CASE_WRITE,
        ("GET", "/participants/{participant_ref}/contact-persons"): _CASE_READ,
        ("POST", "/participants/{participant_ref}/consents"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/consents/{consent_id}/withdrawal"): _CASE_WRITE,
        ("GET", "/participants/{participant_ref}/consents"): _CASE_READ,
        # The contact card (issue 18): a partner's staff, by relation and with consent.
        ("GET", "/participants/{participant_ref}/contact-card"): _a(partner_staff=P),
        # A message names the participant where the card allows (issue 18): the
        # notifications service asks for the recipient's partner, with its own purpose.
        ("GET", "/participants/{participant_ref}/name-for-message"): _a(service=ANY),
        # The participant's own e-mail address, pulled at send time (issue 18).
        ("GET", "/participants/{participant_ref}/email-for-message"): _a(service=ANY),
        # The personal page's second factor: yes or no, never the date (issue 18).
        ("POST", "/participants/{participant_ref}/date-of-birth-check"): _a(service=ANY),
        ("POST", "/participants/{participant_ref}/withdrawal"): _CASE_WRITE,
        # Issue 15 item 5: changes after registration, by the municipality's caseworker.
        ("POST", "/participants/{participant_ref}/personal-data/changes"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/re-enrolment"): _CASE_WRITE,
        # Issue 15 item 5: pauses; the ground may be a health detail, so caseworkers only.
        ("POST", "/participants/{participant_ref}/pauses"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/pauses/{pause_id}/resumption"): _CASE_WRITE,
        ("GET", "/participants/{participant_ref}/pauses"): _CASE_WRITE,
        # A move (W 15(4)): the old municipality exports, the new one imports.
        ("POST", "/participants/{participant_ref}/move/export"): _CASE_WRITE,
        ("POST", "/participants/move/import"): _CASE_WRITE,
        ("GET", "/participants/{participant_ref}/pip"): _CASE_READ,
        ("PUT", "/participants/{participant_ref}/pip/draft"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/pip/establishment"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/pip/amendments"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/pip/objections"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/pip/objections/outcome"): _CASE_WRITE,
        ("PUT", "/participants/{participant_ref}/pip/deadline-start"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/pip/information-waits"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/pip/information-waits/{number}/arrival"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/duo/extensions"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/duo/release"): _CASE_WRITE,
        # Progress meetings and the final meeting (issue 15 item 3): the college holds them.
        ("GET", "/participants/{participant_ref}/progress-meetings"): _CASE_READ,
        ("PUT", "/participants/{participant_ref}/progress-meetings/plan"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/progress-meetings/{number}/invitation"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/progress-meetings/{number}/record"): _CASE_WRITE,
        ("POST", "/participants/{participant_ref}/final-meeting"): _CASE_WRITE,
        # The decision letter shows name and address: caseworkers only, access-logged.
        ("GET", "/participants/{participant_ref}/pip/versions/{number}/letter.pdf"): _CASE_WRITE,
        # Issue 15 item 7: the management report, by the municipality's own staff.
        ("GET", "/reports/management"): _CASE_READ,
        ("GET", "/reports/management.csv"): _CASE_READ,
        ("GET", "/reports/management.xlsx"): _CASE_READ,
        # The exchange with DUO names participants by BSN: caseworkers only.
        ("GET", "/duo/export.csv"): _CASE_WRITE,
        ("POST", "/duo/imports"): _CASE_WRITE,
        ("GET", "/duo/imports/{import_id}"): _CASE_WRITE,
        # AVG art. 15: the participant's data, decisions and access log, personal data
        # included: the caseworker of the participant's municipality, access-logged.
        ("GET", "/participants/{participant_ref}/right-of-access"): _CASE_WRITE,
    },
    "planning": {
        ("GET", "/participants/{participant_ref}/audit"): _AUDIT,
        ("GET", "/participants/{participant_ref}/plan"): _PLAN_READ,
        ("GET", "/participants/{participant_ref}/schedule"): _PLAN_READ,
        ("GET", "/participants/{participant_ref}/hours"): _PLAN_READ,
        ("POST", "/participants/{participant_ref}/completion"): _PLAN_WRITE,
        # Issue 16 item 7: the municipality's decision that waives the hours targets.
        ("POST", "/participants/{participant_ref}/targets-waiver"): _CASE_WRITE,
        # Issue 16 item 7: a planner slows one participant's ramp-up down.
        ("PUT", "/participants/{participant_ref}/ramp-up"): _PLAN_WRITE,
        # Issue 16 item 4: maatwerk modules, by the caseworker and the school.
        ("GET", "/participants/{participant_ref}/modules"): _PLAN_READ,
        ("POST", "/participants/{participant_ref}/modules"): _a(caseworker=M, partner_staff=P),
        ("POST", "/participants/{participant_ref}/modules/{module}/removal"): _a(caseworker=M, partner_staff=P),
        ("POST", "/participants/{participant_ref}/modules/{module}/completion"): _a(caseworker=M, partner_staff=P),
        ("POST", "/participants/{participant_ref}/attendance"): _PLAN_WRITE,
        ("GET", "/participants/{participant_ref}/attendance"): _PLAN_READ,
        ("PUT", "/participants/{participant_ref}/attendance/{session_id}"): _PLAN_WRITE,
        ("GET", "/participants/{participant_ref}/hours/{kind}/{month}"): _PLAN_READ,
        ("GET", "/programmes/{programme_id}/hours.csv"): _a(caseworker=M, coordinator=M),
        ("GET", "/programmes/{programme_id}/hours.xlsx"): _a(caseworker=M, coordinator=M),
        # Every line's participant is checked like a participant's own route (the scope).
        ("POST", "/roll-calls"): _PLAN_WRITE,
        ("GET", "/participants/{participant_ref}/reviews"): _PLAN_READ,
        ("POST", "/participants/{participant_ref}/reviews"): _PLAN_WRITE,
        ("POST", "/participants/{participant_ref}/reviews/{review_id}/outcome"): _PLAN_WRITE,
        ("PUT", "/participants/{participant_ref}/follow-up"): _PLAN_WRITE,
        ("GET", "/participants/{participant_ref}/follow-up"): _PLAN_READ,
        ("POST", "/participants/{participant_ref}/placements"): _PLAN_WRITE,
        ("GET", "/participants/{participant_ref}/placements"): _PLAN_READ,
        ("GET", "/groups"): _PLAN_READ,
        ("GET", "/groups/{group_id}"): _PLAN_READ,
        ("POST", "/group-formations"): _a(coordinator=M, partner_staff=P),
        # Issue 16 item 6: groups by hand, and a level band after a level test.
        ("POST", "/groups/{group_id}/members"): _a(coordinator=M, partner_staff=P),
        ("POST", "/groups/{group_id}/members/{participant_ref}/exclusion"): _a(coordinator=M, partner_staff=P),
        ("POST", "/groups/{group_id}/members/{participant_ref}/move"): _a(coordinator=M, partner_staff=P),
        ("POST", "/groups/{group_id}/dissolution"): _a(coordinator=M, partner_staff=P),
        ("POST", "/participants/{participant_ref}/level-band"): _a(coordinator=M, partner_staff=P),
        ("GET", "/waiting-list"): _PLAN_READ,
        # The dated calendar (issue 16): organised by coordinators and the teaching
        # partner's staff, read like the groups (the programme's partner or municipality).
        ("POST", "/programmes/{programme_id}/closures"): _a(coordinator=M, partner_staff=P),
        ("GET", "/programmes/{programme_id}/closures"): _PLAN_READ,
        ("PUT", "/programmes/{programme_id}/staff/{staff_id}"): _a(coordinator=M, partner_staff=P),
        ("GET", "/programmes/{programme_id}/staff"): _PLAN_READ,
        ("POST", "/staff/{staff_id}/leave"): _a(coordinator=M, partner_staff=P),
        ("PUT", "/programmes/{programme_id}/rooms/{room_id}"): _a(coordinator=M, partner_staff=P),
        ("POST", "/programmes/{programme_id}/calendar"): _a(coordinator=M, partner_staff=P),
        ("GET", "/programmes/{programme_id}/calendar"): _PLAN_READ,
        ("GET", "/participants/{participant_ref}/calendar"): _PLAN_READ,
        ("POST", "/calendar/sessions/{session_id}/cancellation"): _a(coordinator=M, partner_staff=P),
        ("POST", "/calendar/sessions/{session_id}/move"): _a(coordinator=M, partner_staff=P),
        ("PUT", "/calendar/sessions/{session_id}/staff"): _a(coordinator=M, partner_staff=P),
        # Places (issue 18): a location's name and address, configuration read by the
        # notifications service for the participant's letter and page.
        ("PUT", "/places/{location_id}"): _a(coordinator=ANY),
        ("GET", "/places/{location_id}"): _a(
            service=ANY, coordinator=ANY, caseworker=ANY, partner_staff=ANY
        ),
    },
    "support": {
        ("GET", "/participants/{participant_ref}/audit"): _AUDIT,
        ("POST", "/partners"): _a(coordinator=ANY),
        ("PUT", "/partners/{partner_id}"): _a(coordinator=ANY),
        ("GET", "/partners"): _a(coordinator=ANY, caseworker=ANY, partner_staff=ANY, operator=ANY),
        ("GET", "/partners/{partner_id}"): _a(coordinator=ANY, caseworker=ANY, partner_staff=ANY, operator=ANY),
        ("POST", "/programmes/{programme_id}/agreements"): _a(coordinator=M),
        ("POST", "/programmes/{programme_id}/agreements/{version}/end"): _a(coordinator=M),
        # The task division is no secret among partners: every partner may read it.
        ("GET", "/programmes/{programme_id}/agreements"): _TASK_DIVISION,
        ("GET", "/programmes/{programme_id}/responsible"): _TASK_DIVISION,
        ("GET", "/referrals"): _REFERRAL_READ,
        ("GET", "/referrals/{referral_id}"): _REFERRAL_READ,
        ("POST", "/referrals"): _a(caseworker=M, coordinator=M),
        ("POST", "/referrals/{referral_id}/accept"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/decline"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/start"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/hold"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/resume"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/fail"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/complete"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/cancel"): _REFERRAL_ACT,
        # Issue 17: the context and thread (the care partner once it accepted), the
        # coordinator's reassignment, and the audit trail of consent overrides.
        ("GET", "/referrals/{referral_id}/context"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/messages"): _REFERRAL_ACT,
        ("POST", "/referrals/{referral_id}/reassign"): _a(coordinator=M),
        # Issue 17 item 5: the care coordinator records a referral's care pause.
        ("POST", "/referrals/{referral_id}/care-pauses"): _a(coordinator=M),
        ("POST", "/referrals/{referral_id}/care-pauses/{pause_id}/end"): _a(coordinator=M),
        ("GET", "/referrals/{referral_id}/care-pauses"): _a(coordinator=M),
        ("POST", "/waiting-list/{entry_id}/assign"): _a(coordinator=M),
        ("GET", "/participants/{participant_ref}/consent-overrides"): _a(caseworker=M, coordinator=M),
        ("GET", "/preconditions"): _SUPPORT_READ,
        ("POST", "/preconditions/{precondition_id}/arrange"): _PARTNER_ACT,
        ("POST", "/preconditions/{precondition_id}/lapse"): _PARTNER_ACT,
        ("GET", "/placements"): _SUPPORT_READ,
        ("GET", "/placements/{request_id}"): _SUPPORT_READ,
        ("POST", "/placements/{request_id}/confirm"): _PARTNER_ACT,
        ("POST", "/placements/{request_id}/decline"): _PARTNER_ACT,
        ("POST", "/placements/{request_id}/job-coach"): _PARTNER_ACT,
        ("POST", "/placements/{request_id}/check-ins"): _PARTNER_ACT,
        ("POST", "/placements/{request_id}/start"): _PARTNER_ACT,
        ("POST", "/placements/{request_id}/change"): _PARTNER_ACT,
        ("POST", "/placements/{request_id}/end"): _PARTNER_ACT,
        ("GET", "/waiting-list"): _a(coordinator=M, caseworker=M, operator=ANY),
        # Issue 17: the employer registry (a participation partner registers the employer
        # it found), the replacement of an ended placement, the check-in rhythm.
        ("POST", "/employers"): _a(coordinator=M, partner_staff=ANY),
        ("GET", "/employers"): _a(coordinator=M, caseworker=M, partner_staff=ANY, operator=ANY),
        ("GET", "/employers/{employer_id}"): _a(coordinator=M, caseworker=M, partner_staff=ANY, operator=ANY),
        ("POST", "/placements/{request_id}/replace"): _PARTNER_ACT,
        ("PUT", "/placements/{request_id}/check-in-rhythm"): _PARTNER_ACT,
        # Issue 17 item 6: interpreter requests; only the interpreter partner asked answers.
        ("GET", "/interpreter-requests"): _SUPPORT_READ,
        ("GET", "/interpreter-requests/{request_id}"): _SUPPORT_READ,
        ("POST", "/interpreter-requests/{request_id}/confirm"): _a(partner_staff=A),
        ("POST", "/interpreter-requests/{request_id}/decline"): _a(partner_staff=A),
        # Issue 18 item 4: the care partner plans a referral's intake with an interpreter;
        # the referral shows whether one is confirmed.
        ("PUT", "/referrals/{referral_id}/intake-appointment"): _REFERRAL_ACT,
        ("GET", "/referrals/{referral_id}/interpreter"): _REFERRAL_ACT,
        # Issue 17 item 6: a lead partner per participant, set by the coordinator.
        ("GET", "/participants/{participant_ref}/lead-partner"): _a(caseworker=M, coordinator=M),
        ("PUT", "/participants/{participant_ref}/lead-partner"): _a(coordinator=M),
    },
    "notifications": {
        ("GET", "/participants/{participant_ref}/audit"): _AUDIT,
        ("GET", "/matrix"): _a(caseworker=ANY, coordinator=ANY, partner_staff=ANY, operator=ANY),
        ("GET", "/inbox/{kind}/{ref}"): _a(caseworker=A, coordinator=M, partner_staff=A, operator=ANY),
        ("GET", "/notifications"): _a(coordinator=M, operator=ANY),
        ("GET", "/notifications/{notification_id}"): _a(coordinator=M, operator=ANY),
        ("POST", "/notifications/{notification_id}/retry"): _a(coordinator=M, operator=ANY),
        ("GET", "/directory"): _a(coordinator=M, operator=ANY),
        ("PUT", "/directory/{kind}/{ref}"): _a(coordinator=M, operator=ANY),
        ("DELETE", "/directory/{kind}/{ref}"): _a(coordinator=M, operator=ANY),
        ("POST", "/subscriptions"): _a(coordinator=M, partner_staff=P, operator=ANY),
        ("GET", "/subscriptions"): _a(coordinator=M, partner_staff=P, operator=ANY),
        ("GET", "/subscriptions/{subscription_id}"): _a(coordinator=M, partner_staff=P, operator=ANY),
        ("DELETE", "/subscriptions/{subscription_id}"): _a(coordinator=M, partner_staff=P, operator=ANY),
        ("GET", "/programmes/{programme_id}/overview"): _a(coordinator=M, partner_staff=P, operator=ANY),
        ("GET", "/participants/{ref}/letters"): _a(caseworker=M),
        ("GET", "/letters/{letter_id}.pdf"): _a(caseworker=M),
        ("POST", "/participants/{ref}/links/revoke"): _a(caseworker=M),
        ("GET", "/p/{token}"): PUBLIC,
        ("POST", "/p/{token}"): PUBLIC,
        ("GET", "/p/{token}/week.wav"): PUBLIC,
    },
}  # fmt: skip


SCREENS = "/ui"
"""Where a service's screens live. The UI kit authorises them itself, from the signed
session of an OpenID Connect login and each page's roles (docs/ui.md), so they are not
operations of this matrix: no bearer token reaches them."""


def is_screen(path: str) -> bool:
    """True for a path under the screens' prefix."""
    return path == SCREENS or path.startswith(SCREENS + "/")


def matrix_for(service: str) -> dict[tuple[str, str], Access]:
    """Every operation of ``service`` with its entry (the shared ones included)."""
    return {**COMMON, **MATRIX.get(service, {})}


def access_for(service: str, method: str, path: str) -> Access | None:
    """The matrix entry of one operation (``path`` is the route template), None when absent."""
    key = (method.upper(), path)
    return COMMON.get(key) or MATRIX.get(service, {}).get(key)


def missing_entries(service: str, operations: Iterable[tuple[str, str]]) -> list[str]:
    """The operations of a service that the matrix does not name (``"GET /path"``)."""
    return sorted(
        f"{method} {path}"
        for method, path in operations
        if method != "HEAD" and access_for(service, method, path) is None
    )


def render_markdown() -> str:
    """The matrix as Markdown tables, one per service (for ``docs/security.md``)."""
    roles = [CW, CO, PS, OP, SV]
    lines: list[str] = []
    for title, table in [("every service", COMMON), *MATRIX.items()]:
        lines += [f"### {title}", "", "| Operation | " + " | ".join(roles) + " |"]
        lines.append("|---|" + "---|" * len(roles))
        for (method, path), access in table.items():
            cells = (
                ["public"] * len(roles)
                if access.public
                else [str(access.grants.get(role, "-")) for role in roles]
            )
            lines.append(f"| `{method} {path}` | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
