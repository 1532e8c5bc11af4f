"""The PIP decision letter (issue 15): the Dutch decision with its content, term and
objection notice; before it the whole decision in English, or a cover in the participant's
own language where the decision has no translation; RTL for Arabic."""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

import pytest
from zroute_contract.events.codes import Route, RouteReason
from zroute_intake.domain.pip import AmendmentReason, ExamPart
from zroute_letters import decision as letter
from zroute_letters.catalogue import (
    AMENDMENT_REASONS,
    DECISION_MESSAGES,
    DECISION_ROUTES,
    EXAM_PARTS,
    ROUTE_REASONS,
    Catalogues,
    placeholders,
)
from zroute_letters.sample import decision

from tests.letters.tools import require, require_fonts, require_weasyprint

INVISIBLE = re.compile("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def cats() -> Catalogues:
    return Catalogues.load()


def _text(pdf: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [require("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [INVISIBLE.sub("", " ".join(page.split())) for page in out.split("\f") if page.strip()]


def test_the_codes_the_letter_writes_out_are_the_codes_of_the_contract_and_intake():
    assert set(DECISION_ROUTES) == {r.value for r in Route}
    assert set(ROUTE_REASONS) == {r.value for r in RouteReason}
    assert set(AMENDMENT_REASONS) == {r.value for r in AmendmentReason}
    assert set(EXAM_PARTS) == {e.value for e in ExamPart}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_dutch_and_english_have_every_decision_text_with_the_same_placeholders(cats, lang):
    assert letter.has_decision_texts(lang, cats)
    wrong = [
        m
        for m in DECISION_MESSAGES
        if placeholders(cats.entries[lang][m].text) != placeholders(cats.entries["nl"][m].text)
    ]
    assert not wrong


def test_the_dutch_decision_states_its_content_term_and_the_objection_notice(cats, tmp_path):
    require_weasyprint()
    require_fonts()
    pages = _text(letter.render_pdf(decision("nl"), cats), tmp_path, "nl")
    text = " ".join(pages)
    assert "Besluit persoonlijk plan inburgering en participatie (PIP)" in text
    assert "4 januari 2027" in text  # the decision's date, with its year
    assert "artikel 15 van de Wet inburgering 2021" in text
    assert "Zelfredzaamheidsroute (Z-route)" in text
    assert "U leert eerst lezen en schrijven (alfabetisering)." in text
    assert "Aantal voortgangsgesprekken 4" in text
    assert "Spreken (A2); Kennis van de Nederlandse Maatschappij (KNM)" in text
    assert "begint op dinsdag 5 januari 2027" not in text  # a full date, no weekday
    assert "begint op 5 januari 2027 en eindigt op 4 januari 2030" in text
    assert "binnen zes weken" in text and "6:7 Algemene wet bestuursrecht" in text
    assert "Postbus 10007" in text
    assert "vervangt versie" not in text  # the first version amends nothing
    assert "Deze vertaling is een hulp" not in text


def test_an_amendment_names_the_version_it_replaces_and_why(cats, tmp_path):
    require_weasyprint()
    text = " ".join(_text(letter.render_pdf(decision("nl", version=2), cats), tmp_path, "v2"))
    assert "Dit besluit vervangt versie 1 van uw PIP." in text
    assert "afspraken uit een voortgangsgesprek" in text
    assert "MAP) 4 uur per week" in text


def test_english_comes_first_as_a_translation_and_the_dutch_decision_follows(cats, tmp_path):
    require_weasyprint()
    pages = _text(letter.render_pdf(decision("en"), cats), tmp_path, "en")
    first, rest = pages[0], " ".join(pages[1:])
    assert first.startswith("Gemeente Zwolle English")
    assert "This translation is a help. The decision is the Dutch text that follows." in first
    assert "Self-reliance route (Z-route)" in " ".join(pages)
    assert "Besluit persoonlijk plan inburgering en participatie (PIP)" in rest
    assert "Bent u het niet eens met dit besluit?" in rest


@pytest.mark.parametrize("lang", ["ar", "uk", "ti", "so"])
def test_a_language_without_decision_texts_gets_a_cover_in_that_language_then_dutch(
    cats, tmp_path, lang
):
    require_weasyprint()
    require_fonts()
    rendered = letter.pages(decision(lang), cats)
    assert [p.lang for p in rendered] == [lang, "nl"]
    assert [p.full for p in rendered] == [False, True]
    html = letter.render_html(decision(lang), cats)
    assert f'<section class="page" lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    pages = _text(letter.render_pdf(decision(lang), cats), tmp_path, lang)
    assert INVISIBLE.sub("", cats.text(lang, "pip_established.subject")) in pages[0]
    assert "038 498 1234" in pages[0]
    assert "Besluit persoonlijk plan" in " ".join(pages[1:])
    # The cover uses the participant catalogue, which every language has: nothing fell back.
    assert cats.fallback_count(lang) == 0


def test_a_language_without_any_catalogue_gets_the_dutch_decision_alone(cats):
    rendered = letter.pages(decision("xx"), cats)
    assert [(p.lang, p.full) for p in rendered] == [("nl", True)]


def test_the_letter_and_its_rendering_log_no_personal_data(caplog, cats):
    content = decision("ar")
    with caplog.at_level(logging.DEBUG):
        letter.render_html(content, cats)
    for secret in ("Amina", "Assendorperstraat", "038 498 1234", "Sanne"):
        assert secret not in repr(content)
        assert secret not in caplog.text
