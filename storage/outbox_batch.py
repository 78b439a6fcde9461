"""Outbox queries for a whole delivery pass at once: what else exists for the messages a
batch carries, retiring stale entries, and recording every outcome, one statement each."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, case, or_, select, tuple_, update
from sqlmodel import Session

from storage.enums import OutboxStatus
from storage.models import Outbox


@dataclass(frozen=True)
class KeyRow:
    """Another entry for a message some entry of the batch carries."""

    id: int
    team_id: str
    message_key: str
    status: OutboxStatus
    locked_until: datetime | None
    channel: str | None
    ts: str | None


@dataclass(frozen=True)
class Outcome:
    """How one send went: `sent` with where it landed, else back to pending at `retry_at` or
    dead (`retry_at` None)."""

    entry_id: int
    status: OutboxStatus
    channel: str | None = None
    ts: str | None = None
    error: str | None = None
    retry_at: datetime | None = None
    uncount: bool = False  # Slack asked to wait: the attempt is given back


def rows_for_keys(
    *, session: Session, keys: Collection[tuple[str, str]], besides: Collection[int]
) -> list[KeyRow]:
    """Every entry, apart from `besides`, for these (team, message key) pairs: older ones
    tell where the message landed and what is still queued, newer ones that it moved on."""
    if not keys:
        return []
    table: Table = Outbox.__table__  # type: ignore[attr-defined]  # sqlmodel types omit it
    query = select(
        table.c.id,
        table.c.team_id,
        table.c.message_key,
        table.c.status,
        table.c.locked_until,
        table.c.channel,
        table.c.ts,
    ).where(
        tuple_(table.c.team_id, table.c.message_key).in_(list(keys)),
        table.c.id.not_in(list(besides)),
        table.c.status.in_([OutboxStatus.pending, OutboxStatus.sent]),
    )
    return [
        KeyRow(
            id=row.id,
            team_id=row.team_id,
            message_key=row.message_key,
            status=OutboxStatus(row.status),
            locked_until=row.locked_until,
            channel=row.channel,
            ts=row.ts,
        )
        for row in session.execute(query)
    ]


def retire(
    *,
    session: Session,
    ours: Collection[int],
    stale: Collection[int],
    wait: Collection[int],
    now: datetime,
) -> None:
    """One statement: `ours` (leased to this pass) and `stale` (queued, older than what this
    pass sends, unless someone took them meanwhile) are superseded; `wait` is let go
    untouched, for the claiming path (an older send of its message is in flight)."""
    if not (ours or stale or wait):
        return
    table: Table = Outbox.__table__  # type: ignore[attr-defined]  # sqlmodel types omit it
    superseded = or_(
        table.c.id.in_(list(ours)),
        table.c.id.in_(list(stale))
        & (table.c.status == OutboxStatus.pending)
        & or_(table.c.locked_until.is_(None), table.c.locked_until < now),
    )
    session.execute(
        update(table)
        .where(or_(superseded, table.c.id.in_(list(wait))))
        .values(
            status=case((superseded, OutboxStatus.superseded), else_=table.c.status),
            locked_until=None,
            attempts=case(
                (table.c.id.in_(list(wait)), table.c.attempts - 1), else_=table.c.attempts
            ),
        )
    )


def finish_many(*, session: Session, outcomes: Sequence[Outcome], now: datetime) -> None:
    """Every outcome of a pass in one executemany, each lease released."""
    if not outcomes:
        return
    table: Table = Outbox.__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            status=bindparam("b_status"),
            locked_until=None,
            last_error=bindparam("b_error"),
            channel=bindparam("b_channel"),
            ts=bindparam("b_ts"),
            sent_at=bindparam("b_sent_at"),
            next_attempt_at=bindparam("b_next"),
            attempts=table.c.attempts - bindparam("b_uncount"),
        ),
        [
            {
                "b_id": o.entry_id,
                "b_status": o.status,
                "b_error": o.error,
                "b_channel": o.channel,
                "b_ts": o.ts,
                "b_sent_at": now if o.status == OutboxStatus.sent else None,
                "b_next": o.retry_at or now,
                "b_uncount": int(o.uncount),
            }
            for o in outcomes
        ],
    )
