"""Workplace hours for the job coach, on the real support and planning services, broker,
databases and login. Planning's API records workplace hours (attendance of kind
participation, by the partner the programme's task division names for job coaching), so
the form lives on planning's attendance page and support's placements page links to it for
a confirmed placement: the job coach follows the link from their placements, signs in at
planning, is refused a number that is none in place, then records the hours (the event
follows); the teaching partner, not named for job coaching, is refused in place. axe-core
finds no WCAG 2.1 A/AA violation (nor a raw code) on the pages visited."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from playwright.async_api import expect
from zroute_contract.events.codes import RouteTask

from tests.planning.events import SUPPORT, TODAY, agreement_recorded
from tests.support.integration.test_placements import CONFIRM, requested
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.conftest import COACHES, login
from tests.ui.support_world import support_with_screens
from tests.ui.test_planning import TEACHING_PARTNER, fill, start_planning


async def test_a_job_coach_records_workplace_hours_from_the_placements_page(
    services, amqp_connection, issuer, browser, tmp_path
):
    planning, planning_base = await start_planning(
        services, amqp_connection, issuer, ui_cookie_secure=False
    )
    division = {RouteTask.LANGUAGE_TEACHING: TEACHING_PARTNER, RouteTask.JOB_COACHING: "coaches"}
    await planning.feed(
        agreement_recorded(division, lead=TEACHING_PARTNER),
        source=SUPPORT,
    )
    [ref] = await fill(planning, 1)
    await planning.runtime.advance_clock(timedelta(days=21))  # the plan has started
    scenario, base = await support_with_screens(
        services, amqp_connection, issuer, {"planning": planning_base}
    )
    try:
        await scenario.setup()
        await scenario.participant(ref=ref)
        # The placement request is fed to support as its own tests do; planning, on the same
        # broker, never made it, so it dead-letters the confirmation ("unknown placement
        # request"): a property of this two-service test world, not of the screens.
        request = requested(ref)
        await scenario.feed(request)
        confirmed = await scenario.partner("work-a").post(
            f"/placements/{request.placement_request_id}/confirm", json=CONFIRM
        )
        assert confirmed.status_code == 200, confirmed.text
        shots = screenshot_dir(tmp_path)
        visited: dict[str, list] = {}
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()

        async def audit(name: str) -> None:
            visited[name] = await axe_violations(page)
            await keep_screenshot(page, shots / f"workplace-{name}.png", full_page=True)

        await page.goto(f"{base}/ui/placements")
        await page.get_by_role("button", name=COACHES.sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Plaatsingen")
        await audit("placements")
        row = page.get_by_role("row").filter(has_text=ref)
        await row.get_by_role("link", name=f"Werkplekuren van {ref}").click()
        # Planning is its own client at the provider: the job coach signs in there too.
        await page.get_by_role("button", name=COACHES.sub).click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)
        assert page.url.startswith(planning_base)
        await audit("attendance")

        await page.get_by_label("Minuten gewerkt").fill("vier uur")
        await page.get_by_role("button", name="Werkplekuren vastleggen").click()
        await expect(page.locator("#wp-minutes-error")).to_contain_text("heel getal")
        await expect(page.get_by_label("Minuten gewerkt")).to_have_attribute("aria-invalid", "true")
        await audit("refused")
        assert planning.events("attendance-recorded") == []

        await page.get_by_label("Minuten gewerkt").fill("240")
        await page.get_by_role("button", name="Werkplekuren vastleggen").click()
        await expect(page.get_by_role("status")).to_have_text("De werkplekuren zijn vastgelegd.")
        await expect(page.get_by_role("heading", level=3)).to_contain_text("participatie")
        await audit("recorded")
        await context.close()
        [recorded] = await planning.expect("attendance-recorded")
        assert recorded["subject"] == ref
        assert recorded["data"]["kind"] == "participation"
        assert recorded["data"]["teaching_form"] == "workplace_learning"
        assert recorded["data"]["hours"] == 4.0
        assert {name: v for name, v in visited.items() if v} == {}
        assert len(visited) == 4

        # The teaching partner is not named for job coaching: refused in place.
        async with httpx.AsyncClient(base_url=planning_base, timeout=10) as teacher:
            await login(teacher, "teacher")
            form = await teacher.get(f"/ui/plans/{ref}/attendance")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
            day = str(TODAY + timedelta(days=20))
            data = {"csrf_token": csrf, "wp-day": day, "wp-minutes": "60"}
            refused = await teacher.post(f"/ui/plans/{ref}/workplace-hours", data=data)
            assert refused.status_code == 422, refused.text
            assert "Uw organisatie mag deze uren" in refused.text
        assert len(planning.events("attendance-recorded")) == 1
    finally:
        await scenario.close()
