"""The PIP in the caseworker's dossier, on the real intake service, database and login: a
PIP established and amended through the API, then in Chromium the caseworker opens the
dossier and its PIP page: the version in force and its content, the versions, the
ten-week deadline's state, the term, and the case's history; axe-core finds no WCAG 2.1
A/AA violation. (Who else may open it: tests/ui/test_page_access.py.)"""

from __future__ import annotations

from datetime import date

import httpx
from babel.dates import format_date
from playwright.async_api import expect
from zroute_runtime.clock import local_day
from zroute_ui.testing import DEMO_USERS

from tests.intake import builders
from tests.intake.integration.flow import complete, ok, register
from tests.intake.integration.test_pip import content
from tests.ui.browser import (
    axe_violations,
    keep_screenshot,
    overlapping_labels,
    raw_codes,
    screenshot_dir,
)


async def test_a_caseworker_reads_the_pip_its_versions_deadline_term_and_history(
    start_intake, browser, tmp_path
):
    runtime, base = await start_intake()
    async with httpx.AsyncClient(base_url=base, headers=builders.auth(), timeout=10) as api:
        ref = (await register(api))["participant_ref"]
        await complete(api, runtime, ref)
        today = str(local_day(runtime.clock.now()))
        ok(await api.put(f"/participants/{ref}/pip/draft", json=content()))
        ok(await api.post(f"/participants/{ref}/pip/establishment", json={"dated": today}))
        ok(await api.put(f"/participants/{ref}/pip/draft", json=content(progress_meetings=6)))
        amended = ok(
            await api.post(
                f"/participants/{ref}/pip/amendments",
                json={"dated": today, "reason": "progress_meeting"},
            )
        )
    shots = screenshot_dir(tmp_path)
    context = await browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/ui/participants/{ref}")
    await page.get_by_role("button", name=DEMO_USERS["caseworker"].sub).click()
    await page.get_by_role("link", name="Het PIP: versies").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ref)

    current = page.locator("#pip-current")
    await expect(current).to_contain_text("Z-route")
    await expect(current.locator("div").filter(has_text="Voortgangsgesprekken")).to_contain_text(
        "6"
    )
    versions = page.get_by_role("table", name="De versies van het PIP, de laatste eerst")
    await expect(versions.locator("tbody tr")).to_have_count(2)
    await expect(versions.locator("tbody tr").first).to_contain_text("voortgangsgesprek")
    await expect(page.locator("#pip-deadline")).to_contain_text(
        "niet begonnen" if amended["deadline"]["state"] is None else "Stand"
    )
    term_end = date.fromisoformat(amended["term"]["end"])
    await expect(page.locator("#pip-term")).to_contain_text(
        format_date(term_end, "medium", locale="nl")  # written out: "12 jan 2030"
    )
    timeline = page.locator("#pip-timeline li")
    await expect(timeline).to_have_count(4)  # drafted, established, drafted, amended
    await expect(timeline.first).to_contain_text("PIP gewijzigd")
    await expect(timeline.last).to_contain_text("concept opgesteld")
    # Issue 19: codes through their labels, and no label running into its value.
    await expect(current).to_contain_text("taalmaatje, maatschappelijke begeleiding")
    await expect(current).to_contain_text("kennis van de Nederlandse maatschappij (KNM)")
    assert await raw_codes(page) == []
    assert await overlapping_labels(page) == []
    assert await axe_violations(page) == []
    await keep_screenshot(page, shots / "intake-pip.png", full_page=True)
    await page.set_viewport_size({"width": 800, "height": 900})  # a narrower window
    assert await overlapping_labels(page) == []
    await context.close()
