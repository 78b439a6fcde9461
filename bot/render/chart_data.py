"""What the charts show, as plain data (pure): the series, the target, the title and the alt
text. Kept apart from the drawing so each figure can be tested without reading pixels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.render.words import DONE_SHARE, PLANNED_SHARE, plural
from bot.rules.capacity import Load
from bot.rules.report import Report
from bot.rules.tiers import TIERS


@dataclass(frozen=True)
class TierSeries:
    """One tier's hours per week, planned and done (oldest week first)."""

    tier: str
    name: str
    colour: str
    planned: tuple[float, ...]
    done: tuple[float, ...]


@dataclass(frozen=True)
class TrendChart:
    """A rep's weeks since their first (up to 8): planned vs done per tier, and the done
    selling share (None in a week with nothing ticked) against the target."""

    rep_name: str
    weeks: tuple[date, ...]
    series: tuple[TierSeries, ...]
    done_share: tuple[float | None, ...]  # percent
    target_pct: int

    @property
    def span(self) -> str:
        first, last = self.weeks[0], self.weeks[-1]
        if first == last:
            return f"week of {first:%-d %b %Y}"
        return f"weeks of {first:%-d %b} to {last:%-d %b %Y}"

    @property
    def title(self) -> str:
        return f"{self.rep_name}: planned vs done, {self.span}"

    @property
    def alt_text(self) -> str:
        """Every figure the picture shows, in words, for a screen reader."""
        weeks = []
        for n, start in enumerate(self.weeks):
            planned = sum(s.planned[n] for s in self.series)
            done = sum(s.done[n] for s in self.series)
            share = self.done_share[n]
            said = f", {DONE_SHARE} {share:.0f}%" if share is not None else ""
            weeks.append(f"{start:%-d %b}: {hours_text(done)} of {hours_text(planned)} done{said}")
        return (
            f"Bar chart of {self.rep_name}'s planned and done hours by priority tier, "
            f"{self.span} ({plural(len(self.weeks), 'week')}), with the {DONE_SHARE} against "
            f"the {self.target_pct}% target. " + "; ".join(weeks) + "."
        )


def hours_text(hours: float) -> str:
    """`1.5h`, `3h`: hours as a chart labels them."""
    return f"{hours:.1f}".rstrip("0").rstrip(".") + "h"


def trend_chart_data(report: Report) -> TrendChart:
    """The report's trend, which starts at the rep's first week (never zeros before it)."""
    trend = report.trend
    return TrendChart(
        rep_name=report.rep_name or "unnamed member",
        weeks=tuple(w.start for w in trend),
        series=tuple(
            TierSeries(
                tier=t.tier.value,
                name=t.name,
                colour=t.colour,
                planned=tuple(w.planned.of(t.tier) / 60 for w in trend),
                done=tuple(w.done.of(t.tier) / 60 for w in trend),
            )
            for t in TIERS
        ),
        done_share=tuple(
            w.done.first / w.done.total * 100 if w.done.total else None for w in trend
        ),
        target_pct=report.target_pct,
    )


@dataclass(frozen=True)
class RepShares:
    """One rep this week: the planned selling share (committed hours) and the done one
    (ticked time); None where there is nothing to divide."""

    name: str
    planned_pct: float | None
    done_pct: float | None


@dataclass(frozen=True)
class TeamChart:
    week: date
    reps: tuple[RepShares, ...]
    target_pct: int

    @property
    def title(self) -> str:
        return f"Your team's selling share, week of {self.week:%-d %b %Y}"

    @property
    def alt_text(self) -> str:
        def pct(value: float | None) -> str:
            return f"{value:.0f}%" if value is not None else "none yet"

        reps = "; ".join(
            f"{r.name}: {PLANNED_SHARE} {pct(r.planned_pct)}, {DONE_SHARE} {pct(r.done_pct)}"
            for r in self.reps
        )
        return (
            f"Bar chart of each rep's {PLANNED_SHARE} and {DONE_SHARE}, week of "
            f"{self.week:%-d %b %Y}, against the {self.target_pct}% target. {reps}."
        )


def rep_shares(name: str, load: Load, done_first: int, done_total: int) -> RepShares:
    return RepShares(
        name=name,
        planned_pct=load.selling_share * 100 if load.total else None,
        done_pct=done_first / done_total * 100 if done_total else None,
    )


def team_chart_data(week: date, reps: Sequence[RepShares], target_pct: int) -> TeamChart:
    return TeamChart(week=week, reps=tuple(reps), target_pct=target_pct)
