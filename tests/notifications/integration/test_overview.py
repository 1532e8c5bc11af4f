"""The consultation overview in a real headless browser (Debian's Chromium): the page
renders, its charts are drawn, and its figures match the events that built it. And it
goes to the lead partner on the configured rhythm."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.async_api import async_playwright
from zroute_contract.events import intake, planning, support
from zroute_contract.types import new_participant_ref
from zroute_runtime.auth import Role

from tests.helpers import token, wait_for
from tests.notifications import world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGETS = {"total": 200, "language": 100, "participation": 50, "knm": 30, "map": 20}
WEEK1, WEEK2 = date(2027, 1, 4), date(2027, 1, 11)


def attendance(ref: str, day: date, kind: str, status: str, hours: float):
    return world.event(
        planning.AttendanceRecorded,
        ref,
        session_id=uuid.uuid4(),
        session_on=day,
        kind=kind,
        status=status,
        hours=hours if status == "present" else 0,
    )


async def _build_programme(feed, runtime):
    """Three participants at different points of the route; returns the expected figures."""
    p1, p2, p3 = (new_participant_ref() for _ in range(3))
    await feed.publish(world.agreement())
    for ref in (p1, p2, p3):
        await feed.publish(world.registered(ref))
        await feed.publish(world.contact(ref))
    # p1: active in phase 2, attending
    # p1 is a family migrant (course hours only) with 40 hours credited (B 3.14(3), (6))
    norm = {"course_hours": 800, "participation_hours": 0, "credited_course_hours": 40}
    await feed.publish(world.event(
        planning.PlanActivated, p1, targets=TARGETS, start_on=WEEK1, waiting_for=[], norm=norm
    ))  # fmt: skip
    await feed.publish(world.event(planning.SchedulePublished, p1, phase=2))
    for day, kind, status, hours in [
        (WEEK1, "language", "present", 2.5),
        (WEEK1 + timedelta(days=1), "language", "present", 2.5),
        (WEEK1 + timedelta(days=2), "language", "absent_with_reason", 0),
        (WEEK2, "participation", "present", 3),
    ]:
        await feed.publish(attendance(p1, day, kind, status, hours))
    # p2: childcare missing, so the plan waits for its start; on the waiting list
    await feed.publish(
        world.event(
            intake.IntakeCompleted,
            p2,
            childcare={"needed": True, "child_ages": [3]},
            transport={"needed": False, "modes": []},
        )
    )
    await feed.publish(
        world.event(  # no norm (an older planning): the full norm, 800 and 800
            planning.PlanActivated,
            p2,
            targets=TARGETS,
            start_on=None,
            waiting_for=["childcare"],
            norm=None,
        )
    )
    await feed.publish(
        world.event(planning.ParticipantWaitlisted, p2, since=WEEK1, reason="no_group_at_level")
    )
    # p3: a referral accepted, a placement waiting, a review and a follow-up due
    referral = uuid.uuid4()
    await feed.publish(
        world.event(
            support.ReferralRequested,
            p3,
            referral_id=referral,
            partner_id=world.CARE,
            category="mental_health_care",
        )
    )
    await feed.publish(
        world.event(support.ReferralAccepted, p3, referral_id=referral, partner_id=world.CARE)
    )
    await feed.publish(world.event(planning.PlacementRequested, p3, needed_by=date(2027, 3, 1)))
    await feed.publish(world.event(planning.ProgressReviewDue, p3, due_on=date(2027, 2, 1)))
    await feed.publish(world.event(planning.FollowUpDue, p3, agree_by=date(2027, 4, 1)))
    await feed.all_handled(runtime)
    return {
        "participants": 3,
        "phases": {"phase 2": 1, "waiting_for_start": 1, "registered": 1},
        "hours": {
            "language": (Decimal("5"), Decimal(200)),
            "participation": (Decimal("3"), Decimal(100)),
            "knm": (Decimal(0), Decimal(60)),
            "map": (Decimal(0), Decimal(40)),
        },
        # B 3.14: course = language + KNM (+ credited), participation = participation + MAP
        "norm": {"course": ("45", "1600"), "participation": ("3", "800")},
        "weeks": {"2027-W01": (3, 2, 67), "2027-W02": (1, 1, 100)},
        "refs": (p1, p2, p3),
    }


@pytest.fixture
async def browser():
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


async def test_the_overview_page_renders_its_charts_and_figures_in_a_browser(
    services, smtp, amqp_connection, browser
):
    runtime = await world.start(services, smtp.port)
    feed = world.Feed(amqp_connection, runtime.topology.exchange)
    await world.seed_directory(runtime)
    expected = await _build_programme(feed, runtime)
    url = f"http://127.0.0.1:{runtime.http_port}/programmes/{world.PROGRAMME}/overview?lang=en"
    bearer = token([Role.PARTNER_STAFF], partner_id=world.SCHOOL)
    context = await browser.new_context(extra_http_headers={"Authorization": f"Bearer {bearer}"})
    page = await context.new_page()
    response = await page.goto(url)
    assert response is not None and response.status == 200
    assert await page.title() == f"Consultation overview: {world.PROGRAMME}"
    assert await page.text_content("#participant-count") == str(expected["participants"])

    phases = {
        await row.get_attribute("data-phase"): int(await row.locator("td.n").inner_text())
        for row in await page.locator("#phases tr[data-phase]").all()
    }
    assert phases == expected["phases"]

    # The hours chart is drawn: one row per kind, bar lengths in proportion to the figures.
    rows = await page.locator("#hours-chart g.hours-row").all()
    assert len(rows) == 4
    scale = max(t for _, t in expected["hours"].values())
    for row in rows:
        kind = await row.get_attribute("data-kind")
        hours, target = expected["hours"][kind]
        assert Decimal(await row.get_attribute("data-hours")) == hours
        assert Decimal(await row.get_attribute("data-target")) == target
        target_box = await row.locator("rect.bar-target").bounding_box()
        assert target_box is not None
        assert target_box["width"] == pytest.approx(float(target / scale) * 400, abs=0.5)
        hours_box = await row.locator("rect.bar-hours").bounding_box()
        drawn = hours_box["width"] if hours_box else 0.0  # a zero-width bar has no box
        assert drawn == pytest.approx(float(hours / scale) * 400, abs=0.5)
    table = {
        await r.get_attribute("data-kind"): await r.locator("td.hours").inner_text()
        for r in await page.locator("#hours tr[data-kind]").all()
    }
    assert table == {k: str(h) for k, (h, _) in expected["hours"].items()}
    # Issue 15: the hours against the law's norm, course and participation.
    norm = {
        await r.get_attribute("data-part"): (
            await r.locator("td.hours").inner_text(),
            await r.locator("td.target").inner_text(),
        )
        for r in await page.locator("#norm tr[data-part]").all()
    }
    assert norm == expected["norm"]
    assert "Course hours (Dutch and KNM)" in await page.inner_text("#norm")

    weeks = await page.locator("#attendance-chart g.attendance-week").all()
    assert len(weeks) == 2
    for week in weeks:
        sessions, present, rate = expected["weeks"][await week.get_attribute("data-week")]
        assert int(await week.get_attribute("data-sessions")) == sessions
        assert int(await week.get_attribute("data-present")) == present
        box = await week.locator("rect.bar-rate").bounding_box()
        assert box is not None and box["height"] == pytest.approx(rate * 1.2, abs=0.5)

    referrals = {
        await r.get_attribute("data-status"): await r.locator("td.n").inner_text()
        for r in await page.locator("#referrals tr[data-status]").all()
    }
    assert referrals == {"accepted": "1"}, await page.inner_html("#referrals")
    page_text = await page.inner_text("body")
    assert "mental" not in page_text.lower()  # no care details in the overview
    _p1, p2, p3 = expected["refs"]
    assert await page.locator("#preconditions tbody tr").count() == 1
    assert p2 in await page.inner_text("#preconditions")
    for section in ("#placements", "#reviews", "#follow-ups"):
        assert await page.locator(f"{section} tbody tr").count() == 1
        assert p3 in await page.inner_text(section)
    assert p2 in await page.inner_text("#waiting-list")
    await context.close()

    # Not for a partner outside the programme.
    async with world.client(runtime, [Role.PARTNER_STAFF], partner_id="elsewhere") as http:
        assert (await http.get(f"/programmes/{world.PROGRAMME}/overview")).status_code == 403

    # And on the weekly rhythm the lead partner gets it by e-mail (Monday, 07:00).
    def overview_mails():
        return [
            m for m in smtp.to("office@lead.test") if "Overzicht voor het overleg" in m["Subject"]
        ]

    assert not overview_mails()
    await runtime.advance_clock(timedelta(days=7))
    mail = await wait_for(overview_mails, what="the overview mail")
    assert len(mail) == 1
    html = mail[0].get_body(preferencelist=("html",)).get_content()
    assert 'id="hours-chart"' in html and p3 in html
