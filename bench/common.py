"""What the benchmarks share: the database they may wipe, a seeded sales team, SQL and CPU
counters, percentiles and the machine's load."""

from __future__ import annotations

import math
import os
import statistics
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from bench.remote_fake import FakeHost
from storage.engine import make_engine, normalise_url
from storage.enums import Role
from storage.migrate import upgrade
from tests.utils.seed import TABLES, item_rows, member_rows, seed

URL_ENV = "AOR_BENCH_DATABASE_URL"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as printed with every figure."""
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def bench_database_url(url: str | None) -> str:
    """The PostgreSQL URL a benchmark may wipe: its database's name must contain "bench",
    so a test suite's database (wiped by the suite, and in use) is never taken by mistake."""
    if not url:
        raise SystemExit(f"aor bench: no database: pass --database-url or set {URL_ENV}")
    parsed = make_url(normalise_url(url))
    if not parsed.drivername.startswith("postgresql"):
        raise SystemExit("aor bench: a PostgreSQL URL is needed (postgresql+psycopg://...)")
    if "bench" not in (parsed.database or ""):
        raise SystemExit(
            f"aor bench: database {parsed.database!r} is wiped by a benchmark: use one whose "
            "name contains 'bench', e.g. bench_a"
        )
    return normalise_url(url)


def fresh_database(url: str) -> None:
    """Migrate to head and empty every table the app writes."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


# --- a seeded sales team ---------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    team_id: str
    managers: list[str]
    reps: list[str]
    manager_of: dict[str, str]


def seed_team(
    engine: Engine,
    host: FakeHost,
    *,
    team_id: str = "T0001",
    managers: int,
    reps_per_manager: int,
    items: int,
) -> Team:
    """Managers with their reps (manager of record set, profiles fresh so no users.info is
    needed), `items` active AOR items per rep, and every person known to the fake Slack."""
    manager_ids = [f"UMGR{m:03d}" for m in range(managers)]
    manager_of = {
        f"UREP{m:03d}{r:03d}": manager
        for m, manager in enumerate(manager_ids)
        for r in range(reps_per_manager)
    }
    reps = list(manager_of)
    people = member_rows(team_id, [*manager_ids, *reps], tz="America/New_York", next_plan_at=None)
    for row in people:
        row["manager_id"] = manager_of.get(row["user_id"])
        row["role"] = Role.rep if row["user_id"] in manager_of else Role.manager
    with Session(engine) as session, session.begin():
        seed(session, people, [row for rep in reps for row in item_rows(team_id, rep, items)])
    host.add_users([*manager_ids, *reps], tz="America/New_York", team_id=team_id)
    return Team(team_id=team_id, managers=manager_ids, reps=reps, manager_of=manager_of)


# --- counting what the app asks of PostgreSQL -------------------------------------------------


@dataclass
class SqlCounts:
    statements: int = 0  # cursor executions; an executemany is one
    begins: int = 0  # transactions begun (psycopg sends BEGIN before the first statement)
    commits: int = 0
    rollbacks: int = 0
    checkouts: int = 0  # connections taken from the pool: pool_pre_ping runs one SELECT 1

    @property
    def round_trips(self) -> int:
        """Statements plus BEGIN, COMMIT, ROLLBACK and the pre-ping: what waits on the server."""
        return self.statements + self.begins + self.commits + self.rollbacks + self.checkouts

    def minus(self, other: SqlCounts) -> SqlCounts:
        return SqlCounts(**{k: getattr(self, k) - getattr(other, k) for k in _FIELDS})


_FIELDS = ("statements", "begins", "commits", "rollbacks", "checkouts")
_TRACED = {
    "begins": "-- BEGIN",
    "commits": "-- COMMIT",
    "rollbacks": "-- ROLLBACK",
    "checkouts": "-- pool checkout (pre-ping: SELECT 1)",
}


@dataclass
class SqlCounter:
    """SQLAlchemy events on one engine: every execution, transaction and checkout, and the
    server process (backend pid) behind every pooled connection."""

    engine: Engine
    counts: SqlCounts = field(default_factory=SqlCounts)
    backend_pids: set[int] = field(default_factory=set)
    # Events on a thread for which `part()` is true are also counted in `part_counts`.
    part: Callable[[], bool] = field(default=lambda: False)
    part_counts: SqlCounts = field(default_factory=SqlCounts)
    # While a list, every event is also written down: a statement's SQL, or the event's name.
    trace: list[str] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        def bump(name: str) -> Any:
            def listener(*args: Any, **__: Any) -> None:
                in_part = self.part()
                with self._lock:
                    setattr(self.counts, name, getattr(self.counts, name) + 1)
                    if in_part:
                        setattr(self.part_counts, name, getattr(self.part_counts, name) + 1)
                    if self.trace is not None:
                        what = args[2] if name == "statements" else _TRACED[name]
                        self.trace.append(" ".join(str(what).split()))

            return listener

        event.listen(self.engine, "before_cursor_execute", bump("statements"))
        event.listen(self.engine, "begin", bump("begins"))
        event.listen(self.engine, "commit", bump("commits"))
        event.listen(self.engine, "rollback", bump("rollbacks"))
        event.listen(self.engine.pool, "checkout", bump("checkouts"))

        def connected(dbapi_connection: Any, _record: Any) -> None:
            # psycopg 3 knows its server process without asking it.
            with self._lock:
                self.backend_pids.add(int(dbapi_connection.info.backend_pid))

        event.listen(self.engine.pool, "connect", connected)

    def snapshot(self) -> SqlCounts:
        with self._lock:
            return SqlCounts(**{k: getattr(self.counts, k) for k in _FIELDS})

    def part_snapshot(self) -> SqlCounts:
        with self._lock:
            return SqlCounts(**{k: getattr(self.part_counts, k) for k in _FIELDS})

    def server_cpu_seconds(self) -> float:
        """CPU time so far of the PostgreSQL backends serving this engine (from /proc; the
        kernel counts it in clock ticks, 10 ms, so average it over many actions)."""
        with self._lock:
            pids = list(self.backend_pids)
        return sum(process_cpu_seconds(pid) for pid in pids)


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime


# --- the app's listeners at work ------------------------------------------------------------


# --- figures ------------------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0
