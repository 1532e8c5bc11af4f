"""Charts of the consultation overview as inline SVG, drawn on the server (the pages
load no script and nothing from elsewhere). Each bar carries its figures as data
attributes, so the browser test can compare what is drawn with what was counted."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from zroute_notifications.domain.overview import HoursBar, WeekAttendance

BAR_WIDTH = 400  # px for the largest figure
ROW = 34


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def hours_chart(bars: Sequence[HoursBar], labels: dict[str, str]) -> str:
    """Horizontal bars per kind of hours: target (light) behind attended (dark)."""
    top = max([b.target for b in bars] + [b.hours for b in bars] + [Decimal(1)])
    left, height = 120, ROW * len(bars) + 10
    figures = [f"{_num(b.hours)} / {_num(b.target)}" for b in bars]
    # Room after the longest bar for its figures (about 7.5 px a character at 12 px), so
    # a label such as "20371 / 19200" is not cut off at the edge.
    room = 12 + round(7.5 * max((len(f) for f in figures), default=0))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="hours-chart" role="img" '
        f'width="{left + BAR_WIDTH + room}" height="{height}" '
        f'aria-label="{escape(labels["hours_chart"])}" data-scale="{_num(top)}">'
    ]
    for n, (bar, figure) in enumerate(zip(bars, figures, strict=True)):
        y = 5 + n * ROW
        target_w = round(float(bar.target / top) * BAR_WIDTH, 2)
        hours_w = round(float(bar.hours / top) * BAR_WIDTH, 2)
        out.append(
            f'<g class="hours-row" data-kind="{bar.kind}" data-hours="{_num(bar.hours)}" '
            f'data-target="{_num(bar.target)}">'
            f'<text x="0" y="{y + 18}" font-size="13">{escape(labels.get(bar.kind, bar.kind))}</text>'
            f'<rect class="bar-target" x="{left}" y="{y}" width="{target_w}" height="24" '
            f'fill="#c9d7e8"/>'
            f'<rect class="bar-hours" x="{left}" y="{y + 4}" width="{hours_w}" height="16" '
            f'fill="#1f5a96"/>'
            f'<text x="{left + max(target_w, hours_w) + 6}" y="{y + 18}" font-size="12">'
            f"{figure}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def attendance_chart(weeks: Sequence[WeekAttendance], label: str) -> str:
    """Vertical bars: the share of sessions attended per week (100% = 120 px), each with
    its percentage above it; the bars stand on a base line 20 px down from the top of a
    full bar, so that a 100% week's label stays inside the picture (it was cut off)."""
    width = max(len(weeks), 1) * 60 + 20
    base = 140
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="attendance-chart" role="img" '
        f'width="{width}" height="{base + 30}" aria-label="{escape(label)}">'
    ]
    for n, week in enumerate(weeks):
        h = round(week.rate * 1.2, 2)
        x = 10 + n * 60
        out.append(
            f'<g class="attendance-week" data-week="{week.week}" data-rate="{week.rate}" '
            f'data-sessions="{week.sessions}" data-present="{week.present}">'
            f'<rect class="bar-rate" x="{x}" y="{base - h}" width="40" height="{h}" fill="#3b8f5a"/>'
            f'<text x="{x}" y="{base - 5 - h}" font-size="11">{week.rate}%</text>'
            f'<text x="{x}" y="{base + 18}" font-size="10">{week.week[-3:]}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)
