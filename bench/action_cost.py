"""What one user action costs the app: SQL statements, transactions and CPU, per action kind,
delivery of the DMs and App Homes it causes included.

    python bench/action_cost.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_b

It WIPES that database (its name must contain "bench"). The app runs in this process (the
composition root's Bolt app behind bot.web's threaded HTTP server, as `aor serve --http`
and sandbox.harness.run_app serve it); today every process involved in an action is this
one, because delivery happens in-process right after the commit. The fake Slack runs in a
process of its own, so its CPU is reported apart, as is PostgreSQL's (the backends serving
the app's connections, read from /proc). Requests go one at a time: each is sent, answered,
and then waited on until the app's listener thread is idle (it acks, does the work, and
delivers what it committed on the same thread). The last line printed is
`RESULT <kind>=<statements>/<transactions>/<app cpu ms> ... load=<1/5/15 min>`.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bench.common import (
    URL_ENV,
    SqlCounter,
    SqlCounts,
    Team,
    bench_database_url,
    fresh_database,
    load_average,
    median,
    seed_team,
)
from bench.remote_fake import FakeHost, remote_fake
from bench.slack_load import Payloads, Request, Sender
from bot.app import build_app, build_runtime
from bot.core.config import Settings
from bot.core.logs import setup_logging
from bot.core.runtime import Runtime
from bot.services.request_messages import approval_key
from bot.web import make_http_server, make_wsgi
from sandbox.inflight import InFlight
from storage.db import make_engine
from storage.enums import AssignmentStatus, Decision
from storage.models import Assignment, DailyPlan, Outbox
from storage.plans import plan_key

SECRET = "bench-signing-secret"
# Each kind, and what it is: the order they are measured in.
KINDS = {
    "add_task": "/aor add-task @rep TITLE 1h by the rep's manager: 2 DMs, 2 Homes",
    "decide": "a manager's decision click (join, second priority): 2 DM updates, 2 Homes",
    "tick": "a rep ticks one item of today's checklist: the DM updated, 1 Home",
    "plan": "/aor plan, today's first: the plan claimed, its DM sent",
    "plan_again": "/aor plan again: the DM brought up to date",
    "doc": "/aor doc: the rep's AOR document, ephemeral",
    "help": "/aor help: usage, answered in the ack",
}


class DeliveryMeter:
    """Wraps the runtime's hand-off to delivery after the commit (bot.delivery.batch's
    send_batch, run on the thread that committed: the sends and the one statement recording
    their outcomes): its CPU, and whether the current thread is inside it. What delivery
    does inside the action's own transaction (`prepare`: one lookup of the messages' other
    entries, retiring stale ones, rendering App Homes) counts as the action's."""

    def __init__(self, rt: Runtime) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self.cpu = 0.0  # seconds, thread CPU spent delivering
        inner = rt.deliver
        assert inner is not None

        def metered(batch: object) -> object:
            self._local.active, started = True, time.thread_time()
            try:
                return inner(batch)
            finally:
                self._local.active = False
                with self._lock:
                    self.cpu += time.thread_time() - started

        rt.deliver = metered

    def active(self) -> bool:
        return bool(getattr(self._local, "active", False))


@dataclass
class Measured:
    """One kind's actions, each measured alone."""

    counts: list[SqlCounts] = field(default_factory=list)
    delivery_counts: list[SqlCounts] = field(default_factory=list)  # part of `counts`
    app_cpu: list[float] = field(default_factory=list)  # seconds
    delivery_cpu: list[float] = field(default_factory=list)  # seconds, part of `app_cpu`
    pg_cpu: float = 0.0  # seconds, all actions
    fake_cpu: float = 0.0  # seconds, all actions
    wall: list[float] = field(default_factory=list)  # request sent until the app is idle
    slack: dict[str, int] = field(default_factory=dict)  # Web API calls, all actions
    errors: int = 0


def main() -> int:
    args = _parser().parse_args()
    url = bench_database_url(args.database_url)
    print(f"load average before: {load_average()}")
    fresh_database(url)
    with (
        tempfile.TemporaryDirectory(prefix="aor-bench-") as tmp,
        remote_fake() as host,
        open(Path(tmp) / "app.log", "w") as log,
    ):
        engine = make_engine(url)
        try:
            return _run(args, url, host, engine, log)
        finally:
            engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(URL_ENV))
    parser.add_argument("--actions", type=int, default=20, help="measured actions per kind")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured actions per kind first")
    parser.add_argument("--items", type=int, default=15, help="AOR items per rep")
    parser.add_argument(
        "--show-sql",
        choices=list(KINDS),
        action="append",
        default=[],
        help="print every statement of this kind's last measured action (repeatable)",
    )
    return parser


