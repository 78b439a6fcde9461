"""The report's chart: done hours by tier per week, stacked bars, as PNG bytes (pure).

`Figure` is used directly, never pyplot: no global figure state, safe in threaded workers, and
no GUI backend is ever chosen."""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.render.report import TIER_NAMES
from bot.rules.day_plan import TIER_ORDER
from bot.rules.report import WeekTotals
from storage.enums import Tier

TIER_COLOURS = {Tier.first: "#2e7d32", Tier.second: "#1565c0", Tier.outside: "#ef6c00"}


def trend_chart(trend: Sequence[WeekTotals], *, title: str) -> bytes:
    figure = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(figure)  # renders with Agg; no backend is chosen process-wide
    axes = figure.add_subplot()
    labels = [week.start.strftime("%d %b") for week in trend]
    bottoms = [0.0] * len(trend)
    for tier in TIER_ORDER:
        hours = [week.done.of(tier) / 60 for week in trend]
        axes.bar(labels, hours, bottom=bottoms, label=TIER_NAMES[tier], color=TIER_COLOURS[tier])
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
