"""Assignments: created pending, decided exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_, update
from sqlmodel import Session, col, select

from storage.arrays import is_postgres
from storage.enums import AssignmentStatus, Tier
from storage.models import Assignment, Member, Outbox


def add(*, session: Session, assignment: Assignment) -> Assignment:
    session.add(assignment)
    session.flush()
    return assignment


def get(*, session: Session, team_id: str, assignment_id: int) -> Assignment | None:
    found = session.get(Assignment, assignment_id, populate_existing=True)
    return found if found is not None and found.team_id == team_id else None


def record_decision(
    *,
    session: Session,
    team_id: str,
    assignment_id: int,
    status: AssignmentStatus,
    decided_by: str,
    decided_at: datetime,
    tier: Tier | None,
    note: str | None,
) -> bool:
    """Move a pending assignment to its outcome. The conditional UPDATE's row count says who
    won: concurrent or repeated clicks find it no longer pending and change nothing."""
    result = session.execute(
        update(Assignment)
        .where(
            col(Assignment.id) == assignment_id,
            col(Assignment.team_id) == team_id,
            col(Assignment.status) == AssignmentStatus.pending,
        )
        .values(status=status, decided_by=decided_by, decided_at=decided_at, tier=tier, note=note)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # a DML result is a CursorResult


def record_pushback(
    *,
    session: Session,
    team_id: str,
    assignment_id: int,
    note: str,
    item_id: int | None,
    minutes: int | None,
    at: datetime,
) -> bool:
    """Save (or replace) the rep's push-back while the request waits: like a decision, the
    conditional UPDATE says whether it was still pending."""
    result = session.execute(
        update(Assignment)
        .where(
            col(Assignment.id) == assignment_id,
            col(Assignment.team_id) == team_id,
            col(Assignment.status) == AssignmentStatus.pending,
        )
        .values(
            pushback_note=note, pushback_item_id=item_id, pushback_minutes=minutes, pushback_at=at
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # a DML result is a CursorResult


def pending_for_approver(*, session: Session, team_id: str, approver_id: str) -> list[Assignment]:
    """What waits on this person's decision: as its approver, or holding it for an approver
    who is out of office."""
    return _pending(
        session,
        team_id,
        or_(col(Assignment.approver_id) == approver_id, col(Assignment.delegate_id) == approver_id),
    )


def pending_for_rep(*, session: Session, team_id: str, rep_id: str) -> list[Assignment]:
    return _pending(session, team_id, col(Assignment.rep_id) == rep_id)


def pending_involving(
    *,
    session: Session,
    team_id: str,
    user_ids: Sequence[str],
    one_offs_of: Sequence[str] = (),
    since: datetime | None = None,
) -> list[Assignment]:
    """What waits on a decision and concerns any of these people, as its rep, its approver or
    the approver's delegate, and the one-offs of `one_offs_of` decided since `since`: several
    App Homes' queues, requests and team tables in one read."""
    who = and_(
        col(Assignment.status) == AssignmentStatus.pending,
        or_(
            col(Assignment.rep_id).in_(user_ids),
            col(Assignment.approver_id).in_(user_ids),
            col(Assignment.delegate_id).in_(user_ids),
        ),
    )
    if one_offs_of and since is not None:
        who = or_(
            who,
            and_(
                col(Assignment.status) == AssignmentStatus.one_off,
                col(Assignment.rep_id).in_(one_offs_of),
                col(Assignment.decided_at) >= since,
            ),
        )
    return list(
        session.exec(
            select(Assignment)
            .where(Assignment.team_id == team_id, who)
            .order_by(col(Assignment.id))
        )
    )


def pending_from_requester(
    *, session: Session, team_id: str, requester_id: str
) -> list[Assignment]:
    return _pending(session, team_id, col(Assignment.requested_by) == requester_id)


def _pending(session: Session, team_id: str, who: ColumnElement[bool]) -> list[Assignment]:
    return list(
        session.exec(
            select(Assignment)
            .where(
                Assignment.team_id == team_id, who, Assignment.status == AssignmentStatus.pending
            )
            .order_by(col(Assignment.id))
        )
    )


def stalled(*, session: Session, team_id: str, reminders: int) -> list[Assignment]:
    """What still waits in the workspace after its approver was reminded `reminders` times."""
    return _pending(session, team_id, col(Assignment.reminders_sent) >= reminders)


def for_rep(*, session: Session, team_id: str, rep_id: str) -> list[Assignment]:
    return list(
        session.exec(
            select(Assignment)
            .where(Assignment.team_id == team_id, Assignment.rep_id == rep_id)
            .order_by(col(Assignment.id))
        )
    )


def due_reminders(*, session: Session, now: datetime, limit: int) -> list[Assignment]:
    """Waiting requests whose reminder time has come. On PostgreSQL the rows stay locked (SKIP
    LOCKED) until the caller's transaction ends: concurrent schedulers take disjoint rows."""
    query = (
        select(Assignment)
        .where(
            Assignment.status == AssignmentStatus.pending,
            col(Assignment.next_reminder_at) <= now,
        )
        .order_by(col(Assignment.next_reminder_at))
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query))


def pending_of_approvers(
    *, session: Session, team_id: str, approver_ids: Sequence[str]
) -> list[Assignment]:
    return _pending(session, team_id, col(Assignment.approver_id).in_(list(approver_ids)))


def delegation_candidates(
    *, session: Session, away_from: date, after_id: int, limit: int
) -> list[Assignment]:
    """Waiting requests that may need to move, in id order after `after_id`: held by a
    delegate, or whose approver's first day back is `away_from` or later."""
    away = select(Member.user_id).where(
        Member.team_id == Assignment.team_id, col(Member.ooo_until) >= away_from
    )
    query = (
        select(Assignment)
        .where(
            Assignment.status == AssignmentStatus.pending,
            col(Assignment.id) > after_id,
            or_(col(Assignment.delegate_id).is_not(None), col(Assignment.approver_id).in_(away)),
        )
        .order_by(col(Assignment.id))
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query))


def users_under_key(*, session: Session, team_id: str, key_prefix: str) -> list[str]:
    """Who has a message whose key starts with `key_prefix` (e.g. the admins a request reached
    after its last reminder), so later changes update their copies too."""
    rows = session.exec(
        select(Outbox.user_id)
        .where(Outbox.team_id == team_id, col(Outbox.message_key).startswith(key_prefix))
        .distinct()
    )
    return sorted(rows)
