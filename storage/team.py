"""Queries behind a manager's team table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.enums import AssignmentStatus
from storage.models import Assignment, DailyPlan


def plans_between(
    *, session: Session, team_id: str, user_ids: Sequence[str], since: date, before: date
) -> list[DailyPlan]:
    if not user_ids:
        return []
    return list(
        session.exec(
            select(DailyPlan).where(
                DailyPlan.team_id == team_id,
                col(DailyPlan.user_id).in_(list(user_ids)),
                col(DailyPlan.plan_date) >= since,
                col(DailyPlan.plan_date) < before,
            )
        )
    )


def one_off_minutes_since(
    *, session: Session, team_id: str, rep_ids: Sequence[str], since: datetime
) -> dict[str, int]:
    """Minutes of outside-role work accepted as one-offs per rep, decided since `since`."""
    if not rep_ids:
        return {}
    rows = session.exec(
        select(Assignment.rep_id, func.sum(Assignment.minutes))
        .where(
            Assignment.team_id == team_id,
            col(Assignment.rep_id).in_(list(rep_ids)),
            Assignment.status == AssignmentStatus.one_off,
            col(Assignment.decided_at) >= since,
        )
        .group_by(col(Assignment.rep_id))
    )
    return {rep: int(total or 0) for rep, total in rows}