def _run(args: argparse.Namespace, url: str, host: FakeHost, engine: Engine, log: TextIO) -> int:
    per_kind = args.actions + args.warmup
    needed = per_kind + (1 if args.show_sql else 0)  # one more to show, on reps of its own
    managers = 4
    team = seed_team(
        engine,
        host,
        managers=managers,
        reps_per_manager=math.ceil(2 * needed / managers),
        items=args.items,
    )
    # Half the reps get today's plan in setup (ticks, plan_again); the rest ask first (plan).
    planned, unplanned = team.reps[:needed], team.reps[needed : 2 * needed]
    settings = Settings(
        slack_bot_token=SecretStr("xoxb-bench-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=host.api_url(),
        database_url=url,
    )
    setup_logging(settings.log_level)  # INFO, as in production; to a file, not the terminal
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(log)
    app_engine = make_engine(url)
    rt = build_runtime(settings, app_engine)
    app = build_app(settings, app_engine, runtime=rt)
    server = make_http_server(
        make_wsgi(app, rt.db, signing_secret=SECRET), host="127.0.0.1", port=0
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        inflight = InFlight(app.listener_runner.listener_executor)  # type: ignore[arg-type]
        meter = DeliveryMeter(rt)
        counter = SqlCounter(app_engine, part=meter.active)
        sender = Sender(f"http://127.0.0.1:{server.server_port}", SECRET)
        payloads = Payloads(host, team.team_id)

        def send(request: Request) -> int:
            status = sender.send(request).status
            if not inflight.wait_idle(timeout=60):
                raise SystemExit("aor bench: the app was still busy 60 s after a request")
            return status

        started = time.perf_counter()
        for rep in planned:
            send(payloads.command("setup", "plan", user_id=rep))
        for n, rep in enumerate(planned):
            text = f"add-task <@{rep}|{rep.lower()}> Setup task {n} 1h"
            send(payloads.command("setup", text, user_id=team.manager_of[rep]))
        print(f"setup through the app: {time.perf_counter() - started:.1f}s")
        builders = _builders(payloads, team, planned, unplanned, engine)
        results: dict[str, Measured] = {}
        for kind in KINDS:
            requests = [builders[kind](n) for n in range(per_kind)]
            for request in requests[: args.warmup]:
                send(request)
            results[kind] = _measure(requests[args.warmup :], send, counter, meter, host)
            if kind in args.show_sql:
                counter.trace = []
                send(builders[kind](per_kind))
                _print_trace(kind, counter.trace)
                counter.trace = None
    finally:
        server.shutdown()
        server.server_close()
        app_engine.dispose()
    return _report(results, host)


def _builders(
    payloads: Payloads, team: Team, planned: list[str], unplanned: list[str], engine: Engine
) -> dict[str, Callable[[int], Request]]:
    """For each kind, the n-th action's request (built just before its kind is measured,
    from the state the earlier kinds left)."""
    landed: dict[str, tuple[str, str]] = {}  # message key -> (channel, ts) of its first post
    plan_dm: dict[str, tuple[str, str]] = {}  # rep -> today's checklist DM
    pending: list[tuple[int, str]] = []  # requests waiting for a decision, and their approver

    def load_landings() -> None:
        with Session(engine) as session:
            rows = session.exec(
                select(Outbox.message_key, Outbox.channel, Outbox.ts)
                .where(col(Outbox.ts).is_not(None))
                .order_by(col(Outbox.id))
            )
            for key, channel, ts in rows:
                if key and channel and ts:
                    landed.setdefault(key, (channel, ts))
            plans = session.exec(select(DailyPlan.id, DailyPlan.user_id))
            for plan_id, user in plans:
                if plan_id is not None and plan_key(plan_id) in landed:
                    plan_dm[user] = landed[plan_key(plan_id)]
            waiting = session.exec(
                select(Assignment.id, Assignment.approver_id)
                .where(Assignment.status == AssignmentStatus.pending)
                .order_by(col(Assignment.id))
            )
            pending[:] = [(a, approver) for a, approver in waiting if a is not None]

    def add_task(n: int) -> Request:
        rep = planned[n]
        text = f"add-task <@{rep}|{rep.lower()}> Cost task {n} 1h"
        return payloads.command("add_task", text, user_id=team.manager_of[rep])

    def decide(n: int) -> Request:
        if n == 0:
            load_landings()
        aid, approver = pending[n]
        channel, ts = landed[approval_key(aid)]
        return payloads.decide(
            user_id=approver,
            assignment_id=aid,
            channel=channel,
            ts=ts,
            decision=Decision.join_second,
        )

    def tick(n: int) -> Request:
        if n == 0:
            load_landings()
        channel, ts = plan_dm[planned[n]]
        return payloads.tick(user_id=planned[n], channel=channel, ts=ts, round_index=0)

    return {
        "add_task": add_task,
        "decide": decide,
        "tick": tick,
        "plan": lambda n: payloads.command("plan", "plan", user_id=unplanned[n]),
        "plan_again": lambda n: payloads.command("plan_again", "plan", user_id=planned[n]),
        "doc": lambda n: payloads.command("doc", "doc", user_id=planned[n]),
        "help": lambda n: payloads.command("help", "help", user_id=planned[n]),
    }


def _measure(
    requests: list[Request],
    send: Callable[[Request], int],
    counter: SqlCounter,
    meter: DeliveryMeter,
    host: FakeHost,
) -> Measured:
    measured = Measured()
    traffic_before, fake_before = host.traffic(), host.cpu_seconds()
    for request in requests:
        counts, delivery_counts = counter.snapshot(), counter.part_snapshot()
        pg, delivery_cpu = counter.server_cpu_seconds(), meter.cpu
        cpu, own, wall = time.process_time(), time.thread_time(), time.perf_counter()
        status = send(request)
        # This thread only sent the request and waited: what else the process spent is the
        # app's (HTTP server thread, Bolt, the listener, delivery's Slack calls).
        app_cpu = (time.process_time() - cpu) - (time.thread_time() - own)
        measured.wall.append(time.perf_counter() - wall)
        measured.app_cpu.append(app_cpu)
        measured.pg_cpu += counter.server_cpu_seconds() - pg
        measured.counts.append(counter.snapshot().minus(counts))
        measured.delivery_counts.append(counter.part_snapshot().minus(delivery_counts))
        measured.delivery_cpu.append(meter.cpu - delivery_cpu)
        measured.errors += status != 200
    measured.fake_cpu = host.cpu_seconds() - fake_before
    after = host.traffic()
    measured.slack = {
        k: v - traffic_before.get(k, 0) for k, v in after.items() if v != traffic_before.get(k, 0)
    }
    return measured


def _print_trace(kind: str, trace: list[str]) -> None:
    print(f"\n{kind}: one more action, every event in order")
    for n, line in enumerate(trace, 1):
        print(f"  {n:3} {line[: int(os.environ.get('AOR_BENCH_SQL_WIDTH', '160'))]}")


def _spread(values: list[int]) -> str:
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}-{high}"


def _report(results: dict[str, Measured], host: FakeHost) -> int:
    print(
        "\nper action, all of it (median of the measured actions; a-b when they differ)\n"
        f"{'kind':<11}{'stmts':>7}{'begins':>7}{'commit':>7}{'rollbk':>7}{'checko':>7}"
        f"{'trips':>7}{'app ms':>8}{'pg ms':>7}{'fake ms':>8}{'wall ms':>8}  Slack calls"
    )
    result: list[str] = []
    for kind, m in results.items():
        n = len(m.counts)

        def col_(name: str, m: Measured = m) -> str:
            return _spread([getattr(c, name) for c in m.counts])

        statements = int(median([c.statements for c in m.counts]))
        begins = int(median([c.begins for c in m.counts]))
        app_ms = median(m.app_cpu) * 1000
        trips = _spread([c.round_trips for c in m.counts])
        calls = ", ".join(f"{k} {v / n:g}" for k, v in sorted(m.slack.items()))
        print(
            f"{kind:<11}{col_('statements'):>7}{col_('begins'):>7}{col_('commits'):>7}"
            f"{col_('rollbacks'):>7}{col_('checkouts'):>7}{trips:>7}"
            f"{app_ms:8.1f}{m.pg_cpu / n * 1000:7.1f}{m.fake_cpu / n * 1000:8.1f}"
            f"{median(m.wall) * 1000:8.1f}  {calls}" + (f"  ERRORS {m.errors}" if m.errors else "")
        )
        result.append(f"{kind}={statements}/{begins}/{app_ms:.1f}")
    print(
        "\nof which delivery after the commit (bot.delivery.batch.send_batch: the sends and "
        f"recording their outcomes)\n{'kind':<11}{'stmts':>7}{'begins':>7}{'trips':>7}{'app ms':>8}"
        f"{'share':>7}"
    )
    for kind, m in results.items():
        delivery_ms, app_ms = median(m.delivery_cpu) * 1000, median(m.app_cpu) * 1000
        print(
            f"{kind:<11}{_spread([c.statements for c in m.delivery_counts]):>7}"
            f"{_spread([c.begins for c in m.delivery_counts]):>7}"
            f"{_spread([c.round_trips for c in m.delivery_counts]):>7}{delivery_ms:8.1f}"
            f"{(delivery_ms / app_ms if app_ms else 0):7.0%}"
        )
    print(
        "\nstmts: statements executed (executemany = 1); begins: transactions (psycopg sends "
        "BEGIN);\ncheckouts: pool checkouts (pool_pre_ping sends SELECT 1); trips: all of "
        "these plus commits and rollbacks.\napp ms: CPU of the app's process per action, "
        "median (delivery: CPU of the thread while in deliver);\npg ms, fake ms: mean CPU "
        "of PostgreSQL's backends and of the fake Slack's process per action\n(kernel ticks "
        "of 10 ms, averaged). wall ms: request sent until the app is idle again."
    )
    violations = host.violations()
    if violations:
        print(f"the fake Slack saw {len(violations)} violations, e.g. {violations[:3]}")
    errors = sum(m.errors for m in results.values())
    print(f"load average after: {load_average()}")
    print(f"RESULT {' '.join(result)} errors={errors} load={load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
