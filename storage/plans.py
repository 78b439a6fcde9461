"""Daily plan queries: due members, claims by insert, ticks, and plans whose DM went out.

Everything here works on whole batches: a morning's fan-out issues a handful of statements per
few hundred people, not a handful per person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    String,
    Table,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    or_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.arrays import array_of, is_postgres, rows_of
from storage.enums import ItemStatus, OutboxStatus, PlanStatus
from storage.models import DailyPlan, Member, Outbox, PlanCheck, Responsibility

PLAN_KEY_PREFIX = "plan:"

Key = tuple[str, str]  # (team_id, user_id)


def plan_key(plan_id: int) -> str:
    """The outbox message key of a plan's DM: later updates edit the same message."""
    return f"{PLAN_KEY_PREFIX}{plan_id}"


def _of_people(session: Session, team: Any, user: Any, keys: Sequence[Key]) -> Any:
    """`(team, user) IN keys` written per team as `team = t AND user IN (...)`: PostgreSQL
    turns that into one index scan, where a row-value IN list of hundreds becomes a filter
    applied to every row. There the users go as one array (`= ANY`), not a placeholder each."""
    by_team: dict[str, list[str]] = defaultdict(list)
    for team_id, user_id in keys:
        by_team[team_id].append(user_id)
    postgres = is_postgres(session)
    return or_(
        *(
            and_(
                team == t,
                user == any_(array_of(users, like=user)) if postgres else col(user).in_(users),
            )
            for t, users in by_team.items()
        )
    )


def due_members(*, session: Session, now: datetime, limit: int) -> list[Member]:
    """Members whose plan time has come. On PostgreSQL the rows stay locked (SKIP LOCKED) until
    the caller's transaction ends, so concurrent schedulers take disjoint batches."""
    query = (
        select(Member)
        .where(col(Member.plans_enabled).is_(True), col(Member.next_plan_at) <= now)
        .order_by(col(Member.next_plan_at))
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query))


def unscheduled_members(*, session: Session, limit: int) -> list[Member]:
    """Members never given a plan time (first contact creates the row without one)."""
    query = (
        select(Member)
        .where(
            col(Member.plans_enabled).is_(True),
            col(Member.next_plan_at).is_(None),
            Member.workdays != "",
        )
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query))


def set_next_plan_at(*, session: Session, changes: Sequence[tuple[Key, datetime | None]]) -> None:
    """One statement for the whole batch (Core, not the ORM: no per-row bookkeeping): an
    UPDATE joined to the changes sent as one JSON document on PostgreSQL, an executemany on
    SQLite."""
    if not changes:
        return
    member: Table = Member.__table__  # type: ignore[attr-defined]  # sqlmodel types omit it
    if is_postgres(session):
        new = rows_of(
            member,
            [{"team_id": t, "user_id": u, "next_plan_at": at} for (t, u), at in changes],
        )
        session.execute(
            update(member)
            .where(member.c.team_id == new.c.team_id, member.c.user_id == new.c.user_id)
            .values(next_plan_at=new.c.next_plan_at)
        )
        return
    session.execute(
        update(member)
        .where(member.c.team_id == bindparam("k_team"), member.c.user_id == bindparam("k_user"))
        .values(next_plan_at=bindparam("k_next")),
        [{"k_team": t, "k_user": u, "k_next": at} for (t, u), at in changes],
    )


class ItemToPlan(NamedTuple):
    id: int
    team_id: str
    owner_id: str
    title: str
    tier: str
    minutes: int
    cadence: str
    due: date | None


def active_items(*, session: Session, keys: Sequence[Key]) -> dict[Key, list[ItemToPlan]]:
    """Active items of many owners, as plain rows (no ORM objects: this runs per batch), in
    no particular order: a checklist orders its items itself."""
    found: dict[Key, list[ItemToPlan]] = {key: [] for key in keys}
    if not keys:
        return found
    rows = session.execute(
        select(  # type: ignore[call-overload]  # sqlmodel types <= 4 columns; takes any number
            Responsibility.id,
            Responsibility.team_id,
            Responsibility.owner_id,
            Responsibility.title,
            Responsibility.tier,
            Responsibility.minutes,
            Responsibility.cadence,
            Responsibility.due,
        ).where(
            _of_people(session, Responsibility.team_id, Responsibility.owner_id, keys),
            Responsibility.status == ItemStatus.active,
        )
    )
    for row in rows:  # by position: 150,000 rows a morning
        found[row[1], row[2]].append(ItemToPlan._make(row))
    return found


class Tick(NamedTuple):
    team_id: str
    user_id: str
    plan_date: date
    item_id: int


