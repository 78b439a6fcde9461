"""Coaching packs with two real scheduler processes against one PostgreSQL database: 60 pairs
of a rep in Asia/Kolkata and a manager in America/New_York whose 1:1 starts in 59 minutes;
each person gets exactly one pack, and a pair with someone out of office gets none. Then the
same across the US clock change, the processes' clocks set by libfaketime."""

from __future__ import annotations

import os
import shutil
import subprocess
import time as clock
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.core.clock import local_date
from sandbox import FakeSlack
from storage.db import Database
from storage.loop_tables import CoachingMeeting, CoachingSchedule
from storage.models import Member
from storage.types import utcnow
from tests.utils.process import aor_executable, scheduler_env, start_schedulers
from tests.utils.wait import eventually

pytestmark = [
    pytest.mark.postgres,
    # Both processes must share one PostgreSQL database: the SQLite variant does not apply.
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]

TEAM = "T0001"
PAIRS = [(f"UREP{n:02d}", f"UMGR{n:02d}") for n in range(60)]
AWAY_REP, AWAY_MANAGER = PAIRS[0][0], PAIRS[1][1]


@pytest.fixture
def due_pairs(fake: FakeSlack, db: Database) -> list[tuple[str, str]]:
    now = utcnow()
    meeting = now + timedelta(minutes=59)
    ny = meeting.astimezone(ZoneInfo("America/New_York"))
    with db.transaction() as session:
        for rep, manager in PAIRS:
            fake.add_user(rep, tz="Asia/Kolkata")
            fake.add_user(manager, tz="America/New_York")
            back = date(2099, 1, 1)
            session.add(
                Member(
                    team_id=TEAM,
                    user_id=rep,
                    tz="Asia/Kolkata",
                    manager_id=manager,
                    plans_enabled=False,
                    ooo_until=back if rep == AWAY_REP else None,
                )
            )
            session.add(
                Member(
                    team_id=TEAM,
                    user_id=manager,
                    tz="America/New_York",
                    plans_enabled=False,
                    ooo_until=back if manager == AWAY_MANAGER else None,
                )
            )
            session.add(
                CoachingSchedule(
                    team_id=TEAM,
                    rep_id=rep,
                    manager_id=manager,
                    weekday=ny.weekday(),
                    at_time=time(ny.hour, ny.minute),
                    every_weeks=1,
                    anchor=local_date(meeting, "America/New_York"),
                    tz="America/New_York",
                    next_meeting_at=meeting.replace(second=0, microsecond=0),
                    next_pack_at=now - timedelta(minutes=1),
                    updated_by=rep,
                )
            )
    return PAIRS


def _texts_by_user(fake: FakeSlack, prefix: str) -> Counter[str]:
    users = {fake.dm_channel(u): u for pair in PAIRS for u in pair} | {
        u: u for pair in PAIRS for u in pair
    }
    return Counter(
        users[c.args["channel"]]
        for c in fake.calls_to("chat.postMessage")
        if c.response.get("ok") and str(c.args.get("text", "")).startswith(prefix)
    )


def test_two_scheduler_processes_send_each_pack_exactly_once(
    fake: FakeSlack,
    db_url: str,
    db: Database,
    due_pairs: list[tuple[str, str]],
    processes: list[subprocess.Popen[bytes]],
) -> None:
    processes += start_schedulers(scheduler_env(fake.api_url, db_url, AOR_TICK_SECONDS="1"))
    present = [u for pair in PAIRS[2:] for u in pair]
    eventually(lambda: len(_texts_by_user(fake, "Coaching pack")) == len(present), timeout=30)
    clock.sleep(2.5)  # a couple more ticks from each process: nothing more may go out
    assert all(p.poll() is None for p in processes)
    packs = _texts_by_user(fake, "Coaching pack")
    assert set(packs) == set(present) and set(packs.values()) == {1}
    # The away pairs: no pack; whoever is not away is told, once.
    assert _texts_by_user(fake, "No coaching pack") == Counter({PAIRS[0][1]: 1, PAIRS[1][0]: 1})
    with db.transaction() as session:
        meetings = session.exec(select(CoachingMeeting)).all()
    assert len(meetings) == len(PAIRS)
    assert Counter(m.status for m in meetings) == Counter({"claimed": 58, "skipped": 2})


