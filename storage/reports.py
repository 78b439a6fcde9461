"""Reads behind the activity report and the team table: plans over a span of days, one-off
work accepted, the team's selling target."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage import team_settings
from storage.enums import AssignmentStatus, PlanStatus
from storage.memo import remembered
from storage.models import DEFAULT_SELLING_TARGET_PCT, Assignment, DailyPlan

# Plans the rep actually received (their DM went out or is on its way); not skipped/failed.
RECEIVED = (PlanStatus.claimed, PlanStatus.sent)


class PlanRow(NamedTuple):
    """A plan's values as reports and Homes use them (no ORM entity: a manager's Home reads
    the week's plans of every rep)."""

    id: int
    user_id: str
    plan_date: date
    status: PlanStatus
    budget_minutes: int
    items: list[dict[str, Any]]


_PLAN_COLUMNS = [DailyPlan.__table__.c[name] for name in PlanRow._fields]  # type: ignore[attr-defined]


def plans_between(
    *,
    session: Session,
    team_id: str,
    user_ids: Sequence[str],
    since: date,
    before: date,
    statuses: Sequence[PlanStatus] = RECEIVED,
) -> list[PlanRow]:
    """The reps' plans dated in [since, before) with one of `statuses`, oldest first."""
    if not user_ids:
        return []
    rows = session.execute(
        select(*_PLAN_COLUMNS)
        .where(
            col(DailyPlan.team_id) == team_id,
            col(DailyPlan.user_id).in_(list(user_ids)),
            col(DailyPlan.plan_date) >= since,
            col(DailyPlan.plan_date) < before,
            col(DailyPlan.status).in_(list(statuses)),
        )
        .order_by(col(DailyPlan.plan_date))
    )
    return [PlanRow._make(row) for row in rows]


def selling_target_pct(*, session: Session, team_id: str) -> int:
    def load() -> int:
        setting = team_settings.get(session=session, team_id=team_id)
        return setting.selling_target_pct if setting is not None else DEFAULT_SELLING_TARGET_PCT

    return remembered(session, ("selling_target_pct", team_id), load)


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


def set_selling_target_pct(*, session: Session, team_id: str, pct: int) -> None:
    setting = team_settings.editable(session=session, team_id=team_id)
    setting.selling_target_pct = pct
    session.add(setting)
