"""Inline SVG pictograms: the day in the week, the time on a clock face, the kind of lesson.

Plain shapes in black on white, readable when photocopied, without words in them.
"""

from __future__ import annotations

import math
from datetime import time
from typing import Final

from zroute_letters.content import TeachingForm

_INK: Final = "#1a1a1a"


def _svg(width: int, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true">{body}</svg>'
    )


def week_strip(iso_weekday: int, right_to_left: bool) -> str:
    """Seven boxes, Monday to Sunday (Sunday to Monday read from the right), one filled."""
    boxes = []
    for index in range(7):
        position = 6 - index if right_to_left else index
        x = 1 + position * 9
        fill = _INK if index + 1 == iso_weekday else "none"
        height = 12 if index < 5 else 8  # the weekend is drawn lower
        boxes.append(
            f'<rect x="{x}" y="{14 - height}" width="7" height="{height}" '
            f'fill="{fill}" stroke="{_INK}" stroke-width="1.2"/>'
        )
    return _svg(64, 16, "".join(boxes))


def clock(moment: time) -> str:
    """A clock face showing the time (hour and minute hands)."""
    minutes = moment.hour % 12 * 60 + moment.minute
    hour_angle = math.radians(minutes / 2)
    minute_angle = math.radians(moment.minute * 6)
    ticks = "".join(
        f'<line x1="{18 + 13 * math.sin(a):.1f}" y1="{18 - 13 * math.cos(a):.1f}" '
        f'x2="{18 + 15 * math.sin(a):.1f}" y2="{18 - 15 * math.cos(a):.1f}" '
        f'stroke="{_INK}" stroke-width="1.5"/>'
        for a in (math.radians(h * 30) for h in range(12))
    )
    hands = (
        f'<line x1="18" y1="18" x2="{18 + 8 * math.sin(hour_angle):.1f}" '
        f'y2="{18 - 8 * math.cos(hour_angle):.1f}" stroke="{_INK}" stroke-width="3" '
        'stroke-linecap="round"/>'
        f'<line x1="18" y1="18" x2="{18 + 12 * math.sin(minute_angle):.1f}" '
        f'y2="{18 - 12 * math.cos(minute_angle):.1f}" stroke="{_INK}" stroke-width="1.8" '
        'stroke-linecap="round"/>'
    )
    face = f'<circle cx="18" cy="18" r="16.5" fill="none" stroke="{_INK}" stroke-width="1.6"/>'
    return _svg(36, 36, face + ticks + hands)


_CLASSROOM: Final = (
    f'<rect x="2" y="2" width="32" height="18" fill="none" stroke="{_INK}" stroke-width="2"/>'
    f'<line x1="7" y1="8" x2="22" y2="8" stroke="{_INK}" stroke-width="2"/>'
    f'<line x1="7" y1="13" x2="17" y2="13" stroke="{_INK}" stroke-width="2"/>'
    + "".join(
        f'<circle cx="{x}" cy="26" r="3" fill="{_INK}"/>'
        f'<path d="M{x - 4} 35 q4 -8 8 0 z" fill="{_INK}"/>'
        for x in (9, 18, 27)
    )
)
_ONLINE: Final = (
    f'<rect x="6" y="5" width="24" height="17" rx="1.5" fill="none" stroke="{_INK}" stroke-width="2.2"/>'
    f'<path d="M2 26 h32 l-3 4 h-26 z" fill="{_INK}"/>'
    f'<circle cx="18" cy="11" r="2.6" fill="{_INK}"/>'
    f'<path d="M13 19 q5 -7 10 0 z" fill="{_INK}"/>'
)
_PRACTICE: Final = (
    f'<path d="M4 34 V16 L18 5 L32 16 V34 Z" fill="none" stroke="{_INK}" stroke-width="2.2"/>'
    f'<rect x="14" y="22" width="8" height="12" fill="{_INK}"/>'
    f'<path d="M8 12 l-6 5" stroke="{_INK}" stroke-width="2"/>'
)
_FORMS: Final = {
    TeachingForm.CLASSROOM: _CLASSROOM,
    TeachingForm.ONLINE: _ONLINE,
    TeachingForm.PRACTICE: _PRACTICE,
}


def teaching_form(form: TeachingForm) -> str:
    return _svg(36, 36, _FORMS[form])


def place_pin() -> str:
    return _svg(
        24,
        30,
        f'<path d="M12 29 C4 18 3 14 3 11 a9 9 0 0 1 18 0 c0 3 -1 7 -9 18 z" fill="{_INK}"/>'
        '<circle cx="12" cy="11" r="3.5" fill="#fff"/>',
    )


def phone() -> str:
    return _svg(
        24,
        36,
        f'<rect x="3" y="1" width="18" height="34" rx="3" fill="none" stroke="{_INK}" stroke-width="2.2"/>'
        f'<rect x="6" y="5" width="12" height="22" fill="{_INK}"/>'
        f'<circle cx="12" cy="31" r="1.8" fill="{_INK}"/>',
    )


def calendar() -> str:
    return _svg(
        36,
        36,
        f'<rect x="3" y="6" width="30" height="27" rx="2" fill="none" stroke="{_INK}" stroke-width="2.2"/>'
        f'<rect x="3" y="6" width="30" height="8" fill="{_INK}"/>'
        f'<line x1="10" y1="2" x2="10" y2="9" stroke="{_INK}" stroke-width="2.5"/>'
        f'<line x1="26" y1="2" x2="26" y2="9" stroke="{_INK}" stroke-width="2.5"/>'
        f'<rect x="20" y="20" width="8" height="8" fill="{_INK}"/>',
    )
