"""Message rendering: each catalogue entry is compiled once, not once per message."""

from __future__ import annotations

import json

from jinja2 import Environment
from zroute_notifications.adapters.rendering import Templates


def test_a_catalogue_entry_is_compiled_once_however_many_messages_use_it(
    tmp_path, monkeypatch
) -> None:
    """A digest round renders the same entries for many events: compiling each every time
    was a sixth of the service's CPU. The text and the escaped HTML stay as they were."""
    catalogue = {
        "language": "en",
        "codes": {},
        "ui": {},
        "messages": {"thing-happened": {"subject": "About {{ p }}", "body": "<{{ e.what }}>"}},
    }
    (tmp_path / "messages.en.json").write_text(json.dumps(catalogue))
    templates = Templates(tmp_path)
    compiled = []
    original = Environment.from_string

    def counting(self, source, *args, **kwargs):
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(Environment, "from_string", counting)
    parts = [
        templates.render_part("en", "thing-happened", {"p": f"p-{n}", "e": {"what": "x&y"}}, "")
        for n in range(20)
    ]
    assert len(compiled) == 3, compiled  # subject, text body, HTML body
    assert parts[7].subject == "About p-7"
    assert parts[7].text == "<x&y>"
    assert parts[7].html == "<x&amp;y>"  # the value escaped, the template as written
