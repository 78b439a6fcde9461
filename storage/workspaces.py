"""The workspaces the app serves in OAuth mode, and what becomes of an uninstalled one's data:
its plans and queued messages stop at once, its rows are kept for the retention period and
then purged, every table keyed by team_id (and the rows hanging off them) at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, Table, bindparam, delete, select, text, update
from sqlmodel import Session, SQLModel, col

from storage.enums import OutboxStatus
from storage.models import Member, Outbox, Workspace

UNINSTALLED = "workspace uninstalled"
# slack_sdk's installation tables (migration 0007): a purged workspace's tokens go too.
SLACK_TABLES = ("slack_bots", "slack_installations")


def note(*, session: Session, team_id: str, enterprise_id: str | None, now: datetime) -> bool:
    """Record that the app serves `team_id` (installed again if it had been uninstalled).
    True when anything changed."""
    row = session.get(Workspace, team_id)
    if row is None:
        session.add(Workspace(team_id=team_id, enterprise_id=enterprise_id, installed_at=now))
        return True
    if row.uninstalled_at is None and row.enterprise_id == enterprise_id:
        return False
    row.enterprise_id = enterprise_id
    if row.uninstalled_at is not None:  # installed again before the purge: plans resume
        row.installed_at, row.uninstalled_at, row.purge_after = now, None, None
        session.execute(
            update(Member)
            .where(col(Member.team_id) == team_id)
            .values(plans_enabled=True, next_plan_at=None)
            .execution_options(synchronize_session=False)
        )
    session.add(row)
    return True


def enterprise_of(*, session: Session, team_id: str) -> str | None:
    row = session.get(Workspace, team_id)
    return row.enterprise_id if row is not None else None


def is_served(*, session: Session, team_id: str) -> bool:
    row = session.get(Workspace, team_id)
    return row is not None and row.uninstalled_at is None


def uninstall(
    *,
    session: Session,
    team_id: str | None,
    enterprise_id: str | None,
    now: datetime,
    keep: timedelta,
) -> list[str]:
    """Mark the workspace (or, for an org-wide install, every workspace of the org) as
    uninstalled: no more plans, queued messages dropped, data purged after `keep`. The teams
    it applied to."""
    query = select(Workspace)
    if team_id is not None:
        query = query.where(col(Workspace.team_id) == team_id)
    else:
        query = query.where(col(Workspace.enterprise_id) == enterprise_id)
    rows = list(session.execute(query).scalars())
    if team_id is not None and not rows:
        rows = [Workspace(team_id=team_id, enterprise_id=enterprise_id, installed_at=now)]
    # The tokens were deleted just before, in slack_sdk's own transaction: a workspace whose
    # bot token is back was installed again in between, and stays installed.
    reinstalled = set(
        session.execute(
            text("SELECT team_id FROM slack_bots WHERE team_id IN :teams").bindparams(
                bindparam("teams", expanding=True)
            ),
            {"teams": [row.team_id for row in rows]},
        ).scalars()
    )
    rows = [row for row in rows if row.team_id not in reinstalled]
    teams = [row.team_id for row in rows]
    for row in rows:
        row.uninstalled_at = row.uninstalled_at or now
        row.purge_after = row.purge_after or now + keep
        session.add(row)
    if teams:
        session.execute(
            update(Member)
            .where(col(Member.team_id).in_(teams))
            .values(plans_enabled=False, next_plan_at=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Outbox)
            .where(col(Outbox.team_id).in_(teams), col(Outbox.status) == OutboxStatus.pending)
            .values(status=OutboxStatus.dead, last_error=UNINSTALLED, locked_until=None)
            .execution_options(synchronize_session=False)
        )
    return teams


def due_for_purge(*, session: Session, now: datetime) -> list[str]:
    query = select(col(Workspace.team_id)).where(
        col(Workspace.uninstalled_at).is_not(None), col(Workspace.purge_after) <= now
    )
    return list(session.execute(query).scalars())


def purge(*, session: Session, team_id: str, now: datetime) -> dict[str, int]:
    """Delete every row of `team_id`, its installation tokens and its workspace row; the rows
    deleted per table. The audit log allows it only while the workspace is marked purging."""
    row = session.get(Workspace, team_id)
    if row is None:
        row = Workspace(team_id=team_id, installed_at=now)
    row.purging_at = now
    session.add(row)
    session.flush()
    counts: dict[str, int] = {}
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name == Workspace.__tablename__:
            continue
        deleted = _delete_team_rows(session, table, team_id)
        if deleted:
            counts[table.name] = deleted
    for name in SLACK_TABLES:
        sql = text(f"DELETE FROM {name} WHERE team_id = :t")
        counts[name] = _count(session.execute(sql, {"t": team_id}))
    session.execute(delete(Workspace).where(col(Workspace.team_id) == team_id))
    return {name: n for name, n in counts.items() if n}


def _delete_team_rows(session: Session, table: Table, team_id: str) -> int:
    if "team_id" in table.c:
        return _count(session.execute(delete(table).where(table.c.team_id == team_id)))
    # A child row without a team of its own (a plan's ticks): through its parent.
    total = 0
    for fk in table.foreign_keys:
        parent = fk.column.table
        if "team_id" in parent.c:
            owned = select(fk.column).where(parent.c.team_id == team_id)
            total += _count(session.execute(delete(table).where(fk.parent.in_(owned))))
    return total


def _count(result: object) -> int:
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0


def teams(*, session: Session) -> Sequence[str]:
    return list(session.execute(select(col(Workspace.team_id))).scalars())
