"""The care coordinator in a real browser on the support service's screens: the partners
with their capacities, then the agreement editor (tasks by partners); a partner without
the capability for a task is refused by the API's own command and the problem is shown
beside that task, linked from the error summary. axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

from playwright.async_api import expect
from zroute_ui.testing import DEMO_USERS

from tests.support.scenario import PROGRAMME
from tests.ui.browser import axe_violations, keep_screenshot, screenshot_dir
from tests.ui.support_world import support_with_screens


async def test_a_coordinator_edits_the_agreement_and_sees_a_validation_error_in_place(
    services, amqp_connection, issuer, browser, tmp_path
):
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.setup()
        shots = screenshot_dir(tmp_path)
        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/partners")
        await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Partners")
        await expect(page.get_by_role("row").filter(has_text="care-a")).to_contain_text(
            "geestelijke gezondheidszorg"
        )
        assert await axe_violations(page) == []
        await keep_screenshot(page, shots / "support-partners.png", full_page=True)

        await page.goto(f"{base}/ui/agreements")
        await page.get_by_role("link", name=PROGRAMME).click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text(PROGRAMME)
        await expect(
            page.get_by_label("school doet kennis van de Nederlandse maatschappij")
        ).to_be_checked()
        assert await axe_violations(page) == []

        await page.get_by_label("Eerste dag", exact=True).fill("2028-01-01")
        await page.get_by_label("care-b doet kennis van de Nederlandse maatschappij").check()
        await page.get_by_role("button", name="Deze versie vastleggen").click()

        summary = page.get_by_role("alert")
        await expect(summary).to_contain_text("Deze partner kan deze taak niet uitvoeren.")
        row = page.get_by_role("row").filter(has_text="kennis van de Nederlandse maatschappij")
        await expect(row).to_contain_text("Deze partner kan deze taak niet uitvoeren.")
        choice = page.get_by_label("care-b doet kennis van de Nederlandse maatschappij")
        await expect(choice).to_be_checked()  # the user's choice is kept
        await expect(page.locator("#task-knm")).to_have_attribute("aria-invalid", "true")
        await summary.get_by_role(
            "link",
            name="kennis van de Nederlandse maatschappij: Deze partner kan deze taak niet uitvoeren.",
        ).click()
        await expect(page).to_have_url(f"{base}/ui/agreements/{PROGRAMME}#task-knm")
        assert await axe_violations(page) == []
        await keep_screenshot(page, shots / "support-agreement-errors.png", full_page=True)
        await context.close()

        versions = (await scenario.client().get(f"/programmes/{PROGRAMME}/agreements")).json()
        assert len(versions) == 1  # nothing recorded
    finally:
        await scenario.close()


async def test_the_editor_carries_the_tasks_not_offered_and_the_module_providers(
    services, amqp_connection, issuer, browser
):
    """A version recorded through the API with a task not offered and a PVT provider is
    the editor's starting point, and the next version recorded in the browser keeps both
    (before, the editor's form had neither, so its version silently dropped them); a task
    marked not offered in the browser loses the partner its row still showed."""
    scenario, base = await support_with_screens(services, amqp_connection, issuer)
    try:
        await scenario.register_partners()
        body = scenario.agreement_body(valid_until="2027-12-31")
        body["assignments"] = [a for a in body["assignments"] if a["task"] != "follow_up"]
        body["not_offered"] = [{"task": "follow_up", "reason": "not_contracted"}]
        body["module_providers"] = [{"module": "pvt", "partner_id": "work-b"}]
        response = await scenario.client().post(f"/programmes/{PROGRAMME}/agreements", json=body)
        assert response.status_code == 201, response.text

        context = await browser.new_context(
            bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await page.goto(f"{base}/ui/agreements?programme={PROGRAMME}")
        await page.get_by_role("button", name=DEMO_USERS["coordinator"].sub).click()
        follow_up = page.get_by_label("Waarom nazorg niet wordt aangeboden")
        await expect(follow_up).to_have_value("not_contracted")
        pvt = page.get_by_label("participatieverklaringstraject (PVT)")
        await expect(pvt).to_have_value("work-b")
        assert await axe_violations(page) == []

        await page.get_by_label("Eerste dag", exact=True).fill("01-01-2028")
        await page.get_by_label("Waarom vervoer niet wordt aangeboden").select_option(
            "offered_by_municipality"
        )
        await page.get_by_role("button", name="Deze versie vastleggen").click()
        await expect(page.get_by_role("status").or_(page.get_by_role("alert"))).to_contain_text(
            "vastgelegd"
        )
        await context.close()

        versions = (await scenario.client().get(f"/programmes/{PROGRAMME}/agreements")).json()
        latest = versions[-1]
        assert latest["version"] == 2 and latest["valid_from"] == "2028-01-01"
        assert {(n["task"], n["reason"]) for n in latest["not_offered"]} == {
            ("follow_up", "not_contracted"),
            ("transport", "offered_by_municipality"),
        }
        assert latest["module_providers"] == [{"module": "pvt", "partner_id": "work-b"}]
        assert "transport" not in {a["task"] for a in latest["assignments"]}
    finally:
        await scenario.close()
