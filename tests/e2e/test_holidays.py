"""Issue 12, must show 5: no morning plan on a public holiday of the member's calendar (their
own, else the workspace's default), and that week's capacity reduced by the holiday's share."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlmodel import select

from bot.core.ids import Block
from bot.jobs.scheduler import tick
from sandbox import FakeSlack, SlackSide
from storage import audit, team_settings
from storage.models import DailyPlan, Member
from tests.utils.people import name_manager
from tests.utils.seed import item_rows, member_rows, seed
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, replies
from tests.utils.wait import eventually

TEAM = "T0001"


def _member(
    running: RunningApp, user: str, *, tz: str, calendar: str | None, due: datetime
) -> None:
    with running.rt.db.transaction() as session:
        rows = member_rows(TEAM, [user], tz=tz, next_plan_at=due)
        rows[0]["holiday_calendar"] = calendar
        seed(session, rows, item_rows(TEAM, user, 3))


def _next(running: RunningApp, user: str) -> datetime:
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, user))
        assert member is not None and member.next_plan_at is not None
        return member.next_plan_at


def _plan_dates(running: RunningApp, user: str) -> list[date]:
    with running.rt.db.transaction() as session:
        plans = session.exec(select(DailyPlan).where(DailyPlan.user_id == user))
        return sorted(p.plan_date for p in plans)


def _run_due(running: RunningApp, user: str) -> date:
    """One tick just after the member's next plan time; the local date it was for."""
    due = _next(running, user)
    tick(running.rt, now=due + timedelta(minutes=1))
    return due.date()


def test_england_has_no_plan_on_christmas_or_boxing_day_observed_but_the_us_does(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    # Plans at 08:30 local: 08:30 UTC in London in December, 16:30 UTC in Los Angeles.
    _member(
        running,
        "UREP2",
        tz="Europe/London",
        calendar="GB-ENG",
        due=datetime(2026, 12, 25, 8, 30, tzinfo=UTC),
    )
    _member(
        running,
        "UREP",
        tz="America/Los_Angeles",
        calendar="US",
        due=datetime(2026, 12, 28, 16, 30, tzinfo=UTC),
    )
    assert _run_due(running, "UREP2") == date(2026, 12, 25)  # Christmas Day: none
    assert _plan_dates(running, "UREP2") == []
    assert _run_due(running, "UREP2") == date(2026, 12, 28)  # Boxing Day (observed): none
    assert _plan_dates(running, "UREP2") == []
    assert _run_due(running, "UREP") == date(2026, 12, 28)  # a workday in the US
    assert _plan_dates(running, "UREP") == [date(2026, 12, 28)]
    assert _run_due(running, "UREP2") == date(2026, 12, 29)
    assert _plan_dates(running, "UREP2") == [date(2026, 12, 29)]

    assert len(fake.dm_messages("UREP2")) == 1 and len(fake.dm_messages("UREP")) == 1


def test_a_member_without_a_calendar_follows_the_workspace_default(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    christmas = datetime(2026, 12, 25, 8, 30, tzinfo=UTC)
    _member(running, "UREP2", tz="Europe/London", calendar=None, due=christmas)
    _member(running, "UOTHER", tz="Europe/London", calendar="none", due=christmas)
    with running.rt.db.transaction() as session:
        team_settings.set_holiday_calendar(session=session, team_id=TEAM, calendar="GB-ENG")
    tick(running.rt, now=christmas + timedelta(minutes=1))
    assert _plan_dates(running, "UREP2") == []  # the workspace's England calendar
    assert _plan_dates(running, "UOTHER") == [date(2026, 12, 25)]  # chose no holidays


def _answer(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> str:
    result = slack.command(text, user_id=user)
    return eventually(lambda: replies(fake, result.response_url))[-1]


def test_settings_show_and_change_the_member_calendar_and_the_workspace_default(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    told = _answer(slack, fake, "settings holidays GB-ENG", user="UREP")
    assert "Only an admin of the bot or a manager of record" in told
    told = _answer(slack, fake, "settings holidays Narnia", user="UADMIN")
    assert "Couldn't read 'Narnia' as a holiday calendar" in told
    told = _answer(slack, fake, "settings holidays us", user="UADMIN")
    assert "Saved. Workspace holiday calendar: United States." in told
    with running.rt.db.transaction() as session:
        assert team_settings.holiday_calendar(session=session, team_id=TEAM) == "US"
        [event] = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="team", subject_id=TEAM
        )
    assert (event.action, event.actor_id, event.after) == (
        "team.holiday_calendar",
        "UADMIN",
        {"holiday_calendar": "US"},
    )

    slack.command("settings", user_id="UREP2")
    view = eventually(lambda: fake.calls_to("views.open") and fake.last_view())
    assert "follow the workspace (United States)" in all_text(view)
    answers = {Block.plan_time: "08:30", Block.workdays: ["0", "1", "2", "3", "4"]}
    answers |= {Block.capacity: "40"}
    bad = slack.submit_view(user_id="UREP2", answers=answers | {Block.holidays: "GB-XYZ"})
    assert bad.json["response_action"] == "errors"
    assert "no region 'XYZ'" in bad.json["errors"][Block.holidays]
    good = slack.submit_view(user_id="UREP2", answers=answers | {Block.holidays: "gb eng"})
    assert good.status == 200 and not good.body
    reply = eventually(lambda: fake.dm_messages("UREP2"))[-1]["text"]
    assert "Public holidays: United Kingdom (ENG)." in reply
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, "UREP2"))
    assert member is not None and member.holiday_calendar == "GB-ENG"


def test_a_holiday_takes_its_share_off_that_weeks_capacity_in_the_impact(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    with running.rt.db.transaction() as session:
        rows = member_rows(TEAM, ["UREP2"], tz="Europe/London", next_plan_at=None)
        seed(session, [{**rows[0], "holiday_calendar": "GB-ENG"}], [])
    name_manager(slack, fake, "UREP2")
    # The week of Christmas Day (a Friday): four workdays of five, so 32h of 40h.
    with time_machine.travel(datetime(2026, 12, 22, 12, 0, tzinfo=UTC), tick=True):
        slack.command("add-task <@UREP2|rita> Landing page 3h weekly", user_id="UMANAGER")
        card = eventually(lambda: next(iter(fake.dm_messages("UMANAGER")), None))
    assert "Now: nothing committed yet, 32h available" in all_text(
        card
    ) and "3h of 32h" in all_text(card)
