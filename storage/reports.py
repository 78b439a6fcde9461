"""Reads behind the activity report: a rep's plans over a span of days, the team's target."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from storage.enums import PlanStatus
from storage.models import DEFAULT_SELLING_TARGET_PCT, DailyPlan, TeamSetting


def plans_between(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    since: date,
    before: date,
    statuses: Sequence[PlanStatus],
) -> list[DailyPlan]:
    """The rep's plans dated in [since, before) with one of `statuses`, oldest first."""
    return list(
        session.exec(
            select(DailyPlan)
            .where(
                DailyPlan.team_id == team_id,
                DailyPlan.user_id == user_id,
                col(DailyPlan.plan_date) >= since,
                col(DailyPlan.plan_date) < before,
                col(DailyPlan.status).in_(list(statuses)),
            )
            .order_by(col(DailyPlan.plan_date))
        )
    )


def selling_target_pct(*, session: Session, team_id: str) -> int:
    setting = session.get(TeamSetting, team_id)
    return setting.selling_target_pct if setting is not None else DEFAULT_SELLING_TARGET_PCT
