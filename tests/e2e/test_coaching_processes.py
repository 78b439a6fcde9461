"""Coaching packs with two real scheduler processes against one PostgreSQL database: 60 pairs
of a rep in Asia/Kolkata and a manager in America/New_York whose 1:1 starts in 59 minutes;
each person gets exactly one pack, and a pair with someone out of office gets none."""

from __future__ import annotations

import subprocess
import time as clock
from collections import Counter
from collections.abc import Iterator
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.core.clock import local_date
from sandbox import FakeSlack
from storage.db import Database
from storage.loop_tables import CoachingMeeting, CoachingSchedule
from storage.models import Member
from storage.types import utcnow
from tests.utils.process import aor_executable, clean_env
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


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


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
    env = clean_env(
        DATABASE_URL=db_url,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_API_URL=fake.api_url,
        LOG_LEVEL="WARNING",
        AOR_TICK_SECONDS="1",
    )
    for _ in range(2):
        processes.append(
            subprocess.Popen([aor_executable(), "scheduler"], env=env, stderr=subprocess.DEVNULL)
        )
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
