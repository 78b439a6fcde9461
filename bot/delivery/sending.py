"""Sending what a pass holds, and recording how it went in one statement: after a commit,
the entries that unit of work wrote (`send_batch`, at once, interactive); in the scheduler's
drain, a claimed chunk of one workspace (`claim_chunk`), sent one entry at a time so the
drain can interleave workspaces, each at its own pace."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.logs import log_event
from bot.core.runtime import Landing, Runtime
from bot.delivery.batch import LEASE, Batch, Send, prepare
from bot.delivery.failures import Failure, classify, log_failure, stop_plans_for
from bot.delivery.report import DeliveryReport
from bot.delivery.send import send
from storage import outbox as store
from storage import outbox_batch as batch_store
from storage.enums import DeliveryState, OutboxStatus
from storage.models import Outbox
from storage.outbox_batch import Outcome
from storage.types import utcnow

logger = logging.getLogger(__name__)


@dataclass
class Pass:
    """A batch being sent: `send_next` until `done`, then `finish` records the outcomes."""

    rt: Runtime
    batch: Batch
    bulk: bool
    started: datetime = field(default_factory=utcnow)
    report: DeliveryReport = field(default_factory=DeliveryReport)
    _outcomes: list[Outcome] = field(default_factory=list)
    _gone: list[tuple[Outbox, str]] = field(default_factory=list)
    _states: dict[tuple[str, str], Landing] = field(default_factory=dict)
    _next: int = 0

    @property
    def done(self) -> bool:
        return self._next >= len(self.batch.sends)

    @property
    def upcoming(self) -> Send:
        return self.batch.sends[self._next]

    def send_next(self) -> None:
        item = self.upcoming
        self._next += 1
        outcome, failure = _send_one(self.rt, item, utcnow(), bulk=self.bulk)
        self._outcomes.append(outcome)
        _tally(self.report, item.entry, outcome, failure)
        if failure is not None and failure.gone:
            self._gone.append((item.entry, failure.error))
        if item.entry.message_key is not None:
            key = (item.entry.team_id, item.entry.message_key)
            self._states[key] = _landing(item, outcome)

    def finish(self) -> DeliveryReport:
        """Every outcome in one statement; the people Slack says are gone get no more plans.
        After a commit (not bulk) the entries waiting on an older send are handed to the
        claiming path; in a drain they wait for its next look."""
        with self.rt.db.transaction() as session:
            batch_store.finish_many(session=session, outcomes=self._outcomes, now=self.started)
        for entry, error in self._gone:
            stop_plans_for(self.rt, entry, error)
        self.rt.note_landings(self._states)
        if self.batch.waiting and not self.bulk and self.rt.deliver_claimed is not None:
            self.rt.deliver_claimed(self.batch.waiting)
        self.report.retrying += self.batch.waiting
        return self.report


def send_batch(rt: Runtime, batch: Batch) -> DeliveryReport:
    """What a unit of work wrote, sent right after its commit. Where each message now stands
    is noted on the runtime, for the reply to the person whose action caused it
    (`Runtime.landing`)."""
    sending = Pass(rt, batch, bulk=False)
    while not sending.done:
        sending.send_next()
    return sending.finish()


def claim_chunk(rt: Runtime, ids: Sequence[int], *, now: Callable[[], datetime] = utcnow) -> Pass:
    """The scheduler's way: claim these entries in one statement (those still due and free)
    and settle them as `prepare` does, ready to be sent at the workspace's pace."""
    with rt.db.transaction() as session:
        entries = store.claim_many(session=session, ids=ids, now=now(), lease=LEASE)
        batch = prepare(rt, session, entries)
    return Pass(rt, batch, bulk=True, started=now())


def _tally(
    report: DeliveryReport, entry: Outbox, outcome: Outcome, failure: Failure | None
) -> None:
    if failure is None:
        report.sent.append(outcome.entry_id)
    elif failure.dead:
        report.dead.append(entry)
    else:
        report.retrying.append(outcome.entry_id)
        if failure.wait is not None:
            report.rate_limited.append(outcome.entry_id)


def _send_one(
    rt: Runtime, item: Send, now: datetime, *, bulk: bool
) -> tuple[Outcome, Failure | None]:
    entry = item.entry
    entry_id = entry.id or 0
    try:
        channel, ts = send(rt, entry, item.target, view=item.view, bulk=bulk)
    except (SlackApiError, SlackClientError, OSError) as exc:
        failure = classify(exc, attempts=entry.attempts, now=now)
        log_failure(entry, failure)
        status = OutboxStatus.dead if failure.dead else OutboxStatus.pending
        return Outcome(
            entry_id=entry_id,
            status=status,
            error=failure.error[:500],
            retry_at=failure.retry_at,
            uncount=failure.wait is not None,
        ), failure
    log_event(logger, "outbox.sent", team=entry.team_id, user=entry.user_id, outbox=entry_id)
    return Outcome(entry_id=entry_id, status=OutboxStatus.sent, channel=channel, ts=ts), None


def _landing(item: Send, outcome: Outcome) -> Landing:
    if outcome.status == OutboxStatus.sent:
        newest = DeliveryState.landed
    else:
        newest = DeliveryState.dead if outcome.status == OutboxStatus.dead else DeliveryState.queued
    # An update that failed leaves the message where an earlier send put it.
    return Landing(first=DeliveryState.landed if item.target else newest, newest=newest)
