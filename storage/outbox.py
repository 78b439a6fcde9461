"""Outbox queries: enqueue with the change, claim exactly once, record the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, case, func, insert, or_, update
from sqlmodel import Session, col, select

from storage.arrays import is_postgres, rows_of
from storage.enums import DeliveryState, OutboxKind, OutboxStatus
from storage.models import Outbox
from storage.types import utcnow

# Where `enqueue` notes the entries a transaction wrote, so `Database` can hand them to
# whoever delivers once the commit has made them real.
NEW_ENTRIES = "aor_new_outbox_entries"
# Set by `Database` when this process delivers each committed entry itself, at once: the
# entry is then written already leased (nobody else takes it meanwhile), which spares a
# separate transaction to claim it. Should the process die first, the lease runs out and
# the scheduler tick sends it.
LEASE_NEW = "aor_lease_new_entries"


def enqueue(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    payload: dict[str, Any],
    message_key: str | None = None,
    kind: OutboxKind = OutboxKind.message,
) -> Outbox:
    lease: timedelta | None = session.info.get(LEASE_NEW)
    entry = Outbox(
        team_id=team_id,
        kind=kind,
        user_id=user_id,
        payload=payload,
        message_key=message_key,
        locked_until=utcnow() + lease if lease else None,
        attempts=1 if lease else 0,
    )
    # Flushed with the rest of the unit of work: one INSERT for all its entries.
    session.add(entry)
    session.info.setdefault(NEW_ENTRIES, []).append(entry)
    return entry


def home_key(user_id: str) -> str:
    return f"home:{user_id}"


def enqueue_homes(*, session: Session, team_id: str, user_ids: Sequence[str]) -> None:
    """Ask for a fresh App Home for each person; delivery renders it from the data current
    when it sends, so only the newest request per person matters."""
    for user_id in dict.fromkeys(user_ids):
        enqueue(
            session=session,
            team_id=team_id,
            user_id=user_id,
            payload={},
            message_key=home_key(user_id),
            kind=OutboxKind.home,
        )


def enqueue_many(*, session: Session, entries: Sequence[dict[str, Any]], now: datetime) -> None:
    """Many entries in one statement (a morning's fan-out); keys as for `enqueue`. Core, not
    the ORM: no per-row work; on PostgreSQL the rows go as one JSON document (`storage.arrays`)."""
    if not entries:
        return
    table: Table = Outbox.__table__  # type: ignore[attr-defined]  # sqlmodel types omit it
    rows = [
        {
            "status": OutboxStatus.pending,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            **entry,
        }
        for entry in entries
    ]
    if is_postgres(session):
        new = rows_of(table, rows)
        session.execute(insert(table).from_select(list(rows[0]), select(*new.c)))
    else:
        session.execute(insert(table), rows)


def _due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        col(Outbox.status) == OutboxStatus.pending,
        col(Outbox.next_attempt_at) <= now,
        or_(col(Outbox.locked_until).is_(None), col(Outbox.locked_until) < now),
    )


def due_teams(*, session: Session, now: datetime) -> list[str]:
    """The workspaces with entries due now."""
    query = select(Outbox.team_id).where(*_due(now)).distinct().order_by(col(Outbox.team_id))
    return list(session.exec(query))


def due_ids(
    *, session: Session, now: datetime, limit: int, team_id: str, bulk_prefix: str = ""
) -> list[int]:
    """A workspace's pending entries whose time has come and that nobody holds a lease on;
    keys starting with `bulk_prefix` (the morning's plans) after the rest, which a person
    is waiting on.

    On PostgreSQL the rows are locked with SKIP LOCKED so concurrent schedulers split the
    work; the lease set by `claim` keeps them apart after this transaction ends."""
    bulk = case((col(Outbox.message_key).startswith(bulk_prefix), 1), else_=0)
    query = (
        select(Outbox.id)
        .where(Outbox.team_id == team_id, *_due(now))
        .order_by(bulk if bulk_prefix else col(Outbox.id), col(Outbox.id))
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return [i for i in session.exec(query) if i is not None]


def claim(*, session: Session, entry_id: int, now: datetime, lease: timedelta) -> Outbox | None:
    """Take one entry for sending; the conditional UPDATE's row count decides who won."""
    result = session.execute(
        update(Outbox)
        .where(
            col(Outbox.id) == entry_id,
            col(Outbox.status) == OutboxStatus.pending,
            or_(col(Outbox.locked_until).is_(None), col(Outbox.locked_until) < now),
        )
        .values(locked_until=now + lease, attempts=Outbox.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # a DML result is a CursorResult
        return None
    return session.get(Outbox, entry_id, populate_existing=True)


def claim_many(
    *, session: Session, ids: Sequence[int], now: datetime, lease: timedelta
) -> list[Outbox]:
    """Take for sending those of these entries still pending and free, in one statement."""
    if not ids:
        return []
    claimed = session.scalars(
        update(Outbox)
        .where(
            col(Outbox.id).in_(list(ids)),
            col(Outbox.status) == OutboxStatus.pending,
            or_(col(Outbox.locked_until).is_(None), col(Outbox.locked_until) < now),
        )
        .values(locked_until=now + lease, attempts=Outbox.attempts + 1)
        .returning(Outbox)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return sorted(claimed, key=lambda entry: entry.id or 0)


def has_newer(*, session: Session, entry: Outbox) -> bool:
    """A later entry for the same message exists, so this one's content is stale."""
    return _same_message(
        session,
        entry,
        col(Outbox.id) > entry.id,
        col(Outbox.status).in_([OutboxStatus.pending, OutboxStatus.sent]),
    )


def has_older_pending(*, session: Session, entry: Outbox) -> bool:
    """An earlier entry for the same message is not delivered yet: keep Slack's order."""
    return _same_message(
        session, entry, col(Outbox.id) < entry.id, col(Outbox.status) == OutboxStatus.pending
    )


def supersede_older(*, session: Session, entry: Outbox, now: datetime) -> None:
    """Retire earlier undelivered entries for the same message that nobody holds a lease on."""
    if entry.message_key is None:
        return
    session.execute(
        update(Outbox)
        .where(
            col(Outbox.team_id) == entry.team_id,
            col(Outbox.message_key) == entry.message_key,
            col(Outbox.id) < (entry.id or 0),
            col(Outbox.status) == OutboxStatus.pending,
            or_(col(Outbox.locked_until).is_(None), col(Outbox.locked_until) < now),
        )
        .values(status=OutboxStatus.superseded)
        .execution_options(synchronize_session=False)
    )


def _same_message(session: Session, entry: Outbox, *conditions: ColumnElement[bool]) -> bool:
    if entry.message_key is None:
        return False
    found = session.exec(
        select(Outbox.id)
        .where(
            Outbox.team_id == entry.team_id, Outbox.message_key == entry.message_key, *conditions
        )
        .limit(1)
    ).first()
    return found is not None


def landing(*, session: Session, team_id: str, message_key: str) -> tuple[str, str] | None:
    """Where the message with this key was first posted (channel, ts), if it was."""
    row = session.exec(
        select(Outbox.channel, Outbox.ts)
        .where(
            Outbox.team_id == team_id,
            Outbox.message_key == message_key,
            col(Outbox.ts).is_not(None),
        )
        .order_by(col(Outbox.id))
        .limit(1)
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return row[0], row[1]


def release(*, session: Session, entry_id: int) -> None:
    """Give a claimed entry back untouched (it must wait for an older one)."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == entry_id)
        .values(locked_until=None, attempts=Outbox.attempts - 1)
        .execution_options(synchronize_session=False)
    )


def pending_count(*, session: Session) -> int:
    query = select(func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.pending)
    return session.exec(query).one()


def latest_status(*, session: Session, team_id: str, message_key: str) -> OutboxStatus | None:
    """The state of the newest entry for a message (None when there is none)."""
    status = session.exec(
        select(Outbox.status)
        .where(Outbox.team_id == team_id, Outbox.message_key == message_key)
        .order_by(col(Outbox.id).desc())
        .limit(1)
    ).first()
    return OutboxStatus(status) if status is not None else None


def delivery_state(*, session: Session, team_id: str, message_key: str) -> DeliveryState:
    if landing(session=session, team_id=team_id, message_key=message_key) is not None:
        return DeliveryState.landed
    status = latest_status(session=session, team_id=team_id, message_key=message_key)
    return DeliveryState.dead if status == OutboxStatus.dead else DeliveryState.queued


def update_state(*, session: Session, team_id: str, message_key: str) -> DeliveryState:
    """Whether Slack has the newest content for a message (its last update, not just the
    first post): landed, dead (refused for good) or queued (the scheduler tick retries)."""
    status = latest_status(session=session, team_id=team_id, message_key=message_key)
    if status == OutboxStatus.sent:
        return DeliveryState.landed
    return DeliveryState.dead if status == OutboxStatus.dead else DeliveryState.queued
