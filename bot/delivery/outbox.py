"""Delivering the outbox, the one way a message leaves the app: right after the commit that
wrote an entry (the runtime hands it here), and again from the scheduler tick for whatever
failed. Each entry is claimed before it is sent, so two deliverers never send the same thing
twice. An App Home entry is rendered here, at send time, from the data current then."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.logs import log_event
from bot.core.metrics import PLANS
from bot.core.runtime import Runtime
from bot.delivery.reads import gather_home
from bot.render.home import build_home
from storage import members as member_store
from storage import outbox as store
from storage import plans as plan_store
from storage.enums import OutboxKind, OutboxStatus
from storage.models import Outbox
from storage.types import utcnow

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)
# About a day of retries (the backoff doubles up to an hour): then a person must look.
MAX_ATTEMPTS = 30
# Slack's answers meaning the person cannot be reached at all: retrying would never succeed.
GONE_ERRORS = frozenset(
    {"user_not_found", "account_inactive", "cannot_dm_bot", "user_disabled", "not_in_channel"}
)
# Answers meaning this message itself is refused: the same payload will be refused again.
# Token or scope problems are not here: they are fixed by the operator, then retries succeed.
REFUSED_ERRORS = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "channel_not_found",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    dead: list[Outbox] = field(default_factory=list)

    @property
    def all_sent(self) -> bool:
        return not self.retrying and not self.dead


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver(
    rt: Runtime,
    ids: Iterable[int],
    *,
    now: Callable[[], datetime] = utcnow,
    paused: set[str] | None = None,
) -> DeliveryReport:
    """Send these entries. A workspace whose Slack still answers 429 after slack_sdk has
    waited out Retry-After is `paused`: its other entries wait for a later tick, so one
    busy workspace does not hold back the rest."""
    report = DeliveryReport()
    paused = set() if paused is None else paused
    for entry_id in ids:
        _deliver_one(rt, entry_id, now, report, paused)
    return report


def drain(
    rt: Runtime,
    *,
    batch: int = 200,
    now: Callable[[], datetime] = utcnow,
) -> DeliveryReport:
    """Deliver every entry that is due, in batches (the scheduler's share of the work)."""
    total = DeliveryReport()
    seen: set[int] = set()
    paused: set[str] = set()
    while True:
        with rt.db.transaction() as session:
            ids = [
                i for i in store.due_ids(session=session, now=now(), limit=batch) if i not in seen
            ]
        if not ids:
            return total
        seen.update(ids)
        part = deliver(rt, ids, now=now, paused=paused)
        total.sent += part.sent
        total.retrying += part.retrying
        total.dead += part.dead


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
            store.finish(
                session=session, entry_id=entry_id, status=OutboxStatus.superseded, now=now()
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
    paused: set[str],
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
    if entry.team_id in paused:
        with rt.db.transaction() as session:
            store.release(session=session, entry_id=entry_id)
        report.retrying.append(entry_id)
        return
    fields = {"team": entry.team_id, "user": entry.user_id, "outbox": entry_id, "kind": entry.kind}
    try:
        channel, ts = _send(rt, entry, target)
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown_error"))
        gone = error in GONE_ERRORS
        dead = gone or error in REFUSED_ERRORS or entry.attempts >= MAX_ATTEMPTS
        _record_failure(rt, entry, error, now(), dead=dead)
        # A refused message is our bug or an operator's problem: loud, not a warning.
        level = logging.ERROR if dead and not gone else logging.WARNING
        log_event(logger, "outbox.failed", level, error=error, gone=gone, dead=dead, **fields)
        if dead:
            report.dead.append(entry)
            if gone:
                stop_plans_for(rt, entry, error)
        else:
            report.retrying.append(entry_id)
        if error == "ratelimited":
            paused.add(entry.team_id)
        return
    except (SlackClientError, OSError) as exc:
        dead = entry.attempts >= MAX_ATTEMPTS
        _record_failure(rt, entry, type(exc).__name__, now(), dead=dead)
        level = logging.ERROR if dead else logging.WARNING
        log_event(logger, "outbox.failed", level, error=type(exc).__name__, dead=dead, **fields)
        if dead:
            report.dead.append(entry)
        else:
            report.retrying.append(entry_id)
        return
    with rt.db.transaction() as session:
        store.finish(
            session=session,
            entry_id=entry_id,
            status=OutboxStatus.sent,
            now=now(),
            channel=channel,
            ts=ts,
        )
    log_event(logger, "outbox.sent", **fields)
    report.sent.append(entry_id)


def _send(
    rt: Runtime, entry: Outbox, target: tuple[str, str] | None
) -> tuple[str | None, str | None]:
    payload: dict[str, Any] = entry.payload
    client = rt.client_for(entry.team_id)
    if entry.kind == OutboxKind.home:
        with rt.db.transaction() as session:
            member = member_store.get_member(
                session=session, team_id=entry.team_id, user_id=entry.user_id
            )
            data = gather_home(session=session, rt=rt, member=member) if member else None
        if data is not None:
            client.views_publish(user_id=entry.user_id, view=build_home(data))
        return None, None
    if target is not None:
        channel, ts = target
        client.chat_update(
            channel=channel, ts=ts, text=payload["text"], blocks=payload.get("blocks")
        )
        return channel, ts
    response = client.chat_postMessage(
        channel=entry.user_id, text=payload["text"], blocks=payload.get("blocks")
    )
    return response["channel"], response["ts"]


def _record_failure(rt: Runtime, entry: Outbox, error: str, now: datetime, *, dead: bool) -> None:
    with rt.db.transaction() as session:
        store.finish(
            session=session,
            entry_id=entry.id or 0,
            status=OutboxStatus.dead if dead else OutboxStatus.pending,
            now=now,
            error=error[:500],
            retry_at=None if dead else now + backoff(entry.attempts),
        )


def stop_plans_for(rt: Runtime, entry: Outbox, error: str) -> None:
    """Slack says this person cannot be reached (`error`, e.g. account_inactive): no more
    plans until they change settings."""
    with rt.db.transaction() as session:
        plan_store.stop_plans(session=session, team_id=entry.team_id, user_id=entry.user_id)
        key = entry.message_key or ""
        if key.startswith(plan_store.PLAN_KEY_PREFIX):
            PLANS.labels("failed").inc()
            plan_store.mark_failed(
                session=session,
                plan_id=int(key.removeprefix(plan_store.PLAN_KEY_PREFIX)),
                error=error,
            )
    log_event(
        logger,
        "plans.stopped",
        logging.WARNING,
        team=entry.team_id,
        user=entry.user_id,
        error=error,
    )
