"""The plans people received, with their ticks, as the rules read them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from bot.rules.day_plan import PlanView, plan_view
from storage import plans as plan_store
from storage import reports as report_store


def received_plans(
    *, session: Session, team_id: str, user_ids: Sequence[str], since: date, before: date
) -> dict[str, list[PlanView]]:
    """Each person's received plans dated in [since, before), oldest first, with their ticks."""
    rows = report_store.plans_between(
        session=session, team_id=team_id, user_ids=user_ids, since=since, before=before
    )
    checks = plan_store.checks_for(session=session, plan_ids=[p.id or 0 for p in rows])
    views: dict[str, list[PlanView]] = {user: [] for user in user_ids}
    for plan in rows:
        views[plan.user_id].append(plan_view(plan, checks[plan.id or 0]))
    return views
