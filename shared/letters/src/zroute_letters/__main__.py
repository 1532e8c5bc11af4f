"""The sample letter and its audio, for reviewers and the docs (made-up data only).

python -m zroute_letters pdf LANGUAGE OUT.pdf    the sample start letter
python -m zroute_letters decision LANGUAGE OUT.pdf  the sample PIP decision
python -m zroute_letters wav LANGUAGE OUT.wav    the sample week as speech
python -m zroute_letters check                   per language: missing, drafts to review
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zroute_letters import decision as decision_letter
from zroute_letters.catalogue import LANGUAGES, catalogues
from zroute_letters.letter import render_pdf
from zroute_letters.sample import decision, letter
from zroute_letters.speech import render_week_audio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zroute_letters")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("pdf", "decision", "wav"):
        command = sub.add_parser(name)
        command.add_argument("language")
        command.add_argument("out", type=Path)
    sub.add_parser("check")
    args = parser.parse_args(argv)
    if args.command == "pdf":
        args.out.write_bytes(render_pdf(letter(args.language)))
    elif args.command == "decision":
        args.out.write_bytes(decision_letter.render_pdf(decision(args.language)))
    elif args.command == "wav":
        audio = render_week_audio(letter(args.language))
        args.out.write_bytes(audio.wav)
        print(f"spoken in: {audio.language}")
    else:
        cats = catalogues()
        for language in LANGUAGES:
            missing, drafts = cats.missing(language), cats.unreviewed(language)
            print(f"{language}: {len(missing)} missing, {len(drafts)} to review {missing or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
