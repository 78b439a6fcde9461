"""A member's position as shown (read at send time and by the services): their own, else
the workspace's default, else the method's default not yet saved (reads never write)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlmodel import Session

from bot.core.clock import local_date
from bot.delivery.received import received_plans
from bot.render.position import PositionView
from bot.rules.day_plan import PlanView, week_start
from bot.rules.kpis import TREND_WEEKS, WEEK, Entries, KpiFigure, kpi_figures
from bot.rules.positions import DEFAULT_POSITION, content_of
from bot.rules.report import week_totals
from storage import kpis as kpi_store
from storage import positions as store
from storage import reports as report_store
from storage.models import Member, Position
from storage.types import utcnow


def view_of_position(*, session: Session, position: Position | None, team_id: str) -> PositionView:
    target = report_store.selling_target_pct(session=session, team_id=team_id)
    if position is None:
        return PositionView(
            id=None,
            title=DEFAULT_POSITION.title,
            version=1,
            content=DEFAULT_POSITION,
            selling_target_pct=target,
        )
    version = store.current(session=session, position=position)
    return PositionView(
        id=position.id,
        title=position.title,
        version=position.version,
        content=content_of(version.content),
        selling_target_pct=target,
        is_default=position.is_default,
    )


def position_record(*, session: Session, member: Member) -> Position | None:
    """The member's stored position (None: the method's default, never saved here)."""
    if member.position_id is not None:
        own = store.get(session=session, team_id=member.team_id, position_id=member.position_id)
        if own is not None:
            return own
    return store.default_of(session=session, team_id=member.team_id)


def view_of_member_position(*, session: Session, member: Member) -> PositionView:
    """The member's position, without figures."""
    position = position_record(session=session, member=member)
    return view_of_position(session=session, position=position, team_id=member.team_id)


def gather_position(
    *, session: Session, member: Member, now: datetime | None = None
) -> PositionView:
    """The member's position with their KPI figures for their local week as of `now`."""
    view = view_of_member_position(session=session, member=member)
    week = week_start(local_date(now or utcnow(), member.effective_tz))
    figures = gather_figures(session=session, member=member, view=view, week=week)
    return replace(view, figures=figures)


def trend_weeks(week: date) -> list[date]:
    """The KPI trend's weeks, oldest first, ending with `week`."""
    return [week - WEEK * back for back in reversed(range(TREND_WEEKS))]


def gather_figures(
    *, session: Session, member: Member, view: PositionView, week: date
) -> tuple[KpiFigure, ...]:
    """Each KPI of `view` for the week starting `week`, with the trend up to it."""
    weeks = trend_weeks(week)
    entries = kpi_store.latest(
        session=session, team_id=member.team_id, user_id=member.user_id, since=weeks[0], until=week
    )
    plans: list[PlanView] = []
    if any(k.from_ticks for k in view.content.kpis):
        plans = received_plans(
            session=session,
            team_id=member.team_id,
            user_ids=[member.user_id],
            since=weeks[0],
            before=week + WEEK,
        )[member.user_id]
    return figures_of(view, week=week, entries=entries, plans=plans)


def figures_of(
    view: PositionView, *, week: date, entries: Entries, plans: Sequence[PlanView]
) -> tuple[KpiFigure, ...]:
    """`view`'s KPI figures from the KPI entries and the received plans of the trend's weeks
    (other weeks' plans are left out by `week_totals`)."""
    shares: dict[date, float | None] = {}
    if any(k.from_ticks for k in view.content.kpis):
        for start in trend_weeks(week):
            done = week_totals(start, plans).done
            shares[start] = done.selling_share if done.total else None
    return kpi_figures(
        view.content.kpis,
        week=week,
        entries=entries,
        selling_shares=shares,
        selling_target_pct=view.selling_target_pct,
    )
