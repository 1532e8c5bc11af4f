"""The consultation overview of one programme: built from the read model's figures and
rendered as a page (the API, the screens and the overview message alike)."""

from __future__ import annotations

from datetime import date, timedelta

from zroute_notifications.adapters import charts
from zroute_notifications.adapters.readmodel.queries import ProgrammeFigures
from zroute_notifications.domain import overview
from zroute_notifications.service_layer.deps import Deps


def build(
    deps: Deps, programme_id: str, today: date, figures: ProgrammeFigures
) -> overview.Overview:
    """The overview of ``programme_id`` on the local day ``today``."""
    return overview.build(
        programme_id,
        today,
        figures.participants,
        figures.attendance,
        figures.items,
        lapsing_within=timedelta(days=deps.settings.overview_lapsing_within_days),
    )


def render(deps: Deps, o: overview.Overview, language: str) -> str:
    """The overview as a stand-alone HTML page in ``language``."""
    labels = deps.templates.catalogues[language]["overview"]
    base = deps.settings.service_urls.get("intake", "").rstrip("/")
    return deps.templates.render_page(
        language,
        "overview.html.j2",
        {
            "o": o,
            "L": labels,
            "language": language,
            "C": deps.templates.catalogues[language]["codes"],  # the codes' labels
            "hours_svg": charts.hours_chart(o.hours, labels),
            "attendance_svg": charts.attendance_chart(o.attendance, labels["attendance"]),
            "participant_url": f"{base}/participants",
        },
    )
