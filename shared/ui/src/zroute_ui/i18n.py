"""The translation catalogue: gettext ``.po`` files (Babel), Dutch by default, English too.

Message ids are English; ``locale/nl`` holds the Dutch and ``locale/en`` the English
catalogue. The ``.po`` files are compiled in memory at start, so there is no build step
and no compiled file in the repository. Templates call ``_("...")``; Python code marks its
strings with :func:`N_` and the template translates them.

``python -m zroute_ui.i18n extract`` lists message ids found in the kit's and the services'
templates and ``ui`` modules that are missing from a catalogue.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from zroute_letters.formatting import babel_locale

LANGUAGES = ("nl", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue; translated where it is shown."""
    return message


@cache
def language_name(code: str, in_language: str) -> str:
    """The name of the language ``code`` (``ar``, ``prs``) written in ``in_language`` (the
    page's), from CLDR through Babel: "Arabisch" on a Dutch page, "Arabic" on an English
    one. A code CLDR does not know is shown as given rather than failing the page."""
    if not code:
        return code
    # Dari is ``prs`` in ISO 639-3 and ``fa_AF`` in CLDR: the letters package holds the
    # one mapping of the platform's codes to CLDR's, for the letters and the screens.
    cldr = babel_locale(code)
    try:
        names = Locale.parse(in_language).languages
    except (UnknownLocaleError, ValueError):
        return code
    name = names.get(cldr) or names.get(cldr.split("_")[0])
    return name or code


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


@cache
def translations(language: str) -> Translations:
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def catalogue_ids(language: str) -> dict[str, str]:
    """Message id -> translation (empty when untranslated) of one catalogue."""
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    found: dict[str, str] = {}
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,) * len(ids)
        found.update({str(i): str(t or "") for i, t in zip(ids, strings, strict=False)})
    return found


def source_dirs() -> list[Path]:
    """The kit's package and every installed service package with screens."""
    dirs = [Path(__file__).parent]
    for service in ("intake", "planning", "support", "notifications"):
        try:
            module = __import__(f"zroute_{service}")
        except ImportError:
            continue
        if module.__file__ is not None:
            dirs.append(Path(module.__file__).parent)
    return dirs


def extract_ids(dirs: Iterable[Path]) -> set[str]:
    """Every message id the templates (``*.html.j2``) and the screens' Python use: the
    kit's modules, and a service's ``ui`` package or module."""
    templates = ("**.html.j2", "jinja2.ext:babel_extract")
    found: set[str] = set()
    for directory in dirs:
        if directory == Path(__file__).parent:
            method_map = [("*.py", "python"), templates]
        else:
            method_map = [("ui/**.py", "python"), ("ui.py", "python"), templates]
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(directory), method_map=method_map, keywords=KEYWORDS
        ):
            if isinstance(message, tuple):
                found.update(m for m in message if m)
            elif message:
                found.add(message)
    return found


def missing() -> dict[str, list[str]]:
    used = extract_ids(source_dirs())
    return {lang: sorted(used - set(catalogue_ids(lang))) for lang in LANGUAGES}


if __name__ == "__main__":
    gaps = missing()
    for lang, ids in gaps.items():
        for message in ids:
            print(f"{lang}: {message!r}")
    sys.exit(1 if any(gaps.values()) else 0)
