"""Scheduler processes as real OS processes against one PostgreSQL database (issue 4, must show
2 and 3): two of them split 200 due reps and each rep gets exactly one plan DM; a process killed
after claiming a DM for sending holds its lease, and another process sends it after the lease."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.app import build_runtime
from bot.delivery.outbox import LEASE
from bot.jobs.scheduler import tick
from sandbox import FakeSlack
from storage.db import Database
from storage.enums import PlanStatus
from storage.models import DailyPlan, Outbox
from storage.types import utcnow
from tests.utils.process import aor_executable, scheduler_env, start_schedulers
from tests.utils.seed import item_rows, member_rows, seed
from tests.utils.server import sandbox_settings
from tests.utils.wait import eventually

pytestmark = [
    pytest.mark.postgres,
    # Both processes must share one PostgreSQL database: the SQLite variant does not apply.
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]

TEAM = "T0001"
REPS = [f"UREP{n:03d}" for n in range(200)]


@pytest.fixture
def due_reps(fake: FakeSlack, db: Database) -> list[str]:
    for user in REPS:
        fake.add_user(user, tz="UTC")
    with db.transaction() as session:
        due = utcnow() - timedelta(minutes=1)
        seed(
            session,
            member_rows(TEAM, REPS, tz="UTC", next_plan_at=due),
            [row for user in REPS for row in item_rows(TEAM, user, 4)],
        )
    return REPS


def _plan_posts(fake: FakeSlack) -> Counter[str]:
    return Counter(
        c.args["channel"]
        for c in fake.calls_to("chat.postMessage")
        if c.response.get("ok") and str(c.args.get("text", "")).startswith("Your plan for")
    )


def _plans(db: Database) -> list[DailyPlan]:
    with db.transaction() as session:
        return list(session.exec(select(DailyPlan)))


def test_two_scheduler_processes_send_each_rep_exactly_one_plan(
    fake: FakeSlack,
    db_url: str,
    db: Database,
    due_reps: list[str],
    processes: list[subprocess.Popen[bytes]],
) -> None:
    env = scheduler_env(fake.api_url, db_url, AOR_TICK_SECONDS="1")
    processes += start_schedulers(env)
    eventually(lambda: len(_plan_posts(fake)) == len(due_reps), timeout=30)
    time.sleep(2.5)  # a couple more ticks from each process: nothing more may go out
    assert all(p.poll() is None for p in processes)
    posts = _plan_posts(fake)
    assert set(posts) == set(due_reps)
    assert set(posts.values()) == {1}
    assert len(fake.calls_to("chat.update")) == 0
    plans = _plans(db)
    assert len(plans) == len(due_reps)
    assert {p.status for p in plans} == {PlanStatus.sent}


def test_two_schedulers_under_slacks_rate_limit_deliver_every_dm_once(
    fake: FakeSlack,
    db_url: str,
    db: Database,
    due_reps: list[str],
    processes: list[subprocess.Popen[bytes]],
) -> None:
    # Slack answers 429 beyond 20 chat.postMessage a second in the workspace; the bot is set
    # to that rate, and the two processes must not add up to twice it.
    fake.limit_rate("chat.postMessage", 20, per=1.0)
    env = scheduler_env(fake.api_url, db_url, AOR_TICK_SECONDS="1", AOR_SEND_RATE="20")
    processes += start_schedulers(env)
    eventually(lambda: len(_plan_posts(fake)) == len(due_reps), timeout=60)
    time.sleep(2.5)  # more ticks from each process: nothing more may go out
    posts = _plan_posts(fake)
    assert set(posts) == set(due_reps) and set(posts.values()) == {1}  # none lost, none twice
    refused = [c for c in fake.calls_to("chat.postMessage") if not c.response.get("ok")]
    # Paced at the limit, Slack seldom has to say no; any it did were sent again (above).
    assert len(refused) <= len(due_reps) // 20, len(refused)
    assert {p.status for p in _plans(db)} == {PlanStatus.sent}


def test_a_process_killed_after_claiming_leaves_the_sending_to_another(
    fake: FakeSlack,
    db_url: str,
    db: Database,
    due_reps: list[str],
    processes: list[subprocess.Popen[bytes]],
) -> None:
    # Slack keeps the first DM unanswered: the process has claimed every plan, queued the DMs
    # and leased this one, and waits on Slack when it is killed (SIGKILL: no clean-up at all).
    hold = fake.hold("chat.postMessage")
    crashing = subprocess.Popen(
        [aor_executable(), "scheduler", "--once"],
        env=scheduler_env(fake.api_url, db_url),
        stderr=subprocess.DEVNULL,
    )
    processes.append(crashing)
    held = hold.wait_for_held(timeout=60)
    crashing.kill()
    assert crashing.wait(timeout=10) == -signal.SIGKILL
    hold.drop()  # the request died with its process: Slack never acted on it
    assert fake.calls_to("chat.postMessage") == []  # died before Slack recorded anything
    plans = _plans(db)
    assert len(plans) == len(due_reps)
    assert {p.status for p in plans} == {PlanStatus.claimed}
    with db.transaction() as session:
        queued = session.exec(select(Outbox)).all()
    assert sorted(e.user_id for e in queued) == sorted(due_reps)  # every claim has its DM
    # The drain claims a chunk at once (half a second of sends at AOR_SEND_RATE): all of it
    # leased, the first of it held by Slack when the process died.
    leased = {e.user_id for e in queued if e.locked_until is not None}
    assert 1 <= len(leased) <= 50
    assert [c.args["channel"] for c in hold.held] == [held.args["channel"]]
    assert held.args["channel"] in leased

    finished = subprocess.run(
        [aor_executable(), "scheduler", "--once"],
        env=scheduler_env(fake.api_url, db_url),
        stderr=subprocess.DEVNULL,
        timeout=60,
    )
    assert finished.returncode == 0
    others = set(due_reps) - leased
    assert _plan_posts(fake) == Counter(dict.fromkeys(others, 1))  # the lease is honoured

    settings = sandbox_settings(fake=fake, database_url=db_url, signing_secret="unused")
    rt = build_runtime(settings, db.engine)
    tick(rt, now=utcnow() + LEASE + timedelta(seconds=1))  # after the lease
    assert _plan_posts(fake) == Counter(dict.fromkeys(due_reps, 1))
    assert {p.status for p in _plans(db)} == {PlanStatus.sent}
