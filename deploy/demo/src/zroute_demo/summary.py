"""The summary the demo ends with: read back through the services' HTTP APIs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.table import Table

from zroute_demo import case_summary
from zroute_demo.cohort import PROGRAMME
from zroute_demo.mailbox import Mailbox
from zroute_demo.scenario import Scenario, check
from zroute_demo.watch import OutcomeWatch
from zroute_demo.webhooks import WebhookReceiver

KINDS = ("language", "knm", "map", "participation")


def _table(title: str, columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for n, column in enumerate(columns):
        table.add_column(column, justify="left" if n == 0 else "right")
    return table


async def build(
    scenario: Scenario,
    watch: OutcomeWatch,
    mailbox: Mailbox,
    webhook: WebhookReceiver | None = None,
) -> list:
    """The summary tables of the run, and the path of the saved consultation overview."""
    by_status, by_hours = await plan_tables(scenario)
    by_referral = await _referral_table(scenario)
    by_channel = _channel_table(watch, mailbox, webhook)
    activity = _table("What happened", ["step", "count"])
    for label, count in sorted(scenario.stats.items()):
        activity.add_row(label, str(count))
    activity.add_row("routes completed", str(len(scenario.completed)))

    overview = await scenario.coordinator("notifications").get(f"/programmes/{PROGRAMME}/overview")
    path = Path(scenario.system.config.workdir) / "overview.html"
    path.write_text(
        overview.text if overview.status_code == 200 else f"<p>{overview.status_code}</p>"
    )
    cases = [
        await case_summary.municipality_table(scenario),
        case_summary.calendar_table(scenario),
        await case_summary.hours_by_partner_table(scenario),
        case_summary.support_table(scenario),
        await case_summary.letters_table(scenario),
    ]
    return [activity, by_status, by_hours, *cases, by_referral, by_channel, path]


async def plan_tables(scenario: Scenario) -> tuple[Table, Table]:
    """Participants by plan status and phase; hours against targets per kind, then
    against each participant's PIP norm as the law structures it (:data:`LEGAL`)."""
    planning = scenario.coordinator("planning")
    statuses: Counter[str] = Counter()
    phases: Counter[str] = Counter()
    hours = {k: 0.0 for k in (*KINDS, "total")}
    targets = {k: 0.0 for k in (*KINDS, "total")}
    met: Counter[str] = Counter()
    legal: list[tuple[dict, dict]] = []
    for person in scenario.people:
        plan = check(await planning.get(f"/participants/{person.ref}/plan"))
        statuses[plan["status"]] += 1
        sched = await planning.get(f"/participants/{person.ref}/schedule")
        phases[f"phase {sched.json()['phase']}" if sched.status_code == 200 else "not started"] += 1
        h = check(await planning.get(f"/participants/{person.ref}/hours"))
        legal.append((plan, h))
        for kind in KINDS:
            hours[kind] += float(h["hours"].get(kind, 0))
            targets[kind] += float(h["targets"].get(kind, 0))
            met[kind] += float(h["hours"].get(kind, 0)) >= float(h["targets"].get(kind, 0))
        hours["total"] += float(h["total"])
        targets["total"] += float(h["targets"]["total"])
        met["total"] += float(h["total"]) >= float(h["targets"]["total"])
    n = len(scenario.people)

    by_status = _table("Participants", ["plan status, phase", "participants"])
    for status, count in sorted(statuses.items()):
        by_status.add_row(f"status {status}", str(count))
    for phase, count in sorted(phases.items()):
        by_status.add_row(phase, str(count))

    by_hours = _table(
        "Hours against targets (average per participant)",
        ["kind", "target", "attended", "share", "reached target"],
    )
    for kind in (*KINDS, "total"):
        target = targets[kind] / n
        attended = hours[kind] / n
        share = f"{attended / target:.0%}" if target else "-"
        bar = "█" * int(10 * min(1, attended / target)) if target else ""
        by_hours.add_row(
            kind, f"{target:,.0f} h", f"{attended:,.0f} h", f"{share} {bar}", f"{met[kind]} of {n}"
        )
    _legal_rows(by_hours, legal)
    return by_status, by_hours


LEGAL = {
    "course hours (NT2 + KNM), PIP norm": ("course", ("language", "knm")),
    "participation hours (workplace + MAP, PVT within), PIP norm": (
        "participation",
        ("participation", "map"),
    ),
}
"""The norm's structure in the law (B 3.14): which kinds of hours count toward which part
(PVT hours are recorded as participation hours by the partner named for them)."""


def legal_figures(legal: list[tuple[dict, dict]]) -> dict[str, tuple[float, float, int]]:
    """Per part of the norm: the PIP norms and the hours counted (the ledger's hours of
    the part's kinds, with the PIP's credited hours), summed over the participants, and
    how many reached their norm (planning's completion counts the same)."""
    figures = {}
    for label, (part, kinds) in LEGAL.items():
        norm = counted = 0.0
        reached = 0
        for plan, h in legal:
            own = h.get("norm") or plan.get("norm") or {}
            wanted = float(own.get(f"{part}_hours", 0))
            got = sum(float(h["hours"].get(k, 0)) for k in kinds)
            got += float(own.get(f"credited_{part}_hours", 0))
            norm, counted = norm + wanted, counted + got
            reached += got >= wanted
        figures[label] = (norm, counted, reached)
    return figures


def _legal_rows(by_hours: Table, legal: list[tuple[dict, dict]]) -> None:
    """Hours against each participant's PIP norm as the law structures it (issue 15)."""
    n = len(legal)
    for label, (norm, counted, reached) in legal_figures(legal).items():
        share = f"{counted / norm:.0%}" if norm else "-"
        by_hours.add_row(
            label, f"{norm / n:,.0f} h", f"{counted / n:,.0f} h", share, f"{reached} of {n}"
        )


async def _referral_table(scenario: Scenario) -> Table:
    referrals = check(await scenario.coordinator("support").get("/referrals"))
    outcomes: Counter[str] = Counter()
    for referral in referrals:
        label = referral["status"]
        if referral["status"] == "completed":
            label += (
                " (successful)"
                if referral.get("outcome", {}).get("successful", True)
                else " (not successful)"
            )
        outcomes[label] += 1
    by_referral = _table("Care referrals by status", ["status", "referrals"])
    for label, count in sorted(outcomes.items()):
        by_referral.add_row(label, str(count))

    return by_referral


def _channel_table(watch: OutcomeWatch, mailbox: Mailbox, webhook: WebhookReceiver | None) -> Table:
    by_channel = _table(
        "Messages by channel (from the notification events on the bus)",
        ["channel", "sent", "failed"],
    )
    for channel in sorted(set(watch.sent) | {k.split(":")[0] for k in watch.failed}):
        failed = sum(c for k, c in watch.failed.items() if k.startswith(channel + ":"))
        by_channel.add_row(channel, str(watch.sent[channel]), str(failed))
    # Read last: deliveries run on the notifications service's timers and may still be
    # finishing while the tables above are read.
    by_channel.add_row("e-mails received by the local SMTP server", str(mailbox.count), "")
    by_channel.add_row(
        "  distinct e-mail notifications reported sent",
        str(len(watch.sent_notifications.get("email", ()))),
        "",
    )
    if webhook is not None:
        by_channel.add_row(
            "webhooks received, signature verified",
            str(len(webhook.accepted)),
            str(webhook.refused),
        )
    for reason, count in sorted(watch.failed.items()):
        by_channel.add_row(f"  failed, {reason}", "", str(count))

    return by_channel
