"""The clock: one APScheduler interval job whose tick does all due work.

No per-user jobs live in a job store (APScheduler's job stores cannot be shared between
processes); what is due is read from the database, and every send is claimed there first."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.core.logs import log_event
from bot.core.metrics import PLANS
from bot.core.runtime import Runtime
from bot.delivery.outbox import drain
from bot.delivery.report import DeliveryReport
from bot.jobs.coaching import PackReport, run_packs
from bot.jobs.morning import PlanReport, mark_plans_delivered, run_plans
from bot.jobs.reminders import RequestReport, run_requests
from bot.jobs.retention import run_retention
from storage.types import utcnow

logger = logging.getLogger(__name__)


@dataclass
class TickReport:
    outbox: DeliveryReport
    plans: PlanReport = field(default_factory=PlanReport)
    requests: RequestReport = field(default_factory=RequestReport)
    purged: list[str] = field(default_factory=list)  # workspaces whose retention ran out
    packs: PackReport = field(default_factory=PackReport)


def tick(rt: Runtime, *, now: datetime | None = None) -> TickReport:
    """One pass over everything due at `now`: queue the morning plans and coaching packs that
    are due, move and remind waiting requests, deliver the outbox, then mark the plans whose
    DM went out as sent."""
    clock = (lambda: now) if now is not None else utcnow
    try:
        plans = run_plans(rt, now=clock())
    except Exception:
        # One bad member must not hold up every other message: the outbox still drains.
        logger.exception("scheduler.plans_failed", extra={"instance": rt.instance})
        plans = PlanReport()
    try:
        requests = run_requests(rt, now=clock())
    except Exception:
        logger.exception("scheduler.requests_failed", extra={"instance": rt.instance})
        requests = RequestReport()
    try:
        packs = run_packs(rt, now=clock())
    except Exception:
        logger.exception("scheduler.packs_failed", extra={"instance": rt.instance})
        packs = PackReport()
    report = TickReport(outbox=drain(rt, now=clock), plans=plans, requests=requests, packs=packs)
    plans.delivered = mark_plans_delivered(rt, now=clock())
    report.purged = run_retention(rt, now=clock())
    PLANS.labels("claimed").inc(plans.queued)
    PLANS.labels("sent").inc(plans.delivered)
    log_event(
        logger,
        "scheduler.tick",
        instance=rt.instance,
        sent=len(report.outbox.sent),
        retrying=len(report.outbox.retrying),
        plans_queued=plans.queued,
        plans_lost=plans.lost,
        plans_skipped=plans.skipped,
        reminded=requests.reminded,
        packs_queued=packs.queued,
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
