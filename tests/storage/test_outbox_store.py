"""Outbox claims: one winner per entry, leases expire, per-message order is kept."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage import outbox
from storage.db import Database
from storage.enums import OutboxStatus
from storage.models import Outbox
from storage.outbox_batch import Outcome, finish_many
from storage.types import utcnow


def _enqueue(db: Database, key: str | None = "k1") -> int:
    with db.transaction() as session:
        entry = outbox.enqueue(
            session=session,
            team_id="T1",
            kind="message",
            user_id="U1",
            payload={"text": "hi", "blocks": []},
            message_key=key,
        )
        session.flush()  # written with the rest of the unit otherwise; its id is wanted now
        assert entry.id is not None
        return entry.id


def test_an_entry_is_claimed_once_until_its_lease_ends(db: Database) -> None:
    entry_id = _enqueue(db)
    now = utcnow()
    lease = timedelta(minutes=2)
    with db.transaction() as session:
        assert outbox.claim(session=session, entry_id=entry_id, now=now, lease=lease) is not None
    with db.transaction() as session:
        assert outbox.claim(session=session, entry_id=entry_id, now=now, lease=lease) is None
        assert outbox.due_ids(session=session, now=now, limit=10, team_id="T1") == []
    later = now + lease + timedelta(seconds=1)
    with db.transaction() as session:
        assert outbox.due_ids(session=session, now=later, limit=10, team_id="T1") == [entry_id]
        claimed = outbox.claim(session=session, entry_id=entry_id, now=later, lease=lease)
        assert claimed is not None and claimed.attempts == 2


def test_sent_entries_are_not_due_and_record_where_they_landed(db: Database) -> None:
    first = _enqueue(db)
    second = _enqueue(db)
    now = utcnow()
    with db.transaction() as session:
        entry = outbox.claim(session=session, entry_id=second, now=now, lease=timedelta(minutes=1))
        assert entry is not None
        assert outbox.has_older_pending(session=session, entry=entry)
        sent = Outcome(first, OutboxStatus.sent, channel="D1", ts="1.2")
        finish_many(session=session, outcomes=[sent], now=now)
        assert not outbox.has_older_pending(session=session, entry=entry)
        assert outbox.landing(session=session, team_id="T1", message_key="k1") == ("D1", "1.2")
        assert outbox.due_ids(
            session=session, now=now + timedelta(hours=1), limit=10, team_id="T1"
        ) == [second]
        assert outbox.pending_count(session=session) == 1


def test_a_newer_entry_retires_older_ones_nobody_is_sending(db: Database) -> None:
    stale, in_flight, newest = _enqueue(db), _enqueue(db), _enqueue(db)
    now = utcnow()
    with db.transaction() as session:
        assert outbox.claim(
            session=session, entry_id=in_flight, now=now, lease=timedelta(minutes=2)
        )
        entry = outbox.claim(session=session, entry_id=newest, now=now, lease=timedelta(minutes=2))
        assert entry is not None
        outbox.supersede_older(session=session, entry=entry, now=now)
        assert outbox.has_older_pending(session=session, entry=entry)  # the one in flight
    with db.transaction() as session:
        statuses = {e.id: e.status for e in session.exec(select(Outbox))}
    assert statuses == {
        stale: OutboxStatus.superseded,
        in_flight: OutboxStatus.pending,
        newest: OutboxStatus.pending,
    }
