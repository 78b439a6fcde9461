"""Issue 11: the 1:1 rhythm and its coaching pack. A rep in Asia/Kolkata and a manager in
America/New_York across the US clock change (1 November 2026): each 1:1's pack reaches both,
an hour before, exactly once with two schedulers ticking side by side; none while either is
out of office (the other is told). `/aor coaching` sets the schedule from either side."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import col, select

from bot.app import build_runtime
from bot.core.runtime import Runtime
from bot.jobs.scheduler import tick
from bot.rules.meetings import CoachingArgs
from bot.services.one_on_ones import set_schedule
from sandbox import FakeSlack, SlackSide
from storage.db import Database, make_engine
from storage.loop_tables import CoachingMeeting
from storage.models import Member
from tests.utils.people import name_manager
from tests.utils.server import RunningApp, sandbox_settings
from tests.utils.slack_text import replies
from tests.utils.wait import eventually

TEAM = "T0001"
REP, MANAGER = "URAVI", "UMANAGER"  # Asia/Kolkata, America/New_York
START = datetime(2026, 10, 20, 0, 0, tzinfo=UTC)
END = datetime(2026, 11, 18, 0, 0, tzinfo=UTC)


def _runtime(fake: FakeSlack, url: str, instance: str) -> Runtime:
    settings = sandbox_settings(fake=fake, database_url=url, signing_secret="unused")
    rt = build_runtime(settings, make_engine(url))
    rt.instance = instance
    return rt


def _set_ooo(db: Database, user: str, until: date) -> None:
    with db.transaction() as session:
        member = session.get(Member, (TEAM, user))
        assert member is not None
        member.ooo_until = until
        session.add(member)


def test_packs_arrive_once_an_hour_before_across_the_clock_change_and_never_while_away(
    fake: FakeSlack, db_url: str, db: Database
) -> None:
    fake.add_user(REP, name="ravi", tz="Asia/Kolkata")
    with db.transaction() as session:
        for user, tz, manager in (
            (REP, "Asia/Kolkata", MANAGER),
            (MANAGER, "America/New_York", None),
        ):
            session.add(
                Member(
                    team_id=TEAM,
                    user_id=user,
                    name=user.lower(),
                    tz=tz,
                    manager_id=manager,
                    plans_enabled=False,
                )
            )
    rep_channels = {REP, fake.dm_channel(REP)}  # a DM is posted to the user id or its channel
    first, second = _runtime(fake, db_url, "scheduler-a"), _runtime(fake, db_url, "scheduler-b")
    told = set_schedule(
        first,
        team_id=TEAM,
        actor_id=REP,
        args=CoachingArgs(None, weekday=1, at=time(10), every_weeks=None),
        now=START + timedelta(hours=12),
    )
    # The rep reads it in Kolkata; the weekly cadence is the default position's.
    assert "Tuesdays at 10:00 (America/New_York), every week" in told
    assert "Next: Tue 20 Oct, 19:30 (Asia/Kolkata)" in told

    sent: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    seen = 0
    at = START + timedelta(hours=12)
    while at < END:
        if at == datetime(2026, 11, 5, tzinfo=UTC):
            _set_ooo(db, REP, date(2026, 11, 12))  # away for the 10 November 1:1
        if at == datetime(2026, 11, 12, tzinfo=UTC):
            _set_ooo(db, MANAGER, date(2026, 11, 19))  # away for the 17 November one
        # Both schedulers tick at the same instant, at the same time.
        threads = [
            threading.Thread(target=tick, args=(rt,), kwargs={"now": at}) for rt in (first, second)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        posts = fake.calls_to("chat.postMessage")
        for call in posts[seen:]:
            user = REP if call.args["channel"] in rep_channels else MANAGER
            sent[user].append((at, str(call.args.get("text", ""))))
        seen = len(posts)
        at += timedelta(hours=1)

    def packs(user: str) -> list[tuple[datetime, str]]:
        return [(t, text) for t, text in sent[user] if text.startswith("Coaching pack")]

    due = [
        datetime(2026, 10, 20, 13, tzinfo=UTC),  # 10:00 EDT less an hour
        datetime(2026, 10, 27, 13, tzinfo=UTC),
        datetime(2026, 11, 3, 14, tzinfo=UTC),  # 10:00 EST less an hour
    ]
    assert [t for t, _ in packs(REP)] == due
    assert [t for t, _ in packs(MANAGER)] == due
    assert [text.rsplit(" at ", 1)[1] for _, text in packs(REP)] == [
        "Tue 20 Oct, 19:30 (Asia/Kolkata)",
        "Tue 27 Oct, 19:30 (Asia/Kolkata)",
        "Tue 3 Nov, 20:30 (Asia/Kolkata)",
    ]
    assert {text.rsplit(", ", 1)[1] for _, text in packs(MANAGER)} == {"10:00 (America/New_York)"}
    # Away: no pack for either, and the one who is not away hears why.
    assert [text for _, text in sent[MANAGER] if text.startswith("No coaching pack")] == [
        f"No coaching pack for your 1:1 with <@{REP}> on Tue 10 Nov, 10:00 (America/New_York): "
        f"<@{REP}> is out of office then."
    ]
    assert [text for _, text in sent[REP] if text.startswith("No coaching pack")] == [
        f"No coaching pack for your 1:1 with <@{MANAGER}> on Tue 17 Nov, 20:30 (Asia/Kolkata): "
        f"<@{MANAGER}> is out of office then."
    ]
    with db.transaction() as session:
        meetings = session.exec(select(CoachingMeeting).order_by(col(CoachingMeeting.meeting_at)))
        rows = [(m.meeting_at.day, m.status, m.note) for m in meetings]
    assert rows == [
        (20, "claimed", None),
        (27, "claimed", None),
        (3, "claimed", None),
        (10, "skipped", "out of office"),
        (17, "skipped", "out of office"),
    ]
    for rt in (first, second):
        rt.db.dispose()
    fake.assert_no_violations()


def test_either_side_sets_the_1_1_and_the_other_is_told(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    url = slack.command("coaching tue 10:00", user_id="UREP").response_url
    assert "no manager of record to meet" in eventually(lambda: replies(fake, url))[0]
    name_manager(slack, fake, "UREP")
    url = slack.command(
        "coaching <@UREP|rob> fri 15:30 every 2 weeks", user_id="UMANAGER"
    ).response_url
    told = eventually(lambda: replies(fake, url))[0]
    assert told.startswith(
        "Your 1:1 with <@UREP>: Fridays at 15:30 (America/New_York), every 2 weeks."
    )
    rep_dm = eventually(lambda: [m["text"] for m in fake.dm_messages("UREP") if "1:1" in m["text"]])
    assert rep_dm[0].startswith("<@UMANAGER> set it: Your 1:1 with <@UMANAGER>: Fridays at 15:30")
    assert "(America/Los_Angeles)" in rep_dm[0]  # the next one, where the rep is
    url = slack.command("coaching <@UREP|rob> mon 09:00", user_id="UOTHER").response_url
    assert (
        "Only <@UREP>, their manager of record or an admin"
        in eventually(lambda: replies(fake, url))[0]
    )
    url = slack.command("coaching", user_id="UREP").response_url
    assert "Fridays at 15:30" in eventually(lambda: replies(fake, url))[0]
    url = slack.command("coaching tue 10:00 every 3 weeks", user_id="UREP").response_url
    assert "Meet every 1, 2 or 4 weeks (got '3')" in eventually(lambda: replies(fake, url))[0]
