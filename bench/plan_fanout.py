"""Morning fan-out benchmark: N reps x M AOR items all due at once; one scheduler pass builds
every checklist, claims every DailyPlan and queues every DM in the outbox.

    AOR_TEST_DATABASE_URL=postgresql+psycopg://... python bench/plan_fanout.py

It WIPES the plan, item, outbox and member tables of that database. Delivery to Slack is not
measured: each process's outbox drain sends the queued DMs one after another, a 429 is
waited out by slack_sdk's RateLimitErrorRetryHandler, and a workspace still limited after
that is paused until the next tick (see bench/README.md). The last line
printed is `RESULT reps=<n> wall_s=<s> statements=<n> peak_mb=<mb>`.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select, text
from sqlmodel import Session

from bot.app import build_runtime
from bot.core.config import Settings
from bot.jobs.morning import queue_due_plans
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import DailyPlan, Outbox
from storage.types import utcnow
from tests.utils.seed import item_rows, member_rows, seed

TEAM = "TBENCH"
TABLES = "plan_check, daily_plan, responsibility, assignment, outbox, member"


def _seed(url: str, reps: int, items: int) -> None:
    """Fresh tables with `reps` members due now, each owning `items` active items."""
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    due = utcnow() - timedelta(minutes=1)
    users = [f"U{n:06d}" for n in range(reps)]
    for start in range(0, reps, 1000):
        chunk = users[start : start + 1000]
        with Session(engine) as session, session.begin():
            seed(
                session,
                member_rows(TEAM, chunk, tz="America/New_York", next_plan_at=due),
                [row for user in chunk for row in item_rows(TEAM, user, items)],
            )
    engine.dispose()


def _count(engine: Any, model: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("AOR_TEST_DATABASE_URL"))
    parser.add_argument("--reps", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=15)
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgres"):
        parser.error("a PostgreSQL URL is needed: --database-url or AOR_TEST_DATABASE_URL")
    if args.seed_only:
        _seed(args.database_url, args.reps, args.items)
        return 0
    # Seeding runs in a child process so this process's peak memory is the tick's alone.
    started = time.perf_counter()
    subprocess.run(
        [
            *(sys.executable, __file__, "--seed-only", "--database-url", args.database_url),
            *("--reps", str(args.reps), "--items", str(args.items)),
        ],
        check=True,
    )
    print(f"seeded {args.reps} reps x {args.items} items in {time.perf_counter() - started:.1f}s")

    engine = make_engine(args.database_url)
    settings = Settings(
        slack_bot_token="xoxb-bench", slack_api_url="http://127.0.0.1:9/api/"
    )  # never called: delivery is not part of this measurement
    rt = build_runtime(settings, engine)
    statements = 0

    @event.listens_for(engine, "before_cursor_execute")
    def _counted(*_: Any) -> None:
        nonlocal statements
        statements += 1  # an executemany is one call here, as it is one round of batching

    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    report = queue_due_plans(rt, now=utcnow())
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    event.remove(engine, "before_cursor_execute", _counted)

    plans, queued = _count(engine, DailyPlan), _count(engine, Outbox)
    print(f"plans claimed: {plans}, DMs queued in the outbox: {queued}, report: {report}")
    print(f"wall time: {wall:.2f}s for {args.reps} reps ({wall / args.reps * 1000:.3f} ms/rep)")
    print(f"SQL statements: {statements} ({statements / args.reps:.4f} per rep)")
    print(f"peak RSS (ru_maxrss): {peak_mb:.0f} MB (before the tick: {before_mb:.0f} MB)")
    if plans != args.reps or queued != args.reps:
        print("FAILED: not every rep got exactly one plan", file=sys.stderr)
        return 1
    print(
        f"RESULT reps={args.reps} wall_s={wall:.2f} statements={statements} peak_mb={peak_mb:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
