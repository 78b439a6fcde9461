"""The report's charts as PNG bytes (pure): a rep's planned vs done per tier per week with the
done selling share against the target, and a manager's team this week.

`Figure` is used directly, never pyplot: no global figure state, safe in threaded workers, and
no GUI backend is ever chosen. Sizes: 7.2 in at 200 dpi is 1,440 px wide, and the fonts are
set so that on a phone (the picture shown about 400 px wide) the smallest text is still about
9 px high."""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bot.render.chart_data import TeamChart, TrendChart, hours_text
from bot.render.words import DONE_SHARE, PLANNED_SHARE

WIDTH_IN, DPI = 7.2, 200
TEXT, SMALL, TITLE = 12, 11, 14
SHARE_COLOUR = "#000000"  # the done selling share: black reads against all three tier colours
TARGET_COLOUR = "#CC79A7"  # Okabe-Ito reddish purple, apart from every tier colour
PLANNED_ALPHA = 0.35  # planned bars: the tier's colour, light and hatched; done bars solid
BAR = 0.38


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _figure(height_in: float) -> Figure:
    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # renders with Agg; no backend is chosen process-wide
    return figure


def trend_chart(data: TrendChart) -> bytes:
    """Two bars a week (planned light and hatched, done solid), each stacked by tier with its
    total on top; the done selling share as a line on the right-hand axis, the target dashed."""
    figure = _figure(5.4)
    axes = figure.add_subplot()
    n = len(data.weeks)
    xs = list(range(n))
    planned_top, done_top = [0.0] * n, [0.0] * n
    for s in data.series:
        axes.bar(
            [x - BAR / 2 for x in xs],
            s.planned,
            BAR,
            bottom=planned_top,
            color=s.colour,
            alpha=PLANNED_ALPHA,
            hatch="//",
            edgecolor=s.colour,
        )
        axes.bar([x + BAR / 2 for x in xs], s.done, BAR, bottom=done_top, color=s.colour)
        planned_top = [a + b for a, b in zip(planned_top, s.planned, strict=True)]
        done_top = [a + b for a, b in zip(done_top, s.done, strict=True)]
    for x, planned, done in zip(xs, planned_top, done_top, strict=True):
        for offset, total in ((-BAR / 2, planned), (BAR / 2, done)):
            axes.annotate(
                hours_text(total),
                (x + offset, total),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=SMALL,
            )
    top = max([*planned_top, *done_top, 1.0])
    axes.set_ylim(0, top * 1.3)  # room for the labels: no bar touches the top
    axes.set_xticks(xs, [f"{w:%-d %b}" for w in data.weeks], fontsize=TEXT)
    axes.set_xlim(-0.6, n - 0.4)
    axes.set_ylabel("Hours (planned | done)", fontsize=TEXT)
    axes.tick_params(axis="y", labelsize=TEXT)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    _share_axis(axes, xs, data)
    axes.set_title(data.title, fontsize=TITLE)
    handles = [
        *(Patch(color=s.colour, label=s.name) for s in data.series),
        Patch(facecolor="#bbbbbb", hatch="//", edgecolor="#777777", label="Planned (hatched)"),
        Patch(color="#777777", label="Done (solid)"),
        Line2D([], [], color=SHARE_COLOUR, marker="o", label=DONE_SHARE.capitalize()),
        Line2D([], [], color=TARGET_COLOUR, linestyle="--", label=f"Target {data.target_pct}%"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=SMALL)
    return _png(figure)


def _share_axis(axes: Axes, xs: list[int], data: TrendChart) -> None:
    share = axes.twinx()
    share.set_ylim(0, 110)
    share.set_ylabel(f"{DONE_SHARE.capitalize()} (%)", fontsize=TEXT)
    share.tick_params(axis="y", labelsize=TEXT)
    share.axhline(data.target_pct, color=TARGET_COLOUR, linestyle="--", linewidth=2)
    points = [(x, v) for x, v in zip(xs, data.done_share, strict=True) if v is not None]
    if points:
        share.plot(
            [x for x, _ in points],
            [v for _, v in points],
            color=SHARE_COLOUR,
            marker="o",
            linewidth=2,
        )
        for x, v in points:
            share.annotate(
                f"{v:.0f}%",
                (x, v),
                xytext=(8, -4),
                textcoords="offset points",
                fontsize=SMALL,
                fontweight="bold",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
            )


def team_chart(data: TeamChart) -> bytes:
    """Each rep's planned (hatched) and done (solid) selling share this week, side by side,
    against the target line; a rep with nothing to show gets no bar and says so."""
    figure = _figure(2.2 + 0.7 * len(data.reps))
    axes = figure.add_subplot()
    ys = list(range(len(data.reps)))
    for y, rep in zip(ys, data.reps, strict=True):
        for offset, value, planned in (
            (-BAR / 2, rep.planned_pct, True),
            (BAR / 2, rep.done_pct, False),
        ):
            shown = value if value is not None else 0.0
            axes.barh(
                y + offset,
                shown,
                BAR,
                color="#009E73",
                edgecolor="#009E73",
                alpha=PLANNED_ALPHA if planned else 1.0,
                hatch="//" if planned else None,
            )
            kind = "planned" if planned else "done"
            label = f"{value:.0f}% {kind}" if value is not None else f"{kind}: none yet"
            axes.annotate(
                label,
                (shown, y + offset),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=SMALL,
            )
    axes.axvline(data.target_pct, color=TARGET_COLOUR, linestyle="--", linewidth=2)
    axes.set_yticks(ys, [r.name for r in data.reps], fontsize=TEXT)
    axes.invert_yaxis()  # the first rep on top, as in the team table
    axes.set_xlim(0, 118)
    axes.set_xlabel("Selling share (%)", fontsize=TEXT)
    axes.tick_params(axis="x", labelsize=TEXT)
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    axes.set_title(data.title, fontsize=TITLE)
    handles = [
        Patch(facecolor="#009E73", alpha=PLANNED_ALPHA, hatch="//", label=PLANNED_SHARE),
        Patch(color="#009E73", label=DONE_SHARE),
        Line2D([], [], color=TARGET_COLOUR, linestyle="--", label=f"target {data.target_pct}%"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=SMALL)
    return _png(figure)
