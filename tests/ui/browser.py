"""Debian's Chromium driven by Playwright, and axe-core (the npm package, injected) for
the WCAG 2.1 A and AA rules."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.async_api import Page

from tests.ui.conftest import AXE

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def check_tools() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"{AXE} (./run ui-assets)")
    assert not missing, "the browser tests need: " + ", ".join(missing)


async def axe_violations(page: Page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def screenshot_dir(tmp_path: Path) -> Path:
    """``ZROUTE_TEST_SCREENSHOTS`` when set (to keep and look at them), else a temp dir."""
    target = Path(os.environ.get("ZROUTE_TEST_SCREENSHOTS") or tmp_path / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


async def tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


async def focus_visible(page: Page) -> bool:
    """Whether the focused element shows it: it matches ``:focus-visible`` and draws an
    outline or a box shadow (WCAG 2.4.7)."""
    return bool(
        await page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body || !el.matches(':focus-visible')) return false;
                const style = getComputedStyle(el);
                const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                return outline || (style.boxShadow && style.boxShadow !== 'none');
            }"""
        )
    )
