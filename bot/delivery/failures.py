"""What a failed send means: retry when (and how soon), or give up, and whether the person
can no longer be reached at all."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot.core.logs import log_event
from bot.core.metrics import PLANS
from bot.core.runtime import Runtime
from bot.delivery.pacing import retry_after
from storage import plans as plan_store
from storage.models import Outbox

logger = logging.getLogger(__name__)

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
RATE_LIMITED = "ratelimited"


@dataclass(frozen=True)
class Failure:
    error: str
    gone: bool
    dead: bool
    retry_at: datetime | None  # None when dead
    wait: timedelta | None = None  # Slack's Retry-After, for a rate limit


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def classify(exc: Exception, *, attempts: int, now: datetime) -> Failure:
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error", "unknown_error"))
        if exc.response.status_code == 429 or error == RATE_LIMITED:
            # Not the message's fault: back when Slack says, without using up an attempt.
            wait = timedelta(seconds=retry_after(exc.response.headers or {}))
            return Failure(RATE_LIMITED, gone=False, dead=False, retry_at=now + wait, wait=wait)
        gone = error in GONE_ERRORS
        dead = gone or error in REFUSED_ERRORS or attempts >= MAX_ATTEMPTS
    else:
        error, gone, dead = type(exc).__name__, False, attempts >= MAX_ATTEMPTS
    return Failure(error, gone=gone, dead=dead, retry_at=None if dead else now + backoff(attempts))


def log_failure(entry: Outbox, failure: Failure) -> None:
    # A refused message is our bug or an operator's problem: loud, not a warning.
    level = logging.ERROR if failure.dead and not failure.gone else logging.WARNING
    log_event(
        logger,
        "outbox.failed",
        level,
        error=failure.error,
        gone=failure.gone,
        dead=failure.dead,
        team=entry.team_id,
        user=entry.user_id,
        outbox=entry.id,
        kind=entry.kind,
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
