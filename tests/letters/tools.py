"""The Debian tools the letter tests need; a missing one fails the test, saying what to install."""

from __future__ import annotations

import shutil
import subprocess

import pytest

PACKAGES = {
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdffonts": "poppler-utils",
    "espeak-ng": "espeak-ng",
    "fc-list": "fontconfig",
}
# The fonts the letter names, by the script they cover (Debian fonts-noto-core has them all).
FONTS = {
    "Latin and Cyrillic": "Noto Sans",
    "Arabic script": "Noto Naskh Arabic",
    "Ethiopic script (Tigrinya)": "Noto Sans Ethiopic",
}


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(
            f"{tool} is missing: apt-get install {PACKAGES[tool]} (bash .ci/run installs it)",
            pytrace=False,
        )
    return path


def require_fonts() -> None:
    families = subprocess.run(
        [require("fc-list"), ":", "family"], capture_output=True, text=True, check=True
    ).stdout
    missing = [f"{font} ({script})" for script, font in FONTS.items() if font not in families]
    if missing:
        pytest.fail(
            f"fonts missing: {missing}: apt-get install fonts-noto-core (bash .ci/run installs it)",
            pytrace=False,
        )


def require_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # pango is loaded through cffi when weasyprint is imported
        pytest.fail(
            f"WeasyPrint cannot load pango ({error}): apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 libharfbuzz-subset0 (bash .ci/run installs them)",
            pytrace=False,
        )
