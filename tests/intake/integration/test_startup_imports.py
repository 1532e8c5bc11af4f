"""The intake service starts without the libraries of its occasional files (issue 20):
openpyxl (which brings numpy and Pillow) for the spreadsheet downloads, segno for the
letters' QR codes. They were some 20 MB of every intake process and a second of its
start; they are imported on first use."""

from __future__ import annotations

import subprocess
import sys

from zroute_intake.entrypoints.http.report_files import XLSX, to_xlsx
from zroute_letters.letter import qr_svg

OCCASIONAL = ("openpyxl", "numpy", "PIL", "segno")


def test_the_service_entry_point_does_not_load_the_file_libraries():
    probe = (
        "import sys, zroute_intake.bootstrap, zroute_runtime.cli;"
        f"print(sorted(m for m in {OCCASIONAL!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]", f"imported at start: {loaded}"


def test_the_files_are_still_made_when_asked_for():
    book = to_xlsx("report", ["a", "b"], [[1, None]])
    assert book[:2] == b"PK" and XLSX.endswith("sheet")  # a zip: an .xlsx workbook
    assert qr_svg("https://example.org/p/abc").startswith("<svg")
