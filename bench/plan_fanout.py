"""Morning fan-out benchmark: N reps x M AOR items all due at once; one scheduler pass builds
every checklist, claims every DailyPlan and queues every DM in the outbox. Then, in the same
run, the floor: the very rows that pass wrote (plans and outbox entries) written again the
simplest way, COPY in one transaction, and the ratio of the two.

    python bench/plan_fanout.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_a

It WIPES the plan, item, outbox and member tables of that database (its name must contain
"bench"; AOR_BENCH_DATABASE_URL, else AOR_TEST_DATABASE_URL, gives the default). Delivery to
Slack is not measured here (bench/delivery.py does). The last line printed is
`RESULT reps=<n> wall_s=<s> floor_s=<s> ratio=<x> statements=<n> peak_mb=<mb> load=<1/5/15>`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from bench.common import URL_ENV, bench_database_url, load_average
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
# What the pass writes, and so what the floor writes again (every column but the id).
WRITTEN = ("daily_plan", "outbox")


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


def _floor(url: str) -> tuple[float, dict[str, int]]:
    """Read back what the pass wrote, empty those tables, and time writing the same rows
    with COPY in one transaction (values from Python, JSON encoded as they are written)."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        tables: dict[str, tuple[list[str], list[int], list[tuple[Any, ...]]]] = {}
        for table in WRITTEN:
            cur = conn.execute(f"SELECT * FROM {table} ORDER BY id")
            described = [(d.name, d.type_code) for d in cur.description or [] if d.name != "id"]
            keep = [i for i, d in enumerate(cur.description or []) if d.name != "id"]
            rows = [tuple(row[i] for i in keep) for row in cur.fetchall()]
            tables[table] = ([n for n, _ in described], [t for _, t in described], rows)
        conn.execute(f"TRUNCATE {', '.join(WRITTEN)} RESTART IDENTITY CASCADE")
        conn.commit()
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            for table, (names, types, rows) in tables.items():
                with cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                    copy.set_types(types)
                    for row in rows:
                        copy.write_row(row)
        wall = time.perf_counter() - started
    return wall, {table: len(rows) for table, (_, _, rows) in tables.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(URL_ENV) or os.environ.get("AOR_TEST_DATABASE_URL"),
    )
    parser.add_argument("--reps", type=int, default=10_000, help="due reps (up to 30,000)")
    parser.add_argument("--items", type=int, default=15)
    parser.add_argument(
        "--profile", action="store_true", help="print where the pass spends its CPU (cProfile)"
    )
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.database_url = bench_database_url(args.database_url)
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
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = queue_due_plans(rt, now=utcnow())
    wall = time.perf_counter() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
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
    engine.dispose()
    load = load_average()  # before the floor, as the pass ran
    floor, copied = _floor(args.database_url)
    print(f"floor: the same rows by COPY in one transaction: {floor:.2f}s ({copied})")
    print(f"ratio (pass / floor): {wall / floor:.2f}x")
    print(
        f"RESULT reps={args.reps} wall_s={wall:.2f} floor_s={floor:.2f} "
        f"ratio={wall / floor:.2f} statements={statements} peak_mb={peak_mb:.0f} load={load}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
