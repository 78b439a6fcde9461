"""1:1 schedules and the coaching packs claimed for their meetings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.arrays import is_postgres
from storage.enums import PlanStatus
from storage.loop_tables import CoachingMeeting, CoachingSchedule


def get_schedule(
    *, session: Session, team_id: str, rep_id: str, for_update: bool = False
) -> CoachingSchedule | None:
    return session.get(CoachingSchedule, (team_id, rep_id), with_for_update=for_update)


def schedules_with(*, session: Session, team_id: str, user_id: str) -> list[CoachingSchedule]:
    """The 1:1s `user_id` is in, as rep or as manager."""
    return list(
        session.exec(
            select(CoachingSchedule).where(
                CoachingSchedule.team_id == team_id,
                (col(CoachingSchedule.rep_id) == user_id)
                | (col(CoachingSchedule.manager_id) == user_id),
            )
        )
    )


def due_schedules(*, session: Session, now: datetime, limit: int) -> list[CoachingSchedule]:
    """Schedules whose next pack is due. On PostgreSQL the rows stay locked (SKIP LOCKED) until
    the caller's transaction ends, so concurrent schedulers take disjoint batches."""
    query = (
        select(CoachingSchedule)
        .where(col(CoachingSchedule.next_pack_at) <= now)
        .order_by(col(CoachingSchedule.next_pack_at))
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query))


def claim_meeting(
    *,
    session: Session,
    schedule: CoachingSchedule,
    status: PlanStatus,
    instance: str,
    now: datetime,
    note: str | None = None,
) -> int | None:
    """Claim the pack of the schedule's next meeting: its id, or None when another process
    (or an earlier tick) already has it; the unique key decides, across processes."""
    dialect = postgresql if is_postgres(session) else sqlite
    table: Table = CoachingMeeting.__table__  # type: ignore[attr-defined]  # sqlmodel types omit it
    statement = dialect.insert(table).on_conflict_do_nothing().returning(table.c.id)
    row = {
        "team_id": schedule.team_id,
        "rep_id": schedule.rep_id,
        "manager_id": schedule.manager_id,
        "meeting_at": schedule.next_meeting_at,
        "status": status,
        "note": note,
        "claimed_by": instance,
        "claimed_at": now,
    }
    return session.execute(statement, row).scalar()


def last_meeting_before(
    *, session: Session, team_id: str, rep_id: str, before: datetime
) -> datetime | None:
    """The last 1:1 held before `before` (one skipped for an absence did not happen)."""
    return session.exec(
        select(CoachingMeeting.meeting_at)
        .where(
            CoachingMeeting.team_id == team_id,
            CoachingMeeting.rep_id == rep_id,
            col(CoachingMeeting.meeting_at) < before,
            CoachingMeeting.status != PlanStatus.skipped,
        )
        .order_by(col(CoachingMeeting.meeting_at).desc())
    ).first()
