"""Debian's Chromium driven by Playwright, and axe-core (the npm package, injected) for
the WCAG 2.1 A and AA rules."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from playwright.async_api import Locator, Page

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


# A code as the API spells it (``language_buddy``, ``partner_sharing``): snake_case with at
# least one underscore. References and ids use hyphens (``zr-…``, ``work-a``), so they pass.
RAW_CODE = re.compile(r"(?<![\w./:@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
# Codes that may be shown as they are: none yet; add a reference format here, never a
# code a person is meant to read.
RAW_CODE_ALLOWED: frozenset[str] = frozenset()


async def raw_codes(page: Page) -> list[str]:
    """The snake_case codes the page shows as text instead of their catalogue label
    (issue 19: every code on a screen goes through a label, in Dutch and English)."""
    text = await page.evaluate("() => document.body.innerText")
    return sorted({c for c in RAW_CODE.findall(text) if c not in RAW_CODE_ALLOWED})


# English words that are no Dutch words: one of them on a Dutch page is a string that
# skipped the catalogue (issue 19: every string from the catalogue). Ids and references
# hold hyphens (``town-hall``), so words joined by one are left alone.
ENGLISH_WORDS = re.compile(
    r"(?<![\w-])(the|and|with|not|for|from|none|this|that|are|has|have|you|your|yes|"
    r"should|must|when|which|been|by|or|to|no|on)(?![\w-])",
    re.IGNORECASE,
)


async def english_words(page: Page) -> list[str]:
    """English words in the text of a Dutch page (outside elements marked with another
    ``lang``, such as the language switch), each with a little of its context."""
    text = await page.evaluate(
        """() => {
            if (document.documentElement.lang !== 'nl') return '';
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const parts = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const el = node.parentElement;
                if (!el || el.closest('script, style, [lang]:not([lang=nl])')) continue;
                parts.push(node.textContent);
            }
            return parts.join(' ');
        }"""
    )
    return sorted(
        {text[max(0, m.start() - 25) : m.end() + 25].strip() for m in ENGLISH_WORDS.finditer(text)}
    )


async def axe_violations(page: Page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now, and, as
    violations of their own, any code shown without its label (``raw-code``) and English
    words on a Dutch page (``english-on-dutch-page``): every journey that audits its pages
    with this checks all three."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    found = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    if codes := await raw_codes(page):
        found.append({"id": "raw-code", "impact": "serious", "nodes": codes[:10]})
    if english := await english_words(page):
        found.append({"id": "english-on-dutch-page", "impact": "serious", "nodes": english[:10]})
    return found


def screenshot_dir(tmp_path: Path) -> Path:
    """``ZROUTE_TEST_SCREENSHOTS`` when set (to keep and look at them), else a temp dir."""
    target = Path(os.environ.get("ZROUTE_TEST_SCREENSHOTS") or tmp_path / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


async def keep_screenshot(target: Page | Locator, path: Path, **options: Any) -> None:
    """A screenshot of ``target`` at ``path``, taken only when it is kept
    (``ZROUTE_TEST_SCREENSHOTS``, as ``./run screenshots`` sets). Nothing reads one left
    in a temp dir, and a full page costs a render of some 0.35 s: about a hundred of
    them in a run of the suite."""
    if os.environ.get("ZROUTE_TEST_SCREENSHOTS"):
        await target.screenshot(path=str(path), **options)


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


async def overlapping_labels(page: Page) -> list[str]:
    """The data lists' labels whose text runs out of their column, or up to the value
    beside them (less than 8px apart), or whose value does not start where the list's
    other values do (issue 19: the PVT label on the PIP page)."""
    return list(
        await page.evaluate(
            """() => [...document.querySelectorAll('.utrecht-data-list')].flatMap(list => {
                const starts = new Set();
                const wrong = [...list.querySelectorAll('.utrecht-data-list__item')].flatMap(item => {
                    const key = item.querySelector('.utrecht-data-list__item-key');
                    const value = item.querySelector('.utrecht-data-list__item-value');
                    if (!key || !value) return [];
                    const k = key.getBoundingClientRect(), v = value.getBoundingClientRect();
                    const range = document.createRange();
                    range.selectNodeContents(key);
                    const text = range.getBoundingClientRect();
                    const sameRow = v.top < k.bottom && k.top < v.bottom;
                    if (sameRow) starts.add(Math.round(v.left));
                    const spills = text.right > k.right + 1;
                    return (spills || (sameRow && text.right + 8 > v.left)) ? [key.innerText] : [];
                });
                return starts.size > 1 ? [...wrong, 'values not aligned: ' + list.id] : wrong;
            })"""
        )
    )
