"""The charts: their data (planned and done per tier, the done selling share, the target, the
weeks since the rep's first) and PNGs wide enough for a coaching meeting on any screen."""

from __future__ import annotations

import struct
from datetime import date, timedelta

import pytest

from bot.render.chart import team_chart, trend_chart
from bot.render.chart_data import rep_shares, team_chart_data, trend_chart_data
from bot.rules.capacity import Load
from bot.rules.day_plan import PlanItem, PlanView
from bot.rules.report import TREND_WEEKS, build_report
from bot.rules.tiers import TIERS

MONDAY = date(2026, 11, 30)
WEEK = timedelta(days=7)
CALLS = PlanItem(id=1, title="Calls", tier="first", minutes=120, cadence="daily")
SITE = PlanItem(id=2, title="Landing page", tier="second", minutes=180, cadence="weekly")
BOOTH = PlanItem(id=3, title="Booth", tier="outside", minutes=60, cadence="once")


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (bytes 16-24)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _plan(day: date, items: tuple[PlanItem, ...], ticked: set[int]) -> PlanView:
    return PlanView(day.toordinal(), day, 480, items, frozenset(ticked))


def _report(first_week: date | None, plans: list[PlanView]):  # type: ignore[no-untyped-def]
    return build_report(
        rep_id="UROB",
        rep_name="Rob",
        week=MONDAY,
        plans=plans,
        requests=[],
        target_pct=60,
        today=MONDAY + timedelta(days=4),
        first_week=first_week,
    )


def test_the_trend_data_has_planned_and_done_per_tier_the_share_and_the_target() -> None:
    plans = [
        _plan(MONDAY - WEEK, (CALLS, SITE), {1, 2}),  # last week: all done
        _plan(MONDAY, (CALLS, SITE, BOOTH), {1}),  # this week: only the calls
    ]
    data = trend_chart_data(_report(MONDAY - WEEK, plans))

    assert data.weeks == (MONDAY - WEEK, MONDAY)  # from the rep's first week, nothing before
    by_tier = {s.tier: (s.planned, s.done) for s in data.series}
    assert list(by_tier) == [t.tier.value for t in TIERS]
    assert by_tier["first"] == ((2.0, 2.0), (2.0, 2.0))
    assert by_tier["second"] == ((3.0, 3.0), (3.0, 0.0))  # planned but undone: visible
    assert by_tier["outside"] == ((0.0, 1.0), (0.0, 0.0))
    assert data.done_share == (pytest.approx(40.0), 100.0)  # 2h of 5h, then 2h of 2h
    assert data.target_pct == 60
    assert data.title == "Rob: planned vs done, weeks of 23 Nov to 30 Nov 2026"
    assert "Rob's planned and done hours" in data.alt_text
    assert "30 Nov: 2h of 6h done, done selling share 100%" in data.alt_text
    assert "the 60% target" in data.alt_text


def test_a_week_with_nothing_ticked_has_no_share_point() -> None:
    data = trend_chart_data(_report(MONDAY, [_plan(MONDAY, (CALLS,), set())]))

    assert data.weeks == (MONDAY,) and data.done_share == (None,)
    assert data.title == "Rob: planned vs done, week of 30 Nov 2026"


def test_an_older_rep_sees_eight_weeks_at_most() -> None:
    first = MONDAY - 20 * WEEK
    data = trend_chart_data(_report(first, [_plan(first, (CALLS,), {1})]))

    assert len(data.weeks) == TREND_WEEKS == 8
    assert data.weeks[0] == MONDAY - 7 * WEEK and data.weeks[-1] == MONDAY


def test_the_trend_png_is_at_least_1400_px_wide() -> None:
    plans = [_plan(MONDAY - n * WEEK, (CALLS, SITE, BOOTH), {1, 3}) for n in range(8)]
    png = trend_chart(trend_chart_data(_report(MONDAY - 7 * WEEK, plans)))

    width, height = _png_size(png)
    assert width >= 1400 and height >= 900


def test_the_team_chart_shows_each_reps_two_shares_against_the_target() -> None:
    reps = [
        rep_shares("Rob", Load(first=600, second=180, capacity=2400), 180, 180),
        rep_shares("Rita", Load(capacity=2400), 0, 0),  # nothing committed, nothing ticked
    ]
    data = team_chart_data(MONDAY, reps, 60)

    assert [(r.name, r.planned_pct, r.done_pct) for r in data.reps] == [
        ("Rob", pytest.approx(600 / 780 * 100), 100.0),
        ("Rita", None, None),
    ]
    assert data.title == "Your team's selling share, week of 30 Nov 2026"
    assert "Rita: planned selling share none yet, done selling share none yet" in data.alt_text
    width, _ = _png_size(team_chart(data))
    assert width >= 1400


def test_one_colour_blind_safe_palette_for_the_tiers_everywhere() -> None:
    """Okabe-Ito: bluish green, blue, orange; the report's lines carry the nearest emoji."""
    assert [(t.colour, t.marker) for t in TIERS] == [
        ("#009E73", ":large_green_square:"),
        ("#0072B2", ":large_blue_square:"),
        ("#E69F00", ":large_orange_square:"),
    ]
    data = trend_chart_data(_report(MONDAY, [_plan(MONDAY, (CALLS,), {1})]))
    assert [s.colour for s in data.series] == [t.colour for t in TIERS]
