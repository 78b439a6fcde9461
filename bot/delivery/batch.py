"""Delivering what one unit of work wrote, right after its commit, at the cost of one more
statement: the entries were written leased to this process (`storage.outbox.LEASE_NEW`), and
`prepare` ran inside their own transaction, so nothing is claimed or looked up afterwards.

`prepare` settles each message's fate from what the database holds: the newest entry of a
message in the batch is the one sent (earlier ones and older queued ones are superseded),
posted or updated in place where an earlier send landed; one whose older send is in flight
elsewhere is let go to the claiming path (`bot.delivery.outbox.deliver`), which waits for it.
An App Home is rendered here once per person, however many changes asked for it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from bot.core.runtime import Runtime
from bot.delivery.homes import homes_of
from bot.delivery.send import method_of
from bot.render.home import build_home
from storage import memo
from storage import outbox_batch as batch_store
from storage.enums import OutboxKind, OutboxStatus
from storage.models import Outbox
from storage.outbox_batch import KeyRow
from storage.types import utcnow

# How long a claimed entry is this process's (a dead process's entries come back after it).
LEASE = timedelta(minutes=2)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Send:
    entry: Outbox
    target: tuple[str, str] | None  # where the message landed: update it there
    view: dict[str, Any] | None = None  # an App Home, rendered in the transaction

    @property
    def method(self) -> str:
        """The Web API method this send calls (each has its own rate limit)."""
        return method_of(self.entry, self.target)


@dataclass
class Batch:
    sends: list[Send] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)  # for the claiming path


def prepare(rt: Runtime, session: Session, entries: list[Outbox]) -> Batch:
    now = utcnow()
    newest: dict[tuple[str, str], Outbox] = {}
    plain: list[Outbox] = []
    ours_stale: list[int] = []
    for entry in sorted(entries, key=lambda e: e.id or 0):
        if entry.message_key is None:
            plain.append(entry)
            continue
        earlier = newest.get((entry.team_id, entry.message_key))
        if earlier is not None:
            ours_stale.append(earlier.id or 0)
        newest[(entry.team_id, entry.message_key)] = entry
    others: dict[tuple[str, str], list[KeyRow]] = {key: [] for key in newest}
    for row in batch_store.rows_for_keys(
        session=session, keys=newest.keys(), besides=[e.id or 0 for e in entries]
    ):
        others[(row.team_id, row.message_key)].append(row)
    batch = Batch(sends=[Send(entry, None) for entry in plain])
    stale: list[int] = []
    chosen: list[tuple[Outbox, tuple[str, str] | None]] = []
    for key, entry in newest.items():
        rows = others[key]
        if any(row.id > (entry.id or 0) for row in rows):
            ours_stale.append(entry.id or 0)  # a later unit of work moved the message on
            continue
        queued = [row for row in rows if row.status == OutboxStatus.pending]
        if any(row.locked_until is not None and row.locked_until >= now for row in queued):
            batch.waiting.append(entry.id or 0)  # an older send is in flight: it lands first
            continue
        stale += [row.id for row in queued]
        landed = sorted((row for row in rows if row.ts is not None), key=lambda row: row.id)
        chosen.append((entry, (landed[0].channel or "", landed[0].ts or "") if landed else None))
    views = _home_views(
        rt, session, [entry for entry, _ in chosen if entry.kind == OutboxKind.home]
    )
    batch.sends += [Send(entry, target, views.get(entry.id or 0)) for entry, target in chosen]
    batch_store.retire(session=session, ours=ours_stale, stale=stale, wait=batch.waiting, now=now)
    return batch


def _home_views(rt: Runtime, session: Session, entries: list[Outbox]) -> dict[int, dict[str, Any]]:
    """Each Home entry's view, by entry id; the Homes of a workspace are read together."""
    by_team: dict[str, list[Outbox]] = {}
    for entry in entries:
        by_team.setdefault(entry.team_id, []).append(entry)
    views: dict[int, dict[str, Any]] = {}
    with memo.reading(session):  # several Homes of a workspace share its settings and position
        for team_id, team_entries in by_team.items():
            homes = homes_of(rt, session, team_id, [entry.user_id for entry in team_entries])
            for entry in team_entries:
                data = homes.get(entry.user_id)
                if data is None:
                    continue
                try:
                    views[entry.id or 0] = build_home(data)
                except Exception:
                    # A rendering fault must not undo the person's action: the send renders it
                    # again and records the failure like any other.
                    logger.exception("home.render_failed", extra={"team": entry.team_id})
    return views
