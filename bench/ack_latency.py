"""Ack latency under load: the AOR app (bot.wsgi:app) against a bare Bolt app whose only
listeners ack (bench/bare_app.py), both under the same gunicorn gthread config, on PostgreSQL,
with the fake Slack (in its own process) as Slack and one `aor scheduler` beside the app.

    python bench/ack_latency.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_a

It WIPES that database (its name must contain "bench"). Two loads, rounds interleaved app,
bare, app, bare...: `/aor help` only, then a realistic mix (help, doc, add-task, decision
click, checklist tick, plan) on a seeded team whose plans and pending requests were made
through the app before timing. The last line printed is
`RESULT help_ratio_rps=... help_p99_ms=... mix_ratio_rps=... mix_p99_ms=... errors=... drain_s=...`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from bench.common import (
    URL_ENV,
    Team,
    bench_database_url,
    fresh_database,
    load_average,
    median,
    percentile,
    seed_team,
)
from bench.processes import app_env, gunicorn, start_scheduler, stop
from bench.remote_fake import FakeHost, remote_fake
from bench.slack_load import LoadRound, Payloads, Request, run_load
from bot.services.request_messages import approval_key
from storage.db import make_engine
from storage.enums import AssignmentStatus, Decision, OutboxStatus
from storage.models import Assignment, DailyPlan, Outbox
from storage.plans import plan_key

SECRET = "bench-signing-secret"
KINDS = ("help", "doc", "add_task", "decide", "tick", "plan")
APP, BARE = "app", "bare"


@dataclass(frozen=True)
class World:
    """The seeded team and what setup made through the app: each rep's checklist DM and the
    requests waiting for a decision, each with its approval DM (channel, ts)."""

    team: Team
    plans: dict[str, tuple[str, str]]
    pending: list[tuple[int, str, str, str]]  # assignment id, approver, channel, ts


def main() -> int:
    args = _parser().parse_args()
    url = bench_database_url(args.database_url)
    per_kind = args.mix_requests // len(KINDS)
    reps = args.managers * args.reps_per_manager
    if per_kind < 1 or per_kind > reps:
        raise SystemExit(f"aor bench: --mix-requests must give 1..{reps} requests of each kind")
    print(f"load average before: {load_average()}")
    fresh_database(url)
    with tempfile.TemporaryDirectory(prefix="aor-bench-") as tmp, remote_fake() as host:
        log_path = Path(tmp) / "processes.log"
        with open(log_path, "wb") as log:
            engine = make_engine(url)
            try:
                return _run(args, url, engine, host, per_kind, log)
            except BaseException:
                log.flush()
                print(f"--- process log (tail) ---\n{_tail(log_path)}", file=sys.stderr)
                raise
            finally:
                engine.dispose()


def _run(
    args: argparse.Namespace,
    url: str,
    engine: Engine,
    host: FakeHost,
    per_kind: int,
    log: IO[bytes],
) -> int:
    team = seed_team(
        engine,
        host,
        managers=args.managers,
        reps_per_manager=args.reps_per_manager,
        items=args.items,
    )
    env = app_env(api_url=host.api_url(), database_url=url, signing_secret=SECRET)
    scheduler = start_scheduler(
        {**env, "AOR_TICK_SECONDS": str(args.tick_seconds), "LOG_LEVEL": "WARNING"}, log
    )
    shape = {"workers": args.workers, "threads": args.threads}
    try:
        with (
            gunicorn("bot.wsgi:app", env, log=log, **shape) as app_url,
            gunicorn("bench.bare_app:app", env, log=log, **shape) as bare_url,
        ):
            urls = {APP: app_url, BARE: bare_url}
            payloads = Payloads(host, team.team_id)
            started = time.perf_counter()
            world = _prepare(urls[APP], payloads, team, engine, host, args, per_kind)
            print(
                f"setup through the app: {len(world.plans)} checklists, {len(world.pending)} "
                f"pending requests in {time.perf_counter() - started:.1f}s"
            )
            helps = [
                payloads.command("help", "help", user_id=team.reps[n % len(team.reps)])
                for n in range(args.help_requests)
            ]
            print(f"\n/aor help only: {len(helps)} requests, {args.concurrency} concurrent")
            help_rounds = _interleaved(urls, args, lambda _r: helps)
            print(f"\nmix: {per_kind * len(KINDS)} requests, {args.concurrency} concurrent")
            rng = random.Random(args.seed)
            drains: list[float | None] = []
            completed: list[float] = []

            def mix(r: int) -> list[Request]:
                return _mix_requests(payloads, world, r, per_kind, rng)

            def after_app_round(round_: LoadRound) -> str:
                drain, pending = _wait_drained(
                    engine, host, since=round_.last_answer, timeout=args.drain_timeout
                )
                drains.append(drain)
                if drain is None:
                    return f"drain >{args.drain_timeout:.0f}s ({pending} pending)"
                done_rps = len(round_.outcomes) / (round_.elapsed + drain)
                completed.append(done_rps)
                return f"drain {drain:.2f}s, {done_rps:.1f} req/s delivered"

            mix_rounds = _interleaved(urls, args, mix, after_app=after_app_round)
    finally:
        stop(scheduler)
    return _report(help_rounds, mix_rounds, drains, completed, host)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(URL_ENV))
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each server per load")
    parser.add_argument("--help-requests", type=int, default=2000)
    parser.add_argument("--mix-requests", type=int, default=300, help="per round, all kinds")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--managers", type=int, default=6)
    parser.add_argument("--reps-per-manager", type=int, default=10)
    parser.add_argument("--items", type=int, default=15, help="AOR items per rep")
    parser.add_argument("--tick-seconds", type=int, default=5, help="the scheduler's tick")
    parser.add_argument("--drain-timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=7, help="shuffles the mix")
    return parser


# --- setup through the app ----------------------------------------------------------------


def _prepare(
    app_url: str,
    payloads: Payloads,
    team: Team,
    engine: Engine,
    host: FakeHost,
    args: argparse.Namespace,
    per_kind: int,
) -> World:
    """Today's checklist for every rep and enough pending requests for every round's
    decision clicks, made by the app itself (so their DMs exist in the fake Slack)."""
    setup = [payloads.command("plan", "plan", user_id=rep) for rep in team.reps]
    for n in range(args.rounds * per_kind):
        rep = team.reps[n % len(team.reps)]
        setup.append(
            payloads.command(
                "add_task",
                f"add-task <@{rep}|{rep.lower()}> Setup task {n} 1h",
                user_id=team.manager_of[rep],
            )
        )
    done = run_load(app_url, SECRET, setup, concurrency=8)
    if done.errors:
        raise SystemExit(f"aor bench: {done.errors} setup requests failed")
    drain, pending = _wait_drained(engine, host, since=done.last_answer, timeout=120)
    if drain is None:
        raise SystemExit(f"aor bench: setup left {pending} DMs undelivered")
    with Session(engine) as session:
        landed: dict[str, tuple[str, str]] = {}
        rows = session.exec(
            select(Outbox.message_key, Outbox.channel, Outbox.ts)
            .where(col(Outbox.ts).is_not(None))
            .order_by(col(Outbox.id))
        )
        for key, channel, ts in rows:
            if key and channel and ts:
                landed.setdefault(key, (channel, ts))
        plans = {
            user: landed[plan_key(plan_id)]
            for plan_id, user in session.exec(select(DailyPlan.id, DailyPlan.user_id))
            if plan_id is not None and plan_key(plan_id) in landed
        }
        pending_rows = session.exec(
            select(Assignment.id, Assignment.approver_id)
            .where(Assignment.status == AssignmentStatus.pending)
            .order_by(col(Assignment.id))
        )
        waiting = [
            (aid, approver, *landed[approval_key(aid)])
            for aid, approver in pending_rows
            if aid is not None and approval_key(aid) in landed
        ]
    if len(plans) < len(team.reps) or len(waiting) < args.rounds * per_kind:
        raise SystemExit(
            f"aor bench: setup made {len(plans)} checklists of {len(team.reps)} and "
            f"{len(waiting)} pending requests of {args.rounds * per_kind}"
        )
    return World(team=team, plans=plans, pending=waiting)


def _mix_requests(
    payloads: Payloads, world: World, r: int, per_kind: int, rng: random.Random
) -> list[Request]:
    """Round r's mix, `per_kind` of each kind, shuffled: every rep ticks at most once a
    round, every click decides a different pending request."""
    reps, team = world.team.reps, world.team
    requests: list[Request] = []
    for k in range(per_kind):
        rep = reps[(r * per_kind + k) % len(reps)]
        target = reps[(r * per_kind + k + len(reps) // 2) % len(reps)]
        ticker = reps[k]
        aid, approver, channel, ts = world.pending[r * per_kind + k]
        plan_channel, plan_ts = world.plans[ticker]
        requests += [
            payloads.command("help", "help", user_id=rep),
            payloads.command("doc", "doc", user_id=rep),
            payloads.command("plan", "plan", user_id=rep),
            payloads.command(
                "add_task",
                f"add-task <@{target}|{target.lower()}> Round {r} task {k} 2h",
                user_id=team.manager_of[target],
            ),
            payloads.decide(
                user_id=approver,
                assignment_id=aid,
                channel=channel,
                ts=ts,
                decision=Decision.join_second,
            ),
            payloads.tick(user_id=ticker, channel=plan_channel, ts=plan_ts, round_index=r),
        ]
    rng.shuffle(requests)
    return requests


# --- rounds -------------------------------------------------------------------------------


def _interleaved(
    urls: dict[str, str],
    args: argparse.Namespace,
    requests_for: Callable[[int], list[Request]],
    after_app: Callable[[LoadRound], str] | None = None,
) -> dict[str, list[LoadRound]]:
    """Rounds app, bare, app, bare...; round r of both sends the same bodies."""
    rounds: dict[str, list[LoadRound]] = {APP: [], BARE: []}
    for r in range(args.rounds):
        requests = requests_for(r)
        for name in (APP, BARE):
            load = load_average()
            done = run_load(urls[name], SECRET, requests, concurrency=args.concurrency)
            rounds[name].append(done)
            extra = after_app(done) if after_app is not None and name == APP else ""
            print(f"  round {r + 1} {name:<4} {_figures(done)}  load {load}  {extra}".rstrip())
    return rounds


def _wait_drained(
    engine: Engine, host: FakeHost, *, since: float, timeout: float, quiet: float = 1.0
) -> tuple[float | None, int]:
    """Seconds from `since` (perf_counter) until the outbox had no pending entry and the fake
    Slack's delivered sends stopped growing (for `quiet` s); None if not within `timeout`,
    with the entries still pending."""
    deadline = time.perf_counter() + timeout
    sends, changed, pending = host.sends(), time.perf_counter(), 0
    while time.perf_counter() < deadline:
        with Session(engine) as session:
            pending = session.exec(
                select(func.count())
                .select_from(Outbox)
                .where(Outbox.status == OutboxStatus.pending)
            ).one()
        now_sends, now = host.sends(), time.perf_counter()
        if now_sends != sends or pending:
            sends, changed = now_sends, now
        elif now - changed >= quiet:
            return max(changed - since, 0.0), 0
        time.sleep(0.05)
    return None, pending


# --- figures ------------------------------------------------------------------------------


def _figures(done: LoadRound) -> str:
    ms = [x * 1000 for x in done.latencies()]
    return (
        f"{done.rps:7.1f} req/s  p50 {percentile(ms, 50):6.1f}  p95 {percentile(ms, 95):6.1f}"
        f"  p99 {percentile(ms, 99):6.1f} ms  errors {done.errors}"
        + (f" (resent {done.resent})" if done.resent else "")
    )


def _summary(rounds: list[LoadRound]) -> tuple[float, float, float, float, int]:
    """Median req/s of the rounds; p50, p95, p99 (ms) of every request; errors."""
    ms = [x * 1000 for r in rounds for x in r.latencies()]
    return (
        median([r.rps for r in rounds]),
        percentile(ms, 50),
        percentile(ms, 95),
        percentile(ms, 99),
        sum(r.errors for r in rounds),
    )


def _report(
    help_rounds: dict[str, list[LoadRound]],
    mix_rounds: dict[str, list[LoadRound]],
    drains: list[float | None],
    completed: list[float],
    host: FakeHost,
) -> int:
    out: dict[str, str] = {}
    for load, rounds in (("help", help_rounds), ("mix", mix_rounds)):
        print(f"\n{load}: all rounds (median req/s; percentiles of every request)")
        app, bare = _summary(rounds[APP]), _summary(rounds[BARE])
        for name, (rps, p50, p95, p99, errors) in ((APP, app), (BARE, bare)):
            print(
                f"  {name:<4} {rps:7.1f} req/s  p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms"
                f"  errors {errors}"
            )
        ratio_rps = app[0] / bare[0] if bare[0] else 0.0
        ratio_p99 = app[3] / bare[3] if bare[3] else 0.0
        print(f"  app/bare: req/s {ratio_rps:.2f}x, p99 {ratio_p99:.2f}x")
        out |= {
            f"{load}_rps": f"{app[0]:.1f}",
            f"{load}_bare_rps": f"{bare[0]:.1f}",
            f"{load}_ratio_rps": f"{ratio_rps:.3f}",
            f"{load}_p99_ms": f"{app[3]:.1f}",
            f"{load}_bare_p99_ms": f"{bare[3]:.1f}",
            f"{load}_p99_ratio": f"{ratio_p99:.2f}",
        }
    print("\nmix, the app by kind (all rounds): p50 / p95 / p99 ms")
    for kind in KINDS:
        ms = [x * 1000 for r in mix_rounds[APP] for x in r.latencies(kind)]
        print(
            f"  {kind:<9} {percentile(ms, 50):7.1f} {percentile(ms, 95):7.1f}"
            f" {percentile(ms, 99):7.1f}  ({len(ms)} requests)"
        )
    finished = [d for d in drains if d is not None]
    print(
        "drain after each app mix round (last ack to every DM and Home delivered): "
        + ", ".join("timeout" if d is None else f"{d:.2f}s" for d in drains)
    )
    if completed:
        done_rps = median(completed)
        bare_rps = median([r.rps for r in mix_rounds[BARE]])
        print(
            f"mix delivered (requests / (first request to last DM and Home delivered)): "
            f"{done_rps:.1f} req/s, {done_rps / bare_rps if bare_rps else 0:.3f}x the bare acks"
        )
        out["mix_delivered_rps"] = f"{done_rps:.1f}"
    violations = host.violations()
    if violations:
        print(f"the fake Slack saw {len(violations)} violations, e.g. {violations[:3]}")
    errors = sum(r.errors for rounds in (help_rounds, mix_rounds) for r in rounds[APP])
    drain = f"{median(finished):.2f}" if len(finished) == len(drains) else "timeout"
    print(f"load average after: {load_average()}")
    print(
        "RESULT "
        + " ".join(f"{k}={v}" for k, v in out.items())
        + f" errors={errors} drain_s={drain} drain_max_s="
        + (f"{max(finished):.2f}" if finished else "timeout")
        + f" violations={len(violations)} load={load_average()}"
    )
    return 0


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