def ticked_items(*, session: Session, keys: Sequence[Key], since: date, before: date) -> list[Tick]:
    """Items whose latest check is a tick, on plans dated in [since, before)."""
    if not keys:
        return []
    rows = session.execute(
        select(  # type: ignore[call-overload]  # sqlmodel types <= 4 columns; takes any number
            DailyPlan.team_id,
            DailyPlan.user_id,
            DailyPlan.plan_date,
            PlanCheck.plan_id,
            PlanCheck.item_id,
            PlanCheck.checked,
        )
        .join(DailyPlan, col(DailyPlan.id) == col(PlanCheck.plan_id))
        .where(
            _of_people(session, DailyPlan.team_id, DailyPlan.user_id, keys),
            col(DailyPlan.plan_date) >= since,
            col(DailyPlan.plan_date) < before,
        )
        .order_by(col(PlanCheck.id))
    )
    latest: dict[tuple[int, int], Any] = {}
    for row in rows:
        latest[(row.plan_id, row.item_id)] = row
    return [
        Tick(r.team_id, r.user_id, r.plan_date, r.item_id) for r in latest.values() if r.checked
    ]


def claim_plans(*, session: Session, rows: Sequence[dict[str, Any]]) -> dict[Key, int]:
    """Insert plans, skipping any (team, user, date) that already exists: the unique key decides
    who won, across processes. Returns the plan ids this call inserted."""
    if not rows:
        return {}
    table: Table = DailyPlan.__table__  # type: ignore[attr-defined]  # sqlmodel types omit it
    if is_postgres(session):
        new = rows_of(table, rows)
        statement = postgresql.insert(table).from_select(list(rows[0]), select(*new.c))
        result = session.execute(
            statement.on_conflict_do_nothing().returning(
                table.c.id, table.c.team_id, table.c.user_id
            )
        )
    else:
        # An executemany: SQLAlchemy batches the rows into multi-row INSERTs with RETURNING.
        result = session.execute(
            sqlite.insert(table)
            .on_conflict_do_nothing()
            .returning(table.c.id, table.c.team_id, table.c.user_id),
            list(rows),
        )
    return {(team, user): plan_id for plan_id, team, user in result}


def get_plan(*, session: Session, team_id: str, user_id: str, plan_date: date) -> DailyPlan | None:
    return session.exec(
        select(DailyPlan).where(
            DailyPlan.team_id == team_id,
            DailyPlan.user_id == user_id,
            DailyPlan.plan_date == plan_date,
        )
    ).first()


def lock_plan(*, session: Session, plan_id: int) -> DailyPlan | None:
    """The plan, locked until the transaction ends, so concurrent ticks apply one by one."""
    return session.get(DailyPlan, plan_id, with_for_update=True, populate_existing=True)


def checks_for(*, session: Session, plan_ids: Sequence[int]) -> dict[int, set[int]]:
    """The ticked item ids of each plan (the latest check per item decides)."""
    found: dict[int, set[int]] = {plan_id: set() for plan_id in plan_ids}
    if not plan_ids:
        return found
    rows = session.execute(
        select(PlanCheck.plan_id, PlanCheck.item_id, PlanCheck.checked)
        .where(col(PlanCheck.plan_id).in_(list(plan_ids)))
        .order_by(col(PlanCheck.id))
    )
    for plan_id, item_id, checked in rows:
        if checked:
            found[plan_id].add(item_id)
        else:
            found[plan_id].discard(item_id)
    return found


def record_checks(
    *, session: Session, plan_id: int, changes: dict[int, bool], at: datetime
) -> None:
    session.add_all(
        PlanCheck(plan_id=plan_id, item_id=item_id, checked=checked, at=at)
        for item_id, checked in changes.items()
    )
    session.flush()


def latest_check_at(*, session: Session, plan_id: int, item_ids: Sequence[int]) -> datetime | None:
    """When the newest tick or untick among these items of a plan happened."""
    if not item_ids:
        return None
    return session.exec(
        select(func.max(PlanCheck.at)).where(
            PlanCheck.plan_id == plan_id, col(PlanCheck.item_id).in_(list(item_ids))
        )
    ).one()


def _has_sent_message() -> Any:
    """Whether the plan's DM has been delivered (by whichever outbox entry carried it)."""
    return exists(
        select(Outbox.id).where(
            Outbox.team_id == DailyPlan.team_id,
            Outbox.message_key == literal(PLAN_KEY_PREFIX) + cast(DailyPlan.id, String),
            Outbox.status == OutboxStatus.sent,
        )
    )


def mark_delivered(*, session: Session, now: datetime) -> int:
    """Claimed plans whose DM has gone out become `sent` (whoever delivered it)."""
    result = session.execute(
        update(DailyPlan)
        .where(col(DailyPlan.status) == PlanStatus.claimed, _has_sent_message())
        .values(status=PlanStatus.sent, sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]  # a DML result is a CursorResult


def mark_failed(*, session: Session, plan_id: int, error: str) -> None:
    session.execute(
        update(DailyPlan)
        .where(col(DailyPlan.id) == plan_id)
        .values(status=PlanStatus.failed, last_error=error[:500])
        .execution_options(synchronize_session=False)
    )


def stop_plans(*, session: Session, team_id: str, user_id: str) -> None:
    session.execute(
        update(Member)
        .where(col(Member.team_id) == team_id, col(Member.user_id) == user_id)
        .values(plans_enabled=False, next_plan_at=None)
        .execution_options(synchronize_session=False)
    )
