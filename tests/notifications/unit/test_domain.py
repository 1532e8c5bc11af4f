"""Rules of the notifications domain, without I/O: who may see what, when messages go,
retries, the webhook signature and the overview's figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from zroute_contract.events.codes import DeliveryFailure, RecipientRole, Timing
from zroute_contract.events.support import ReferralAccepted, ReferralRequested
from zroute_notifications.domain import overview, schedule
from zroute_notifications.domain.content import record_link, visible_data
from zroute_notifications.domain.delivery import TryAgain, next_attempt, sign, verify
from zroute_notifications.domain.rights import SubscriberFacts, refusal

from tests.contract.samples import sample_data

AMS = ZoneInfo("Europe/Amsterdam")


def test_care_details_are_shown_to_the_addressed_care_partner_only():
    data = sample_data(ReferralRequested)
    mine, care = visible_data(
        ReferralRequested, data, RecipientRole.CARE_PARTNER, data["partner_id"]
    )
    assert care and mine["category"] == data["category"]
    for role, partner in [
        (RecipientRole.CARE_PARTNER, "someone-else"),
        (RecipientRole.CONTACT_PERSON, data["partner_id"]),
        (RecipientRole.LEAD_PARTNER, None),
    ]:
        theirs, care = visible_data(ReferralRequested, data, role, partner)
        assert not care
        assert not {"category", "severity", "urgency", "consent_id"} & set(theirs)
    # an unaddressed event never counts as care details, even for the care partner
    accepted = sample_data(ReferralAccepted)
    assert not visible_data(
        ReferralAccepted, accepted, RecipientRole.CARE_PARTNER, accepted["partner_id"]
    )[1]


def test_a_message_links_to_the_record_in_the_owning_service():
    urls = {"support": "http://support:8003/"}
    data = sample_data(ReferralRequested)
    assert record_link(urls, ReferralRequested.spec.type, data) == (
        f"http://support:8003/referrals/{data['referral_id']}"
    )


def test_digests_go_out_the_next_morning_or_the_next_week_in_local_time():
    evening = datetime(2027, 1, 6, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam, a Wednesday
    day = schedule.digest_period(Timing.DAILY_DIGEST, evening, AMS)
    assert day == "2027-01-06"
    assert schedule.digest_due(Timing.DAILY_DIGEST, day, AMS, 7, 0) == datetime(
        2027, 1, 7, 7, tzinfo=AMS
    )
    week = schedule.digest_period(Timing.WEEKLY_DIGEST, evening, AMS)
    assert week == "2027-W01"
    assert schedule.digest_due(Timing.WEEKLY_DIGEST, week, AMS, 7, 0) == datetime(
        2027, 1, 11, 7, tzinfo=AMS
    )


def test_a_reminder_falls_days_before_the_deadline_or_now_when_that_passed():
    now = datetime(2027, 1, 4, 9, tzinfo=AMS)
    assert schedule.reminder_due(date(2027, 1, 20), 7, 8, AMS, now) == datetime(
        2027, 1, 13, 8, tzinfo=AMS
    )
    assert schedule.reminder_due(date(2027, 1, 5), 7, 8, AMS, now) == now


def test_the_next_overview_is_the_next_rhythm_moment():
    monday_nine = datetime(2027, 1, 4, 9, tzinfo=AMS)
    assert schedule.next_occurrence("weekly", monday_nine, AMS, 7, 0) == datetime(
        2027, 1, 11, 7, tzinfo=AMS
    )
    assert schedule.next_occurrence("daily", monday_nine, AMS, 7, 0) == datetime(
        2027, 1, 5, 7, tzinfo=AMS
    )


def test_retries_follow_the_delays_and_honour_retry_after_then_stop():
    now = datetime(2027, 1, 4, tzinfo=UTC)
    busy = TryAgain(DeliveryFailure.WEBHOOK_UNAVAILABLE, "HTTP 503")
    assert next_attempt(busy, 1, [60, 300], now, timedelta(days=1)) == now + timedelta(seconds=60)
    assert next_attempt(busy, 2, [60, 300], now, timedelta(days=1)) == now + timedelta(seconds=300)
    assert next_attempt(busy, 3, [60, 300], now, timedelta(days=1)) is None
    slow = TryAgain(DeliveryFailure.RETRIES_EXHAUSTED, "429", timedelta(hours=2))
    assert next_attempt(slow, 1, [60], now, timedelta(days=1)) == now + timedelta(hours=2)
    assert next_attempt(slow, 1, [60], now, timedelta(hours=1)) == now + timedelta(hours=1)


def test_the_signature_covers_timestamp_and_body_and_refuses_replays():
    body = b'{"id": "x"}'
    header = sign("secret", 1_800_000_000, body)
    assert header.startswith("v1=") and len(header) == 3 + 64
    assert verify("secret", "1800000000", body, header, now=1_800_000_100)
    assert verify("secret", "1800000000", body, f"v1=old, {header}", now=1_800_000_100)
    assert not verify("other", "1800000000", body, header, now=1_800_000_100)
    assert not verify("secret", "1800000001", body, header, now=1_800_000_100)
    assert not verify("secret", "1800000000", body, header, now=1_800_001_000)


def _facts(**overrides):
    values = dict(
        subscription_active=True,
        subscriber_partner="p1",
        partner_active=True,
        addressed_to=None,
        named_partners=frozenset(),
        programme_partners=frozenset({"p1"}),
        sharing_withdrawn=False,
    )
    return SubscriberFacts(**(values | overrides))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({}, None),
        ({"subscription_active": False}, "subscription ended"),
        ({"addressed_to": "p2"}, "addressed to another partner"),
        ({"addressed_to": "p1"}, None),
        ({"partner_active": False}, "no longer active"),
        ({"sharing_withdrawn": True}, "withdrew consent"),
        ({"programme_partners": frozenset({"p2"})}, "no part in the programme"),
        ({"programme_partners": frozenset(), "named_partners": frozenset({"p1"})}, None),
        ({"subscriber_partner": None, "programme_partners": frozenset()}, None),
        ({"subscriber_partner": None, "addressed_to": "p1"}, "addressed to another partner"),
    ],
)
def test_a_subscribers_right_is_decided_on_the_facts_at_send_time(overrides, reason):
    found = refusal(_facts(**overrides))
    assert (found is None) if reason is None else (reason in found)


def test_the_overview_counts_phases_hours_attendance_and_open_items():
    targets = {"total": 100, "language": 50, "participation": 30, "knm": 10, "map": 10}
    people = [
        {"participant_ref": "a", "status": "active", "phase": 2, "targets": targets},
        {"participant_ref": "b", "status": "waiting_for_start", "phase": None, "targets": targets},
        {"participant_ref": "c", "status": "withdrawn", "phase": None, "targets": targets},
    ]
    attendance = [
        {"session_on": date(2027, 1, 4), "kind": "language", "status": "present", "hours": 2.5},
        {
            "session_on": date(2027, 1, 5),
            "kind": "language",
            "status": "absent_with_reason",
            "hours": 0,
        },
        {"session_on": date(2027, 1, 12), "kind": "knm", "status": "present", "hours": 1.25},
    ]
    today = date(2027, 1, 15)
    items = [
        {
            "kind": "referral",
            "participant_ref": "a",
            "status": "accepted",
            "open": True,
            "due_on": None,
            "detail": "escalated",
        },
        {
            "kind": "precondition",
            "participant_ref": "b",
            "status": "arranged",
            "open": True,
            "due_on": today + timedelta(days=3),
            "detail": "transport",
        },
        {
            "kind": "precondition",
            "participant_ref": "a",
            "status": "arranged",
            "open": True,
            "due_on": today + timedelta(days=60),
            "detail": "childcare",
        },
        {
            "kind": "waitlist",
            "participant_ref": "b",
            "status": "no_group_at_level",
            "open": True,
            "due_on": date(2027, 1, 4),
            "detail": "a1",
        },
    ]
    o = overview.build("p", today, people, attendance, items, lapsing_within=timedelta(14))
    assert o.phases == [("waiting_for_start", 1), ("phase 2", 1), ("withdrawn", 1)]
    hours = {b.kind: (b.hours, b.target) for b in o.hours}
    assert hours["language"] == (Decimal("2.5"), Decimal(100))  # the withdrawn one's not
    assert hours["knm"] == (Decimal("1.25"), Decimal(20))
    assert [(w.week, w.sessions, w.present, w.rate) for w in o.attendance] == [
        ("2027-W01", 2, 1, 50),
        ("2027-W02", 1, 1, 100),
    ]
    assert o.referrals == [("accepted", 1)] and o.referrals_escalated == 1
    assert [p["participant_ref"] for p in o.preconditions] == ["b"]  # ending soon only
    assert [w["participant_ref"] for w in o.waiting_list] == ["b"]


def test_the_overview_counts_hours_against_the_b_3_14_norm():
    """Issue 15: course hours (NT2 and KNM) and participation hours (PVT and MAP within
    them) against each participant's norm, credited hours counted toward their part; a plan
    without a norm has the full one. Before: only the kinds against the targets."""
    family = {"course_hours": 400, "participation_hours": 0, "credited_course_hours": 10}
    people = [
        {"participant_ref": "a", "status": "active", "phase": 1, "targets": {"norm": family}},
        {"participant_ref": "b", "status": "active", "phase": 1, "targets": {"total": 1600}},
        {"participant_ref": "c", "status": "withdrawn", "phase": None, "targets": {"total": 1}},
    ]
    day = date(2027, 1, 4)
    attendance = [
        {"session_on": day, "kind": kind, "status": "present", "hours": hours}
        for kind, hours in (("language", 6), ("knm", 2), ("map", 3), ("participation", 4))
    ]
    o = overview.build("p", day, people, attendance, [], lapsing_within=timedelta(14))
    bars = {b.kind: (b.hours, b.target) for b in o.norm}
    assert bars == {"course": (18, 1200), "participation": (7, 800)}


def test_a_full_weeks_attendance_label_stays_inside_the_chart():
    """The 100% label sat at y=5 with an 11 px font: its top was cut off on the overview."""
    import re

    from zroute_notifications.adapters.charts import attendance_chart
    from zroute_notifications.domain.overview import WeekAttendance

    svg = attendance_chart([WeekAttendance("2027-W02", 3, 3)], "attendance")
    [label_y] = [float(y) for y in re.findall(r'<text x="\d+" y="([\d.]+)" font-size="11"', svg)]
    assert label_y - 11 >= 0, svg
    height = float(re.search(r'height="(\d+)"', svg).group(1))
    assert all(float(y) <= height for y in re.findall(r' y="([\d.]+)"', svg))
