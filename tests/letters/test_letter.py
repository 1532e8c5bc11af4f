"""The start letter renders to PDF in every language, Arabic and Farsi right to left, and
page 1 turns into a PNG with pdftoppm (Debian poppler-utils)."""

from __future__ import annotations

import json
import logging
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from zroute_letters.catalogue import LANGUAGES, Catalogues
from zroute_letters.content import LetterContent
from zroute_letters.letter import qr_svg, render_html, render_pdf
from zroute_letters.sample import letter

from tests.letters.tools import require, require_fonts, require_weasyprint

ALL = (*LANGUAGES, "prs")
RIGHT_TO_LEFT = {"ar", "fa", "prs"}
MARGIN_PT = 18 / 25.4 * 72  # the page's side margins, 18 mm
# Direction marks and the zero-width non-joiner (Persian "می‌شود"): pdftotext drops or adds
# them, the letters around them are what is compared.
INVISIBLE = re.compile("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@pytest.fixture(scope="module")
def cats() -> Catalogues:
    return Catalogues.load()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, cats) -> dict[str, Path]:
    require_weasyprint()
    require_fonts()
    folder = tmp_path_factory.mktemp("letters")
    made = {}
    for lang in ALL:
        path = folder / f"start-{lang}.pdf"
        path.write_bytes(render_pdf(letter(lang), cats))
        made[lang] = path
    return made


def page_text(pdf: Path, page: int) -> str:
    text = subprocess.run(
        [require("pdftotext"), "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return INVISIBLE.sub("", text)


def title_span(pdf: Path) -> tuple[float, float, float]:
    """Left and right edge of the title (the largest words on page 1), and the page width."""
    out = subprocess.run(
        [require("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    words = [tuple(map(float, m.groups()[:4])) for m in WORD.finditer(out)]
    tallest = max(y1 - y0 for _, y0, _, y1 in words)
    title = [w for w in words if w[3] - w[1] > tallest - 0.5]
    return min(w[0] for w in title), max(w[2] for w in title), width


def pages(pdf: Path) -> int:
    info = subprocess.run(
        [require("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


@pytest.mark.parametrize("lang", ALL)
def test_the_start_letter_renders_in_the_language_then_in_dutch(pdfs, cats, lang):
    pdf = pdfs[lang]
    assert pdf.read_bytes().startswith(b"%PDF-")
    first = page_text(pdf, 1)
    assert INVISIBLE.sub("", cats.text(lang, "letter.title")) in first
    assert "09:30" in first and "038 498 1234" in first
    if lang == "nl":
        assert pages(pdf) == 1
    else:
        assert pages(pdf) == 2
        assert cats.text("nl", "letter.title") in page_text(pdf, 2)
        assert INVISIBLE.sub("", cats.text(lang, "letter.dutch_follows")) in first


@pytest.mark.parametrize("lang", ALL)
def test_arabic_and_farsi_are_laid_out_right_to_left_and_the_others_left_to_right(pdfs, lang):
    html = render_html(letter(lang))
    sections = re.findall(r'<section class="page" lang="([\w-]+)" dir="(\w+)"', html)
    expected = "rtl" if lang in RIGHT_TO_LEFT else "ltr"
    assert sections[0] == (lang, expected)
    assert all(d == "ltr" for _, d in sections[1:]), "the Dutch page is left to right"
    left, right, width = title_span(pdfs[lang])
    if lang in RIGHT_TO_LEFT:
        # The title hangs from the right margin and stays in the right half of the page.
        assert abs(width - MARGIN_PT - right) < 12, (left, right, width)
        assert left > width / 2
    else:
        assert abs(left - MARGIN_PT) < 12, (left, right, width)


SCRIPT_FONTS = {
    "ar": "Noto-Naskh-Arabic",
    "fa": "Noto-Naskh-Arabic",
    "prs": "Noto-Naskh-Arabic",
    "ti": "Noto-Sans-Ethiopic",
}


@pytest.mark.parametrize("lang", ALL)
def test_each_script_is_set_in_its_noto_font_embedded_in_the_pdf(pdfs, lang):
    fonts = subprocess.run(
        [require("pdffonts"), str(pdfs[lang])], capture_output=True, text=True, check=True
    ).stdout
    embedded = {line.split()[0].split("+", 1)[-1] for line in fonts.splitlines()[2:]}
    assert "Noto-Sans" in embedded, embedded
    if lang in SCRIPT_FONTS:
        assert SCRIPT_FONTS[lang] in embedded, embedded
    assert all(name.startswith("Noto") for name in embedded), f"a fallback font: {embedded}"


def test_the_arabic_text_in_the_pdf_reads_in_logical_order(pdfs, cats):
    first = page_text(pdfs["ar"], 1)
    for msgid in ("letter.title", "letter.week", "letter.next"):
        assert INVISIBLE.sub("", cats.text("ar", msgid)) in first, msgid


@pytest.mark.parametrize("lang", ["ar", "uk"])
def test_pdftoppm_turns_page_one_into_a_png(pdfs, tmp_path, lang):
    prefix = tmp_path / f"start-{lang}"
    page_one = ["-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run(
        [require("pdftoppm"), *page_one, str(pdfs[lang]), str(prefix)], check=True, timeout=60
    )
    png = prefix.with_suffix(".png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000


def test_the_letter_without_a_name_greets_the_participant_in_general(cats):
    html = render_html(letter("tr", name=None), cats)
    assert cats.text("tr", "letter.greeting") in html


def test_rendering_logs_no_personal_data(caplog, cats):
    require_weasyprint()
    content = letter("ar")
    with caplog.at_level(logging.DEBUG):
        render_pdf(content, cats)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for personal in ("Amina", "Yusuf", "Sanne", "498 1234", "Stationsplein", content.page_url):
        assert personal not in logged
    assert "Amina" not in repr(content)
    assert "Sanne" not in repr(content)


def test_the_qr_code_carries_the_personal_page_link(cats):
    content = letter("uk")
    html = render_html(content, cats)
    assert qr_svg(content.page_url) in html
    assert qr_svg(content.page_url) != qr_svg(content.page_url + "x")
    assert html.count("<svg") >= 10  # the pictograms and the QR code, inline


@pytest.mark.parametrize("lang", ["ar", "nl"])
def test_the_content_kept_as_json_prints_the_same_letter(cats, lang):
    """A sender keeps the content and prints the letter when it is asked for (issue 20)."""
    for content in (letter(lang), replace(letter(lang), next_appointment=None, sessions=())):
        kept = json.loads(json.dumps(content.to_json()))
        assert LetterContent.from_json(kept) == content
        assert render_html(LetterContent.from_json(kept), cats) == render_html(content, cats)


def test_a_language_without_a_catalogue_gets_the_dutch_letter_and_is_counted():
    cats = Catalogues.load()
    html = render_html(letter("de"), cats)
    assert re.findall(r'<section class="page" lang="(\w+)"', html) == ["nl"]
    assert cats.fallback_count("de") > 0
    assert cats.fallback_count("ar") == 0


def test_a_missing_tool_fails_the_test_with_the_package_to_install(monkeypatch):
    monkeypatch.setattr("tests.letters.tools.shutil.which", lambda _: None)
    with pytest.raises(pytest.fail.Exception, match="apt-get install poppler-utils"):
        require("pdftoppm")
    with pytest.raises(pytest.fail.Exception, match="apt-get install espeak-ng"):
        require("espeak-ng")
