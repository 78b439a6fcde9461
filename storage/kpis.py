"""KPI figures logged per rep and week: appended, the latest per key wins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    return latest_many(
        session=session, team_id=team_id, user_ids=[user_id], since=since, until=until
    )[user_id]


def latest_many(
    *, session: Session, team_id: str, user_ids: Sequence[str], since: date, until: date
) -> dict[str, dict[date, dict[str, float]]]:
    """`latest` for each of several people, in one read."""
    found: dict[str, dict[date, dict[str, float]]] = {user: {} for user in user_ids}
    rows = session.execute(
        select(col(KpiEntry.user_id), col(KpiEntry.week), col(KpiEntry.key), col(KpiEntry.value))
        .where(
            KpiEntry.team_id == team_id,
            col(KpiEntry.user_id).in_(list(user_ids)),
            col(KpiEntry.week) >= since,
            col(KpiEntry.week) <= until,
        )
        .order_by(col(KpiEntry.id))
    )
    for user, week, key, value in rows:  # oldest first: a later row overwrites an earlier one
        found[user].setdefault(week, {})[key] = value
    return found
