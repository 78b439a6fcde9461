"""KPI maths (pure): a week's figure for each KPI of a position (typed, a ratio of two typed
keys, or the selling share from ticks), its target and its trend. Computed, never typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot.rules.positions import KpiDef

TREND_WEEKS = 4  # like the activity report: the 4 weeks ending with the one shown
WEEK = timedelta(days=7)

Entries = Mapping[date, Mapping[str, float]]  # week start -> key -> the latest value logged


@dataclass(frozen=True)
class KpiFigure:
    kpi: KpiDef
    target: float | None
    trend: tuple[float | None, ...]  # oldest first, ending with the week shown

    @property
    def value(self) -> float | None:
        return self.trend[-1]

    @property
    def on_target(self) -> bool | None:
        """None when there is no figure or no target to judge it by."""
        if self.value is None or self.target is None:
            return None
        if self.kpi.higher_is_better:
            return self.value >= self.target
        return self.value <= self.target


def week_value(
    kpi: KpiDef, logged: Mapping[str, float], selling_share: float | None
) -> float | None:
    """One week's figure: as logged; a ratio of its two logged parts (in % when its unit is
    %, None when the divisor is 0 or missing); or the done selling share (in %)."""
    if kpi.from_ticks:
        return None if selling_share is None else selling_share * 100
    if kpi.ratio is None:
        return logged.get(kpi.key)
    top, bottom = (logged.get(k) for k in kpi.ratio)
    if top is None or not bottom:
        return None
    return top / bottom * (100 if kpi.percent else 1)


def kpi_figures(
    kpis: tuple[KpiDef, ...],
    *,
    week: date,
    entries: Entries,
    selling_shares: Mapping[date, float | None],
    selling_target_pct: int,
) -> tuple[KpiFigure, ...]:
    starts = [week - WEEK * back for back in reversed(range(TREND_WEEKS))]
    return tuple(
        KpiFigure(
            kpi=kpi,
            target=float(selling_target_pct) if kpi.from_ticks else kpi.target,
            trend=tuple(
                week_value(kpi, entries.get(start, {}), selling_shares.get(start))
                for start in starts
            ),
        )
        for kpi in kpis
    )
