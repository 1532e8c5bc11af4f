"""The week as speech: espeak-ng in the languages it speaks, Dutch for Tigrinya and Somali."""

from __future__ import annotations

import pytest
from zroute_letters.catalogue import LANGUAGES, Catalogues
from zroute_letters.sample import letter
from zroute_letters.speech import VOICES, render_week_audio, spoken_language, week_text

from tests.letters.tools import require

SPOKEN = {"nl", "en", "ar", "fa", "tr", "uk"}


def test_the_voice_table_is_what_the_documentation_says():
    assert set(VOICES) == SPOKEN
    assert {lang: spoken_language(lang) for lang in LANGUAGES if lang not in SPOKEN} == {
        "ti": "nl",
        "so": "nl",
    }
    assert spoken_language("prs") == "fa"


@pytest.mark.parametrize("lang", [*LANGUAGES, "prs"])
def test_the_week_is_rendered_as_a_wav_file(lang):
    require("espeak-ng")
    audio = render_week_audio(letter(lang))
    assert audio.language == spoken_language(lang)
    assert audio.wav[:4] == b"RIFF" and audio.wav[8:12] == b"WAVE"
    assert len(audio.wav) > 50_000  # several seconds of speech, not an empty file


def test_espeak_ng_has_the_voices_the_table_names():
    import subprocess

    voices = subprocess.run(
        [require("espeak-ng"), "--voices"], capture_output=True, text=True, check=True
    ).stdout.split()
    missing = [voice for voice in VOICES.values() if voice not in voices]
    assert not missing, f"espeak-ng lacks the voices {missing}"


def test_what_is_said_is_the_week_in_the_language():
    cats = Catalogues.load()
    text = week_text(letter("uk"), "uk", cats)
    assert text.startswith(cats.text("uk", "letter.title"))
    assert "09:30" in text and "середа" in text
