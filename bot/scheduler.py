"""The clock: one APScheduler interval job whose tick does all due work.

No per-user jobs live in a job store (APScheduler's job stores cannot be shared between
processes); what is due is read from the database, and every send is claimed there first."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.logs import log_event
from bot.outbox import DeliveryReport, drain
from bot.runtime import Runtime
from storage.types import utcnow

logger = logging.getLogger(__name__)


@dataclass
class TickReport:
    outbox: DeliveryReport


def tick(rt: Runtime, *, now: datetime | None = None) -> TickReport:
    """One pass over everything due at `now`."""
    clock = (lambda: now) if now is not None else utcnow
    report = TickReport(outbox=drain(rt, now=clock))
    log_event(
        logger,
        "scheduler.tick",
        instance=rt.instance,
        sent=len(report.outbox.sent),
        retrying=len(report.outbox.retrying),
    )
    return report


def start_scheduler(rt: Runtime) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=rt.settings.aor_tick_seconds,
        args=[rt],
        id="aor-tick",
        max_instances=1,  # a slow tick is never overlapped by the next one
        coalesce=True,
        next_run_time=utcnow(),
    )
    scheduler.start()
    return scheduler
