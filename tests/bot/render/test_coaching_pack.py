"""The coaching pack's content, as each of the two people reads it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.render.coaching_pack import AorChange, Pack, RequestRow, build_pack_message
from bot.render.position import PositionView
from bot.rules.day_plan import PlanItem, PlanView
from bot.rules.kpis import kpi_figures
from bot.rules.positions import DEFAULT_POSITION
from bot.rules.report import build_report
from tests.utils.slack_text import all_text

MONDAY = date(2026, 11, 2)
MEETING = datetime(2026, 11, 5, 15, 0, tzinfo=UTC)  # Thursday 10:00 in New York


def _pack() -> Pack:
    call = PlanItem(id=1, title="Call new leads", tier="first", minutes=60, cadence="daily")
    crm = PlanItem(id=2, title="CRM hygiene", tier="second", minutes=30, cadence="daily")
    plans = [
        PlanView(1, MONDAY, 480, (call, crm), frozenset({1, 2})),  # both done
        PlanView(2, date(2026, 11, 3), 480, (call, crm), frozenset({2})),  # the call slipped
    ]
    report = build_report(
        rep_id="UREP",
        rep_name="rob",
        week=MONDAY,
        plans=plans,
        requests=[],
        target_pct=60,
        today=date(2026, 11, 5),
    )
    figures = kpi_figures(
        DEFAULT_POSITION.kpis,
        week=MONDAY,
        entries={MONDAY: {"leads": 40, "sales": 8, "appointments": 9}},
        selling_shares={MONDAY: 60 / 120},  # as the plans below: 1h of 2h done
        selling_target_pct=60,
    )
    position = PositionView(None, DEFAULT_POSITION.title, 1, DEFAULT_POSITION, 60, figures=figures)
    return Pack(
        rep_id="UREP",
        manager_id="UMANAGER",
        meeting_at=MEETING,
        since=datetime(2026, 10, 29, 14, 0, tzinfo=UTC),
        changes=(AorChange(MEETING, "UREP", "item.added", "Prospecting"),),
        requests=(
            RequestRow("Landing page", 120, "UOTHER", "one_off", "UMANAGER", "outside"),
            RequestRow("Pipeline review", 60, "UOTHER", "joined", "UMANAGER", "second"),
        ),
        report=report,
        position=position,
    )


def test_the_rep_reads_their_pack_in_their_own_words_and_time() -> None:
    shown = all_text(build_pack_message(_pack(), reader="UREP", reader_tz="Asia/Kolkata"))
    assert "Your 1:1 with <@UMANAGER> is at *Thu 5 Nov, 20:30 (Asia/Kolkata)*" in shown
    assert "Here is your AOR since Thu 29 Oct, 19:30 (Asia/Kolkata)" in shown
    assert "• you added *Prospecting*" in shown
    assert "*Landing page* (2h) from <@UOTHER>: a one-off outside the AOR, by <@UMANAGER>" in shown
    assert "*Pipeline review* (1h) from <@UOTHER>: joined at second priority" in shown
    # Planned 3h (2 x 60m first + 2 x 30m second); done 2h: 60m first + 2 x 30m second.
    assert "First priority: 2h planned, 1h done (50%)" in shown
    assert "Done selling share*: 50% of ticked time was first priority (target 60%)" in shown
    assert "*Conversion (sales ÷ leads)*: 20% this week · target 25%, :warning: off target" in shown
    assert "*Done selling share (from ticks)*: 50% this week · target 60%, :warning:" in shown
    assert "First priority that slipped* (1)" in shown and "Call new leads" in shown


def test_the_manager_reads_the_reps_pack() -> None:
    shown = all_text(build_pack_message(_pack(), reader="UMANAGER", reader_tz="America/New_York"))
    assert "Your 1:1 with <@UREP> is at *Thu 5 Nov, 10:00 (America/New_York)*" in shown
    assert "Here is <@UREP>'s AOR since" in shown
    assert "• <@UREP> added *Prospecting*" in shown
    assert "by you" in shown
