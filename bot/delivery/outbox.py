"""Delivering what is due from the outbox: the scheduler's drain (the morning's plans, and
retries of what failed), workspace by workspace at each one's pace, chunk by chunk
(`bot.delivery.batch.send_claimed`); and, one entry at a time, an entry whose message has an
older send in flight, which waits for it. Every send is claimed first, so two deliverers
never send the same thing twice. An App Home is rendered at send time, from the data current
then."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.delivery.batch import LEASE
from bot.delivery.failures import Failure, classify, log_failure, stop_plans_for
from bot.delivery.report import DeliveryReport
from bot.delivery.send import pacer_of, send
from bot.delivery.sending import Pass, claim_chunk
from storage import outbox as store
from storage.enums import OutboxStatus
from storage.locks import workspace_sender
from storage.models import Outbox
from storage.outbox_batch import Outcome, finish_many
from storage.plans import PLAN_KEY_PREFIX
from storage.types import utcnow

logger = logging.getLogger(__name__)

# A drain claims at once what its workspace's pace sends in this long.
CHUNK_SECONDS = 0.5


def deliver(
    rt: Runtime,
    ids: Iterable[int],
    *,
    now: Callable[[], datetime] = utcnow,
    bulk: bool = False,
) -> DeliveryReport:
    """Claim and send these entries; `bulk` ones wait for their workspace's pace."""
    report = DeliveryReport()
    for entry_id in ids:
        _deliver_one(rt, entry_id, now, report, bulk=bulk)
    return report


def drain(
    rt: Runtime,
    *,
    batch: int = 200,
    now: Callable[[], datetime] = utcnow,
) -> DeliveryReport:
    """Deliver every entry that is due (the scheduler's share of the work), for each
    workspace no other process is sending right now. Each workspace's entries are claimed a
    chunk at a time (what its pace sends in CHUNK_SECONDS: one statement to claim, one to
    record the outcomes), and the workspaces are interleaved entry by entry: whichever's
    next slot comes first sends next."""
    total = DeliveryReport()
    with rt.db.transaction() as session:
        teams = store.due_teams(session=session, now=now())
    pacer = pacer_of(rt)
    chunk = max(1, round(rt.settings.aor_send_rate * CHUNK_SECONDS))
    with ExitStack() as held:
        mine = [t for t in teams if held.enter_context(workspace_sender(rt.db.engine, t))]
        queues: dict[str, deque[int]] = {team: deque() for team in mine}
        passes: dict[str, Pass] = {}
        tried: set[int] = set()
        while queues or passes:
            for team in list(queues):
                if team in passes:
                    continue
                if not queues[team] and not _refill(rt, team, queues, tried, batch, now):
                    del queues[team]
                    continue
                ids = [queues[team].popleft() for _ in range(min(chunk, len(queues[team])))]
                passes[team] = claim_chunk(rt, ids, now=now)
                tried.update(ids)
            for team in [t for t, p in passes.items() if p.done]:
                part = passes.pop(team).finish()
                total.add(part)
                # A rate-limited one comes due again after Retry-After, in this pass.
                tried.difference_update(part.rate_limited)
            if passes:
                team = min(passes, key=lambda t: pacer.wait_time(t, passes[t].upcoming.method))
                passes[team].send_next()
    return total


def _refill(
    rt: Runtime,
    team: str,
    queues: dict[str, deque[int]],
    tried: set[int],
    batch: int,
    now: Callable[[], datetime],
) -> bool:
    with rt.db.transaction() as session:
        ids = store.due_ids(
            session=session, now=now(), limit=batch, team_id=team, bulk_prefix=PLAN_KEY_PREFIX
        )
    queues[team].extend(i for i in ids if i not in tried)
    return bool(queues[team])


_WAIT = "wait"  # an older entry for the same message is being sent right now
# How long a newer entry waits for an older one in flight (a send takes well under a second)
# before leaving itself to the next tick.
WAIT_FOR_OLDER = timedelta(seconds=5)
_WAIT_STEP = 0.05


def _claim_to_send(
    rt: Runtime, entry_id: int, now: Callable[[], datetime]
) -> tuple[Outbox, tuple[str, str] | None] | str | None:
    """The entry and where its message already landed, once it is ours to send; None when
    there is nothing to send; _WAIT when an older send of the same message must land first."""
    with rt.db.transaction() as session:
        entry = store.claim(session=session, entry_id=entry_id, now=now(), lease=LEASE)
        if entry is None:
            return None  # someone else holds it, or it is already done
        if store.has_newer(session=session, entry=entry):
            finish_many(
                session=session, outcomes=[Outcome(entry_id, OutboxStatus.superseded)], now=now()
            )
            return None
        # Older entries for this message that nobody is sending carry stale content: this
        # one replaces them. One being sent right now must land first (it may be the post).
        store.supersede_older(session=session, entry=entry, now=now())
        if store.has_older_pending(session=session, entry=entry):
            store.release(session=session, entry_id=entry_id)
            return _WAIT
        target = (
            store.landing(session=session, team_id=entry.team_id, message_key=entry.message_key)
            if entry.message_key
            else None
        )
    return entry, target


def _deliver_one(
    rt: Runtime,
    entry_id: int,
    now: Callable[[], datetime],
    report: DeliveryReport,
    *,
    bulk: bool,
) -> None:
    deadline = time.monotonic() + WAIT_FOR_OLDER.total_seconds()
    claimed = _claim_to_send(rt, entry_id, now)
    while claimed == _WAIT and time.monotonic() < deadline:
        time.sleep(_WAIT_STEP)
        claimed = _claim_to_send(rt, entry_id, now)
    if claimed == _WAIT:
        report.retrying.append(entry_id)  # the next tick takes it
        return
    if claimed is None or isinstance(claimed, str):
        return
    entry, target = claimed
    try:
        channel, ts = send(rt, entry, target, bulk=bulk)
    except (SlackApiError, SlackClientError, OSError) as exc:
        failure = classify(exc, attempts=entry.attempts, now=now())
        _record_failure(rt, entry, failure, now())
        log_failure(entry, failure)
        if failure.dead:
            report.dead.append(entry)
            if failure.gone:
                stop_plans_for(rt, entry, failure.error)
        else:
            report.retrying.append(entry_id)
        if failure.wait is not None:
            report.rate_limited.append(entry_id)
        return
    with rt.db.transaction() as session:
        sent = Outcome(entry_id, OutboxStatus.sent, channel=channel, ts=ts)
        finish_many(session=session, outcomes=[sent], now=now())
    log_event(logger, "outbox.sent", team=entry.team_id, user=entry.user_id, outbox=entry_id)
    report.sent.append(entry_id)


def _record_failure(rt: Runtime, entry: Outbox, failure: Failure, now: datetime) -> None:
    with rt.db.transaction() as session:
        outcome = Outcome(
            entry.id or 0,
            OutboxStatus.dead if failure.dead else OutboxStatus.pending,
            error=failure.error[:500],
            retry_at=failure.retry_at,
            uncount=failure.wait is not None,
        )
        finish_many(session=session, outcomes=[outcome], now=now)