# Across the US clock change (1 Nov 2026): weekly 1:1s on Wednesdays at 10:00 in New York,
# 14:00Z on 28 Oct (EDT) and 15:00Z on 4 Nov (EST); each pack is due an hour before. The two
# scheduler processes run under libfaketime, so their clocks stand at those instants while
# the product reads time as it always does.
DST_PAIRS = [(f"UREPD{n:02d}", f"UMGRD{n:02d}") for n in range(10)]
FIRST_PACK = datetime(2026, 10, 28, 13, tzinfo=UTC)
SECOND_PACK = datetime(2026, 11, 4, 14, tzinfo=UTC)


def _faketime() -> str:
    found = shutil.which("faketime")
    if found is None:
        if os.environ.get("AOR_REQUIRE_FAKETIME"):
            pytest.fail(
                "faketime (Debian's libfaketime) is required here: apt-get install faketime"
            )
        pytest.skip("faketime (Debian's libfaketime) is not installed")
    return found


def _schedulers_at(at: datetime, env: dict[str, str]) -> None:
    """Two `aor scheduler --once` processes at once, both clocks at `at`."""
    stamp = at.strftime("@%Y-%m-%d %H:%M:%S")
    started = [
        subprocess.Popen(
            [_faketime(), "-f", stamp, aor_executable(), "scheduler", "--once"],
            env={**env, "TZ": "UTC"},
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    assert [p.wait(timeout=60) for p in started] == [0, 0]


def _packs(fake: FakeSlack, user: str) -> list[str]:
    channel = fake.dm_channel(user)
    return [
        str(c.args.get("text", ""))
        for c in fake.calls_to("chat.postMessage")
        if c.response.get("ok")
        and c.args["channel"] in (channel, user)
        and str(c.args.get("text", "")).startswith("Coaching pack")
    ]


def test_two_scheduler_processes_across_the_us_clock_change_send_each_pack_once(
    fake: FakeSlack, db_url: str, db: Database
) -> None:
    _faketime()
    with db.transaction() as session:
        for rep, manager in DST_PAIRS:
            fake.add_user(rep, tz="Asia/Kolkata")
            fake.add_user(manager, tz="America/New_York")
            session.add(Member(team_id=TEAM, user_id=rep, tz="Asia/Kolkata", manager_id=manager))
            session.add(Member(team_id=TEAM, user_id=manager, tz="America/New_York"))
            session.add(
                CoachingSchedule(
                    team_id=TEAM,
                    rep_id=rep,
                    manager_id=manager,
                    weekday=2,  # Wednesday
                    at_time=time(10, 0),
                    every_weeks=1,
                    anchor=date(2026, 10, 28),
                    tz="America/New_York",
                    next_meeting_at=FIRST_PACK + timedelta(hours=1),
                    next_pack_at=FIRST_PACK,
                    updated_by=rep,
                )
            )
        for member in session.exec(select(Member)).all():
            member.plans_enabled = False  # only packs in this test
            session.add(member)
    env = scheduler_env(fake.api_url, db_url)
    _schedulers_at(FIRST_PACK + timedelta(seconds=30), env)
    _schedulers_at(SECOND_PACK - timedelta(minutes=30), env)  # nothing is due yet
    _schedulers_at(SECOND_PACK + timedelta(seconds=30), env)
    _schedulers_at(SECOND_PACK + timedelta(minutes=20), env)  # nothing more
    for rep, manager in DST_PAIRS:
        # The rep's 1:1 moves from 19:30 to 20:30 in Kolkata; the manager's stays at 10:00.
        assert [p.rsplit(" at ", 1)[1] for p in _packs(fake, rep)] == [
            "Wed 28 Oct, 19:30 (Asia/Kolkata)",
            "Wed 4 Nov, 20:30 (Asia/Kolkata)",
        ]
        assert [p.rsplit(", ", 1)[1] for p in _packs(fake, manager)] == [
            "10:00 (America/New_York)",
            "10:00 (America/New_York)",
        ]
    with db.transaction() as session:
        meetings = session.exec(select(CoachingMeeting)).all()
    assert len(meetings) == 2 * len(DST_PAIRS)
