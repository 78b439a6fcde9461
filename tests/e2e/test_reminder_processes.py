"""Issue 12, must show 3 across processes: two real `aor scheduler` processes against one
PostgreSQL database send each due reminder exactly once, and tell the admins exactly once
after a request's third reminder."""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from sandbox import FakeSlack
from storage.db import Database
from storage.enums import Cadence
from storage.models import Assignment
from storage.types import utcnow
from tests.utils.process import scheduler_env, start_schedulers
from tests.utils.seed import member_rows, seed
from tests.utils.wait import eventually

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]

TEAM = "T0001"
REQUESTS = 40


@pytest.fixture
def due_requests(db: Database) -> list[str]:
    """Requests whose reminder is due now; every other one already reminded twice. The
    approver works every day of the week, so the test does not depend on the day it runs."""
    people = member_rows(TEAM, ["UMANAGER", "UREP", "UREP2", "UADMIN"], tz="UTC", next_plan_at=None)
    for row in people:
        row["workdays"] = "0,1,2,3,4,5,6"
    due = utcnow() - timedelta(minutes=1)
    titles = [f"Request {n}" for n in range(REQUESTS)]
    with db.transaction() as session:
        seed(session, people, [])
        session.add_all(
            Assignment(
                team_id=TEAM,
                requested_by="UREP2",
                approver_id="UMANAGER",
                rep_id="UREP",
                title=title,
                minutes=60,
                cadence=Cadence.once,
                reminders_sent=2 * (n % 2),
                next_reminder_at=due,
            )
            for n, title in enumerate(titles)
        )
    return titles


def _reminded(fake: FakeSlack) -> Counter[str]:
    return Counter(
        str(c.args.get("text", "")).split("*")[1]
        for c in fake.calls_to("chat.postMessage")
        if c.response.get("ok") and str(c.args.get("text", "")).startswith("Reminder:")
    )


def _admins_told(fake: FakeSlack) -> Counter[str]:
    return Counter(
        str(c.args.get("text", "")).split("*")[1]
        for c in fake.calls_to("chat.postMessage")
        if c.response.get("ok") and "was reminded 3 times" in str(c.args.get("text", ""))
    )


def test_two_scheduler_processes_remind_each_request_exactly_once(
    fake: FakeSlack,
    db_url: str,
    db: Database,
    due_requests: list[str],
    processes: list[subprocess.Popen[bytes]],
) -> None:
    env = scheduler_env(fake.api_url, db_url, AOR_ADMINS="UADMIN", AOR_TICK_SECONDS="1")
    processes += start_schedulers(env)
    eventually(lambda: len(_reminded(fake)) == len(due_requests), timeout=60)
    time.sleep(2.5)  # a couple more ticks from each process: nothing more may go out
    assert all(p.poll() is None for p in processes)
    assert _reminded(fake) == Counter(dict.fromkeys(due_requests, 1))
    third = [t for n, t in enumerate(due_requests) if n % 2]
    assert _admins_told(fake) == Counter(dict.fromkeys(third, 1))
    with db.transaction() as session:
        sent = {a.title: a.reminders_sent for a in session.exec(select(Assignment))}
    assert sent == {t: 3 if t in third else 1 for t in due_requests}
