"""Issue 12, must show 5: no morning plan on a public holiday of the member's calendar (their
own, else the workspace's default), and that week's capacity reduced by the holiday's share."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from bot.jobs.scheduler import tick
from sandbox import FakeSlack, SlackSide
from storage import team_settings
from storage.models import DailyPlan, Member
from tests.utils.seed import item_rows, member_rows, seed
from tests.utils.server import RunningApp

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
