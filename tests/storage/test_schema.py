"""Migrations and the storage rules the database itself enforces, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, StatementError
from sqlmodel import SQLModel

from storage import audit
from storage.db import Database
from storage.migrate import downgrade, upgrade
from storage.models import Member


def _ours(name: str | None, kind: str, _parents: object) -> bool:
    """slack_sdk's installation tables are checked against slack_sdk's own definitions
    (tests/bot/core/test_installs.py), not against our models."""
    return not (kind == "table" and (name or "").startswith("slack_"))


def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": _ours}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), SQLModel.metadata)
    assert diff == []


def test_downgrade_to_base_and_back(db: Database) -> None:
    downgrade(db.engine, "base")
    with db.engine.connect() as conn:
        tables = set(db.engine.dialect.get_table_names(conn))
    assert not tables & {"member", "audit_event", "outbox", "assignment", "daily_plan"}
    upgrade(db.engine)
    with db.transaction() as session:
        session.add(Member(team_id="T1", user_id="U1"))


def test_audit_log_is_append_only(db: Database) -> None:
    with db.transaction() as session:
        event = audit.record(
            session=session,
            team_id="T1",
            actor_id="U1",
            action="assignment.created",
            subject_type="assignment",
            subject_id=1,
            after={"title": "x"},
        )
    for statement in (
        "UPDATE audit_event SET action = 'forged'",
        "DELETE FROM audit_event",
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
            session.execute(text(statement))
    with db.transaction() as session:
        stored = audit.events_for_subject(
            session=session, team_id="T1", subject_type="assignment", subject_id=1
        )
    assert [e.id for e in stored] == [event.id]
    assert stored[0].action == "assignment.created"


def test_times_are_aware_utc_both_ways(db: Database) -> None:
    plus_five = datetime(2026, 3, 6, 21, 30, tzinfo=timezone(timedelta(hours=5)))
    with db.transaction() as session:
        session.add(Member(team_id="T1", user_id="U1", next_plan_at=plus_five))
    with db.transaction() as session:
        member = session.get(Member, ("T1", "U1"))
        assert member is not None
        assert member.next_plan_at == datetime(2026, 3, 6, 16, 30, tzinfo=UTC)
        assert member.next_plan_at.tzinfo is not None


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive"), db.transaction() as session:
        session.add(Member(team_id="T1", user_id="U1", next_plan_at=datetime(2026, 1, 1)))
        session.flush()
