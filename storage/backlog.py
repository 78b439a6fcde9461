"""What waits in the outbox, per workspace: for the operator's metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from storage.enums import OutboxStatus
from storage.models import Outbox


def outbox_backlog(*, session: Session, now: datetime) -> list[tuple[str, int, float]]:
    """(team, pending entries, seconds since the oldest was queued), one row per workspace
    with anything pending."""
    query = (
        select(col(Outbox.team_id), func.count(), func.min(col(Outbox.created_at)))
        .where(col(Outbox.status) == OutboxStatus.pending)
        .group_by(col(Outbox.team_id))
    )
    rows = []
    for team, count, oldest in session.execute(query).all():
        age = (now - oldest).total_seconds() if oldest is not None else 0.0
        rows.append((str(team), int(count), max(age, 0.0)))
    return rows
