"""docs/security.md shows the access matrix the code enforces, not an older copy."""

from __future__ import annotations

from pathlib import Path

from zroute_runtime.auth.matrix import render_markdown

DOC = Path(__file__).parents[2] / "docs" / "security.md"


def test_the_security_document_holds_the_matrix_the_services_enforce():
    assert render_markdown() in DOC.read_text(), (
        "regenerate the matrix in docs/security.md from zroute_runtime.auth.matrix.render_markdown()"
    )
