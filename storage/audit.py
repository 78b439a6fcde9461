"""The append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditEvent


def record(
    *,
    session: Session,
    team_id: str,
    actor_id: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    member_id: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    event = AuditEvent(
        team_id=team_id,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        member_id=member_id,
        before=before,
        after=after,
    )
    if at is not None:
        event.at = at
    session.add(event)
    session.flush()
    return event


def events_for_member(*, session: Session, team_id: str, member_id: str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.team_id == team_id, AuditEvent.member_id == member_id)
            .order_by(col(AuditEvent.id))
        )
    )


def events_for_subject(
    *, session: Session, team_id: str, subject_type: str, subject_id: str | int
) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(
                AuditEvent.team_id == team_id,
                AuditEvent.subject_type == subject_type,
                AuditEvent.subject_id == str(subject_id),
            )
            .order_by(col(AuditEvent.id))
        )
    )
