"""KPI figures logged per rep and week: appended, the latest per key wins."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlmodel import Session, col, select

from storage.models import KpiEntry


def log(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    week: date,
    values: Mapping[str, float],
    entered_by: str,
) -> list[KpiEntry]:
    rows = [
        KpiEntry(
            team_id=team_id, user_id=user_id, week=week, key=key, value=value, entered_by=entered_by
        )
        for key, value in values.items()
    ]
    session.add_all(rows)
    session.flush()
    return rows


def latest(
    *, session: Session, team_id: str, user_id: str, since: date, until: date
) -> dict[date, dict[str, float]]:
    """Week -> key -> the latest value logged, for the weeks in [since, until]."""
    rows = session.exec(
        select(KpiEntry)
        .where(
            KpiEntry.team_id == team_id,
            KpiEntry.user_id == user_id,
            col(KpiEntry.week) >= since,
            col(KpiEntry.week) <= until,
        )
        .order_by(col(KpiEntry.id))
    )
    found: dict[date, dict[str, float]] = {}
    for row in rows:  # oldest first: a later row overwrites an earlier one
        found.setdefault(row.week, {})[row.key] = row.value
    return found
