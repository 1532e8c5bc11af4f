"""The week as speech (WAV) for the personal page, with espeak-ng where it speaks the language.

espeak-ng (Debian ``espeak-ng``) has voices for Dutch, English, Arabic, Persian, Turkish and
Ukrainian. It has none for Tigrinya or Somali (its Amharic voice reads the Ethiopic script,
but with Amharic sounds and words, which would mislead). For those two the audio is the
Dutch text, and ``Audio.language`` says so: the page labels it as Dutch. Dari is spoken with
the Persian voice.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import Final

from zroute_letters.catalogue import DUTCH, Catalogues, catalogue_language, catalogues
from zroute_letters.content import LetterContent
from zroute_letters.formatting import clock_time, long_date

# Catalogue language -> espeak-ng voice.
VOICES: Final = {"nl": "nl", "en": "en-gb", "ar": "ar", "fa": "fa", "tr": "tr", "uk": "uk"}


class SpeechUnavailable(RuntimeError):
    """espeak-ng is not installed (Debian: ``apt-get install espeak-ng``; .ci/run does it)."""


@dataclass(frozen=True)
class Audio:
    language: str  # the language actually spoken: the participant's, or Dutch
    wav: bytes


def spoken_language(language: str) -> str:
    """The language the audio is in: the participant's where espeak-ng speaks it, else Dutch."""
    return catalogue_language(language) if catalogue_language(language) in VOICES else DUTCH


def week_text(content: LetterContent, language: str, cats: Catalogues) -> str:
    """What is said: the title, each session (day, time, place, kind), the next appointment."""
    parts = [cats.text(language, "letter.title") + "."]
    for session in sorted(content.sessions, key=lambda s: (s.day, s.start)):
        parts.append(
            f"{long_date(session.day, language)}, {clock_time(session.start)}, "
            f"{session.place}, {cats.text(language, f'form.{session.form.value}')}."
        )
    nxt = content.next_appointment
    if nxt is not None:
        parts.append(
            f"{cats.text(language, 'letter.next')}: {long_date(nxt.day, language)}, "
            f"{clock_time(nxt.start)}, {nxt.place}."
        )
    parts.append(
        cats.text(
            language, "common.questions", name=content.contact.name, phone=content.contact.phone
        )
    )
    return "\n".join(parts)


def render_week_audio(content: LetterContent, cats: Catalogues | None = None) -> Audio:
    """The week as a WAV file, in the participant's language where possible (see above)."""
    executable = shutil.which("espeak-ng")
    if executable is None:
        raise SpeechUnavailable("espeak-ng not found: apt-get install espeak-ng")
    language = spoken_language(content.language)
    text = week_text(content, language, cats or catalogues())
    # The text goes in on stdin, never on the command line (no personal data in `ps`).
    result = subprocess.run(
        [executable, "-v", VOICES[language], "-s", "140", "--stdout"],
        input=text.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    return Audio(language, result.stdout)
