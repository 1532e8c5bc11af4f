"""The planning screens' chart geometry, without a server: what the SVGs draw must say
what their text alternatives say."""

from __future__ import annotations

from itertools import pairwise

from zroute_planning.domain.rules import PlanningRules
from zroute_planning.ui import charts

RULES = PlanningRules()


def test_the_ramp_up_steps_up_at_each_phase_and_marks_the_current_week():
    chart = charts.ramp_up(RULES, 10)
    assert [(s.from_week, s.hours_per_week) for s in chart.steps] == [
        (1, 4.0),
        (9, 7.5),
        (17, 12.0),
        (27, 18.0),
    ]
    rises = [int(part.split()[0]) for part in chart.path.split(" V ")[1:]]
    assert rises == sorted(rises, reverse=True)  # every phase higher than the one before
    assert chart.now_x is not None and chart.ticks[1][1] < chart.now_x < chart.ticks[2][1]
    assert charts.ramp_up(RULES, None).now_x is None


def test_the_ramp_up_leaves_out_week_labels_that_would_run_into_each_other():
    late = charts.ramp_up(RULES, 150)
    xs = [x for _, x in late.ticks]
    assert all(b - a >= charts.TICK_SPACE for a, b in pairwise(xs))
    assert late.ticks[0] == (1, 0)


def test_hours_bars_put_the_total_first_and_scale_to_the_longest():
    bars = charts.hours_bars(
        {"language": 400.0, "knm": 50.0},
        {"language": 900.0, "knm": 120.0},
        {"total": 1600, "language": 800, "knm": 100},
    )
    assert [b.kind for b in bars] == ["total", "language", "knm"]
    assert bars[0].attended == 450.0 and bars[0].projected == 1020.0
    assert bars[0].target_width == charts.BAR_WIDTH
    assert bars[1].attended_width * 2 == bars[1].target_width


def test_the_cohort_and_the_week_grid():
    bars = charts.cohort_bars(charts.stages(RULES), {"phase-1": 4, "paused": 2})
    assert [b.stage for b in bars][:3] == ["waiting_for_preconditions", "active", "phase-1"]
    assert {b.stage: b.width for b in bars if b.count} == {
        "phase-1": charts.BAR_WIDTH,
        "paused": charts.BAR_WIDTH // 2,
    }
    workweek = charts.week_grid([("monday", "morning", "a")])
    assert workweek.days[-1] == "friday" and workweek.parts == ["morning", "afternoon"]
    weekend = charts.week_grid([("saturday", "evening", "b")])
    assert weekend.days[-1] == "saturday" and weekend.parts[-1] == "evening"
    assert weekend.cells == {("saturday", "evening"): ["b"]}
