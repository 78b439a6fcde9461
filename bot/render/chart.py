"""The report's chart: done hours by tier per week, stacked bars, as PNG bytes (pure).

`Figure` is used directly, never pyplot: no global figure state, safe in threaded workers, and
no GUI backend is ever chosen."""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.rules.report import WeekTotals
from bot.rules.tiers import TIERS


def trend_chart(trend: Sequence[WeekTotals], *, title: str) -> bytes:
    figure = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(figure)  # renders with Agg; no backend is chosen process-wide
    axes = figure.add_subplot()
    labels = [week.start.strftime("%d %b") for week in trend]
    bottoms = [0.0] * len(trend)
    for t in TIERS:
        hours = [week.done.of(t.tier) / 60 for week in trend]
        axes.bar(labels, hours, bottom=bottoms, label=t.name, color=t.colour)
        bottoms = [b + h for b, h in zip(bottoms, hours, strict=True)]
    axes.set_title(title, fontsize=10)
    axes.set_xlabel("Week starting")
    axes.set_ylabel("Hours done")
    # Below the plot, so it never hides a bar.
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, fontsize=8, frameon=False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
