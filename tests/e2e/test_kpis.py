"""Issue 11: the KPI log. Figures for a seeded month give the hand-computed conversion and
trend; bad input is refused with the key named and nothing saved; a manager logs for their rep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, func, select

from bot.core.clock import local_date
from bot.core.ids import kpi_block_id
from bot.rules.day_plan import week_start
from sandbox import FakeSlack, SlackSide
from storage import audit
from storage.models import KpiEntry
from storage.types import utcnow
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, replies
from tests.utils.wait import eventually

TEAM = "T0001"
WEEK = timedelta(days=7)


def _this_week() -> Any:
    return week_start(local_date(utcnow(), "America/Los_Angeles"))  # UREP's time zone


def _say(slack: SlackSide, fake: FakeSlack, text: str, user: str = "UREP") -> str:
    url = slack.command(text, user_id=user).response_url
    return eventually(lambda: replies(fake, url))[0]


def _entries(running: RunningApp) -> int:
    with running.rt.db.transaction() as session:
        return session.exec(select(func.count()).select_from(KpiEntry)).one()


def _seed(running: RunningApp, week: Any, **values: float) -> None:
    with running.rt.db.transaction() as session:
        for key, value in values.items():
            session.add(
                KpiEntry(
                    team_id=TEAM, user_id="UREP", week=week, key=key, value=value, entered_by="UREP"
                )
            )


def test_a_month_of_figures_gives_the_hand_computed_conversion_and_trend(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    now = _this_week()
    # Three weeks ago: 8 sales of 40 leads = 20%; 10 appointments (target 10: on target).
    _seed(running, now - 3 * WEEK, leads=40, appointments=10, sales=8)
    # Two weeks ago: 10 of 50 = 20%.
    _seed(running, now - 2 * WEEK, leads=50, appointments=8, sales=10)
    # Last week, typed with a mistake (6 sales) and corrected: 12 of 40 = 30%.
    told = _say(slack, fake, "kpi leads=40 appointments=11 sales=6 week:last")
    assert f"Logged for your week of {(now - WEEK).isoformat()}" in told
    _say(slack, fake, "kpi sales=12 week:last")
    # This week: 8 of 40 = 20%, under the 25% target; 9 appointments, under 10.
    told = _say(slack, fake, "kpi leads=40 appointments=9 sales=8")
    assert f"Logged for your week of {now.isoformat()}: leads 40, appointments 9, sales 8." in told
    conversion = (
        "• *Conversion (sales ÷ leads)*: 20% this week · target 25%, :warning: off target · "
        "4 weeks: 20% → 20% → 30% → 20%"
    )
    assert conversion in told
    assert (
        "• *Appointments*: 9 this week · target 10 per week, :warning: off target · "
        "4 weeks: 10 → 8 → 11 → 9"
    ) in told
    assert "• *Leads engaged*: 40 this week · 4 weeks: 40 → 50 → 40 → 40" in told

    # The correction is history, not an overwrite: both of last week's sales figures are kept.
    with running.rt.db.transaction() as session:
        sales = session.exec(
            select(KpiEntry.value)
            .where(KpiEntry.key == "sales", KpiEntry.week == now - WEEK)
            .order_by(col(KpiEntry.id))
        ).all()
        events = audit.events_for_member(session=session, team_id=TEAM, member_id="UREP")
    assert sales == [6, 12]
    correction = [e for e in events if e.action == "kpi.logged"][1]
    assert correction.before == {"week": (now - WEEK).isoformat(), "sales": 6}
    assert correction.after == {"week": (now - WEEK).isoformat(), "sales": 12}

    slack.command("report", user_id="UREP")
    report = eventually(
        lambda: next(
            (m for m in fake.dm_messages("UREP") if "KPIs vs targets" in all_text(m)), None
        )
    )
    assert conversion in all_text(report)
    slack.app_home_opened("UREP")
    home = eventually(lambda: (h := fake.home("UREP")) and "this week" in all_text(h) and h)
    assert conversion in all_text(home)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("kpi leads=40 calls=12", "'calls' is not a KPI of your position"),
        ("kpi leads=40 sales=eight", "'sales': couldn't read 'eight' as a number"),
        ("kpi leads=40 sales=-3", "'sales' can't be negative"),
        ("kpi leads=40 conversion=25", "'conversion' is computed (sales ÷ leads), never typed"),
        ("kpi leads=40 selling_share=70", "'selling_share' is computed from your checklist"),
        ("kpi leads=40 sales=nan", "'sales': couldn't read 'nan'"),
    ],
)
def test_bad_input_is_refused_with_the_key_named_and_nothing_saved(
    text: str, named: str, slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    told = _say(slack, fake, text)
    assert told.startswith("Nothing was saved")
    assert named in told
    assert _entries(running) == 0


def test_a_manager_logs_for_their_rep_and_nobody_else_may(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    told = _say(slack, fake, "kpi <@UREP|rob> leads=30 sales=9", user="UMANAGER")
    assert told.startswith(f"Logged for <@UREP>'s week of {_this_week().isoformat()}")
    assert "30% this week" in told  # 9 of 30
    refused = _say(slack, fake, "kpi <@UREP|rob> leads=99", user="UOTHER")
    assert "Only <@UREP>, their manager of record or an admin can log their KPIs" in refused
    with running.rt.db.transaction() as session:
        rows = session.exec(select(KpiEntry.key, KpiEntry.entered_by)).all()
    assert sorted(rows) == [("leads", "UMANAGER"), ("sales", "UMANAGER")]


def test_the_form_shows_this_weeks_figures_and_refuses_a_bad_one(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _say(slack, fake, "kpi leads=40 sales=8")
    slack.command("kpi", user_id="UREP")
    view = eventually(lambda: fake.calls_to("views.open") and fake.last_view())
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [kpi_block_id(k) for k in ("leads", "appointments", "sales")]
    assert inputs[kpi_block_id("leads")]["initial_value"] == "40"
    assert "Conversion (sales ÷ leads): 20%" in all_text(view)  # shown, never asked for

    bad = slack.submit_view(
        user_id="UREP", answers={"kpi_leads": "50", "kpi_appointments": "lots"}, view=view
    )
    assert bad.json["response_action"] == "errors"
    assert (
        "'appointments': couldn't read 'lots'" in bad.json["errors"][kpi_block_id("appointments")]
    )
    assert _entries(running) == 2  # leads=50 was not saved either

    good = slack.submit_view(
        user_id="UREP", answers={"kpi_leads": "50", "kpi_appointments": "10"}, view=view
    )
    assert good.status == 200 and good.body == ""
    told = eventually(
        lambda: next((m["text"] for m in fake.dm_messages("UREP") if "Logged" in m["text"]), None)
    )
    assert "leads 50, appointments 10" in told and "16% this week" in told  # 8 of 50
