"""Paced delivery: N morning plan DMs through real `aor scheduler` processes while the fake
Slack answers 429 with Retry-After beyond R chat.postMessage per second per workspace (a
sliding window), with one and two schedulers, one workspace and three.

    python bench/delivery.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_c

It WIPES that database (its name must contain "bench"). For each set (workspaces x
schedulers): fresh tables, N reps due now (split evenly across the workspaces, a few AOR items
each), a fresh fake Slack (in its own process) that knows them, then the scheduler processes
(`AOR_TICK_SECONDS=1`) until every rep has a plan DM or the set's time runs out. The floor is
Slack's limit itself: the busiest workspace's DMs / R seconds. The last line printed is
`RESULT w1s1_ratio=... w1s2_ratio=... w3s1_ratio=... w3s2_ratio=... delivered=... duplicates=...
lost=... load=...`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func
from sqlmodel import Session, col, select

from bench.common import URL_ENV, bench_database_url, fresh_database, load_average
from bench.processes import app_env, start_scheduler, stop
from bench.remote_fake import FakeHost, remote_fake
from storage.db import make_engine
from storage.models import Outbox
from storage.types import utcnow
from tests.utils.seed import item_rows, member_rows, seed

POLL = 0.5  # seconds between looks at the fake Slack
GRACE = 3.0  # seconds the schedulers keep running after the last DM: any duplicate shows


@dataclass(frozen=True)
class SetResult:
    workspaces: int
    schedulers: int
    dms: int
    delivered: int
    duplicates: int
    refused: int  # attempts Slack answered 429
    outbox: dict[str, int]  # plan DM entries by status when the set ended
    reclaimed: int  # entries claimed more than once
    startup: float  # processes started until the first plan DM attempt
    elapsed: float  # first plan DM attempt until the last DM landed, plus that DM's 1/R slot
    floor: float  # the busiest workspace's DMs / R

    @property
    def lost(self) -> int:
        return self.dms - self.delivered

    @property
    def ratio(self) -> float:
        return self.elapsed / self.floor if self.floor else 0.0

    @property
    def name(self) -> str:
        return f"w{self.workspaces}s{self.schedulers}"


def main() -> int:
    args = _parser().parse_args()
    url = bench_database_url(args.database_url)
    print(f"load average before: {load_average()}")
    results: list[SetResult] = []
    with tempfile.TemporaryDirectory(prefix="aor-bench-") as tmp:
        log_path = Path(tmp) / "schedulers.log"
        with open(log_path, "wb") as log:
            for workspaces in args.workspaces:
                for schedulers in args.schedulers:
                    load = load_average()
                    result = _run_set(args, url, workspaces, schedulers, log)
                    results.append(result)
                    print(f"{_line(result)}  load {load}")
        if any(r.lost or r.duplicates for r in results):
            print(f"--- scheduler log (tail) ---\n{_tail(log_path)}")
    delivered = sum(r.delivered for r in results)
    duplicates = sum(r.duplicates for r in results)
    lost = sum(r.lost for r in results)
    print(
        "\nratio = (last DM landed - first DM attempt + 1/R) / (busiest workspace's DMs / R):\n"
        "1.00 for DMs sent evenly at R/s; a sender that bursts R at once can go just under."
    )
    print(f"load average after: {load_average()}")
    ratios = " ".join(f"{r.name}_ratio={r.ratio:.2f}" for r in results)
    print(
        f"RESULT {ratios} delivered={delivered} duplicates={duplicates} lost={lost} "
        f"dms={args.dms} rate={args.rate:g} load={load_average()}"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(URL_ENV))
    parser.add_argument("--dms", type=int, default=1000, help="plan DMs per set")
    parser.add_argument("--rate", type=float, default=20, help="chat.postMessage/s/workspace")
    parser.add_argument("--window", type=float, default=1.0, help="sliding window, seconds")
    parser.add_argument("--schedulers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workspaces", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--items", type=int, default=5, help="AOR items per rep")
    parser.add_argument(
        "--max-factor", type=float, default=5.0, help="give up on a set after this x its floor"
    )
    return parser


def _run_set(
    args: argparse.Namespace, url: str, workspaces: int, schedulers: int, log: IO[bytes]
) -> SetResult:
    fresh_database(url)
    teams = [f"TBENCH{w + 1}" for w in range(workspaces)]
    users = [f"UDM{n:05d}" for n in range(args.dms)]
    team_of = {user: teams[n % workspaces] for n, user in enumerate(users)}
    engine = make_engine(url)
    try:
        due = utcnow() - timedelta(minutes=1)
        with Session(engine) as session, session.begin():
            for team in teams:
                mine = [u for u in users if team_of[u] == team]
                seed(
                    session,
                    member_rows(team, mine, tz="UTC", next_plan_at=due),
                    [row for user in mine for row in item_rows(team, user, args.items)],
                )
    finally:
        engine.dispose()
    busiest = max(Counter(team_of.values()).values())
    floor = busiest / args.rate
    with remote_fake() as host:
        for team in teams:
            host.add_users([u for u in users if team_of[u] == team], team_id=team)
        # R calls per window of `window` s: the same R/s on average.
        host.limit_rate("chat.postMessage", round(args.rate * args.window), args.window)
        env = app_env(
            api_url=host.api_url(),
            database_url=url,
            signing_secret="unused",
            AOR_TICK_SECONDS="1",
            AOR_SEND_RATE=str(args.rate),  # the bot is told the workspace's rate
            LOG_LEVEL="WARNING",
        )
        launched = time.time()
        processes = [start_scheduler(env, log) for _ in range(schedulers)]
        try:
            landed, first, last, refused = _watch(host, args.dms, 30 + args.max_factor * floor)
        finally:
            for process in processes:
                stop(process)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            statuses = session.exec(
                select(Outbox.status, func.count()).group_by(col(Outbox.status))
            ).all()
            # Claimed more than once: a send failed (a 429 after slack_sdk's own retries, most
            # likely) and the entry waited for its backoff, or a lease ran out.
            reclaimed = session.exec(
                select(func.count()).select_from(Outbox).where(col(Outbox.attempts) > 1)
            ).one()
    finally:
        engine.dispose()
    return SetResult(
        workspaces=workspaces,
        schedulers=schedulers,
        dms=args.dms,
        delivered=len(landed),
        duplicates=sum(n - 1 for n in landed.values()),
        refused=refused,
        outbox={str(status): n for status, n in statuses},
        reclaimed=reclaimed,
        startup=(first - launched) if first is not None else 0.0,
        elapsed=(last - first + 1 / args.rate) if first is not None and last is not None else 0.0,
        floor=floor,
    )


def _watch(
    host: FakeHost, dms: int, timeout: float
) -> tuple[dict[str, int], float | None, float | None, int]:
    """Poll the fake until every DM landed (then GRACE more seconds) or `timeout` passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        landed, *_ = host.plan_dms()
        if len(landed) >= dms:
            time.sleep(GRACE)
            break
        time.sleep(POLL)
    return host.plan_dms()


def _line(r: SetResult) -> str:
    return (
        f"{r.workspaces} workspace{'s' if r.workspaces > 1 else ''}, {r.schedulers} "
        f"scheduler{'s' if r.schedulers > 1 else ''}: delivered {r.delivered}/{r.dms}, "
        f"duplicates {r.duplicates}, lost {r.lost}, 429s {r.refused}; sending took "
        f"{r.elapsed:.1f}s vs floor {r.floor:.1f}s = {r.ratio:.2f}x (start-up {r.startup:.1f}s); "
        f"outbox {', '.join(f'{k} {v}' for k, v in sorted(r.outbox.items()))}, "
        f"claimed more than once {r.reclaimed}"
    )


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
