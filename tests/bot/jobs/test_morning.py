"""When morning plans go out (issue 4, must show 1): at plan time in each rep's own zone across
DST, never on a day off or while out of office, late plans skipped, a new Slack time zone
followed, and a failing plan pass that does not stop delivery. The real app and scheduler tick
against the fake Slack, with the clock moved by time-machine."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import select

from bot.jobs.scheduler import tick
from bot.services.members import ensure_member
from sandbox import FakeSlack, SlackSide
from storage import outbox as outbox_store
from storage import plans as plan_store
from storage.db import Database
from storage.enums import OutboxKind, PlanStatus
from storage.models import DailyPlan, Member
from storage.types import utcnow
from tests.utils.seed import item_rows, member_rows, seed
from tests.utils.server import RunningApp
from tests.utils.slack_text import replies
from tests.utils.wait import eventually

TEAM = "T0001"


def _local(tz: str, day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _plan_posts(fake: FakeSlack, user: str) -> list[float]:
    """When each plan DM was posted to `user` (chat.postMessage, as the fake saw it)."""
    return [
        c.at
        for c in fake.calls_to("chat.postMessage")
        if c.args.get("channel") == user
        and c.response.get("ok")
        and str(c.args.get("text", "")).startswith("Your plan for")
    ]


def _tick_at(running: RunningApp, at: datetime) -> None:
    with time_machine.travel(at, tick=True):
        tick(running.rt, now=at)


def _member(running: RunningApp, user: str) -> Member:
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, user))
    assert member is not None
    return member


def _command(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> str:
    """Run a command and wait for its answer (while the travelled clock still holds)."""
    result = slack.command(text, user_id=user)
    return eventually(lambda: replies(fake, result.response_url))[-1]


# (user, zone, a Friday, the Monday after): LA and Auckland change their clocks that weekend.
ZONES = [
    ("UREP", "America/Los_Angeles", date(2026, 3, 6), date(2026, 3, 9)),
    ("UKOLKATA", "Asia/Kolkata", date(2026, 3, 6), date(2026, 3, 9)),
    ("UAUCKLAND", "Pacific/Auckland", date(2026, 4, 3), date(2026, 4, 6)),
]


@pytest.mark.parametrize(("user", "tz", "friday", "monday"), ZONES, ids=[z[1] for z in ZONES])
def test_plan_at_0830_local_across_dst_none_on_weekend_or_while_ooo(
    running: RunningApp,
    slack: SlackSide,
    fake: FakeSlack,
    user: str,
    tz: str,
    friday: date,
    monday: date,
) -> None:
    fake.add_user(user, name=user.lower(), tz=tz)
    day = timedelta(days=1)
    # Thursday noon: the rep adds an item (first contact creates the member row).
    with time_machine.travel(_local(tz, friday - day, 12, 0), tick=True):
        _command(slack, fake, "add Prospecting calls 2h first daily", user)
    _tick_at(running, _local(tz, friday - day, 12, 0))  # gives the newcomer a plan time
    assert _member(running, user).next_plan_at == _local(tz, friday, 8, 30)

    _tick_at(running, _local(tz, friday, 8, 29))
    assert _plan_posts(fake, user) == []
    friday_0830 = _local(tz, friday, 8, 30)
    _tick_at(running, friday_0830)
    [posted] = _plan_posts(fake, user)
    assert abs(posted - friday_0830.timestamp()) < 5
    _tick_at(running, _local(tz, friday, 8, 31))
    _tick_at(running, _local(tz, friday + day, 8, 30))  # Saturday
    _tick_at(running, _local(tz, friday + 2 * day, 8, 30))  # Sunday
    assert len(_plan_posts(fake, user)) == 1

    monday_0830 = _local(tz, monday, 8, 30)
    assert _member(running, user).next_plan_at == monday_0830
    _tick_at(running, monday_0830 - timedelta(minutes=1))
    assert len(_plan_posts(fake, user)) == 1
    _tick_at(running, monday_0830)
    assert len(_plan_posts(fake, user)) == 2
    assert abs(_plan_posts(fake, user)[-1] - monday_0830.timestamp()) < 5

    # Out of office Tuesday and Wednesday; back on Thursday.
    with time_machine.travel(_local(tz, monday, 12, 0), tick=True):
        _command(slack, fake, f"ooo {(monday + 3 * day).isoformat()}", user)
    assert _member(running, user).ooo_until == monday + 3 * day
    for offset in (1, 2):
        _tick_at(running, _local(tz, monday + offset * day, 8, 30))
    assert len(_plan_posts(fake, user)) == 2
    _tick_at(running, _local(tz, monday + 3 * day, 8, 30))
    assert len(_plan_posts(fake, user)) == 3

    with running.rt.db.transaction() as session:
        plans = session.exec(select(DailyPlan).where(DailyPlan.user_id == user)).all()
    assert sorted(p.plan_date for p in plans) == [friday, monday, monday + 3 * day]
    assert {p.status for p in plans} == {PlanStatus.sent}


def _seed_due(running: RunningApp, user: str, due: datetime) -> None:
    with running.rt.db.transaction() as session:
        seed(
            session,
            member_rows(TEAM, [user], tz="America/Los_Angeles", next_plan_at=due),
            item_rows(TEAM, user, 3),
        )


def test_a_plan_more_than_four_hours_late_is_skipped_and_logged(
    running: RunningApp, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    due = _local("America/Los_Angeles", date(2026, 3, 6), 8, 30)
    _seed_due(running, "UREP", due)
    _tick_at(running, due + timedelta(hours=4, minutes=1))
    assert _plan_posts(fake, "UREP") == []
    assert "plan.skipped_overdue" in caplog.text
    with running.rt.db.transaction() as session:
        plan = plan_store.get_plan(
            session=session, team_id=TEAM, user_id="UREP", plan_date=date(2026, 3, 6)
        )
    assert plan is not None and plan.status == PlanStatus.skipped
    assert _member(running, "UREP").next_plan_at == due + timedelta(days=3, hours=-1)  # DST


def test_a_plan_a_few_hours_late_still_goes_out(running: RunningApp, fake: FakeSlack) -> None:
    due = _local("America/Los_Angeles", date(2026, 3, 6), 8, 30)
    _seed_due(running, "UREP", due)
    _tick_at(running, due + timedelta(hours=3))
    assert len(_plan_posts(fake, "UREP")) == 1


def test_a_member_with_an_unreadable_time_zone_holds_back_no_one(
    running: RunningApp, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    due = utcnow() - timedelta(minutes=1)
    with running.rt.db.transaction() as session:
        seed(
            session,
            [
                *member_rows(TEAM, ["UBROKEN"], tz="Mars/Olympus", next_plan_at=due),
                *member_rows(TEAM, ["UREP"], tz="America/Los_Angeles", next_plan_at=due),
            ],
            [*item_rows(TEAM, "UBROKEN", 2), *item_rows(TEAM, "UREP", 2)],
        )
    tick(running.rt)
    assert len(fake.dm_messages("UREP")) == 1  # batched with the broken row, planned anyway
    with running.rt.db.transaction() as session:
        broken = session.get(Member, (TEAM, "UBROKEN"))
        assert broken is not None and not broken.plans_enabled
    assert [r for r in caplog.records if r.getMessage() == "plans.stopped_unknown_tz"]


def test_a_failing_plan_pass_still_drains_the_outbox(
    running: RunningApp, fake: FakeSlack, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # Written outside the app's runtime, as a process that died before delivering would leave it.
    with db.transaction() as session:
        rows = member_rows(TEAM, ["UBROKEN"], tz="UTC", next_plan_at=utcnow())
        rows[0]["workdays"] = "0,x"  # a row no form could write: the plan pass fails on it
        seed(session, rows, item_rows(TEAM, "UBROKEN", 2))
        outbox_store.enqueue(
            session=session,
            team_id=TEAM,
            kind=OutboxKind.message,
            user_id="UREP",
            payload={"text": "Waiting on you", "blocks": []},
        )
    report = tick(running.rt)
    assert len(report.outbox.sent) == 1
    assert [m["text"] for m in fake.dm_messages("UREP")] == ["Waiting on you"]
    [failed] = [r for r in caplog.records if r.getMessage() == "scheduler.plans_failed"]
    assert failed.exc_info is not None


def test_a_new_slack_time_zone_moves_the_next_plan(running: RunningApp, fake: FakeSlack) -> None:
    thursday_noon = _local("America/Los_Angeles", date(2026, 3, 5), 12, 0)
    _seed_due(running, "UREP", _local("America/Los_Angeles", date(2026, 3, 6), 8, 30))
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, "UREP"))
        assert member is not None
        member.refreshed_at = thursday_noon - timedelta(days=2)  # due for the daily refresh
        session.add(member)
    fake.add_user("UREP", tz="Asia/Tokyo")
    with time_machine.travel(thursday_noon, tick=False):
        ensure_member(running.rt, team_id=TEAM, user_id="UREP")
    # Thursday noon in LA is early Friday in Tokyo: Friday's plan at 08:30 there.
    assert _member(running, "UREP").next_plan_at == _local("Asia/Tokyo", date(2026, 3, 6), 8, 30)
