"""`Database.run`: a unit of work whose connection is lost before the commit runs again from
the start, once; a COMMIT cut off is settled by asking PostgreSQL, never guessed. The faults
are real: the connection's backend is ended with pg_terminate_backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

import storage.db
from storage import outbox as outbox_store
from storage.db import Database, NotSaved, SaveUnknown, make_engine
from storage.models import Outbox

TEAM = "T0001"
pg_only = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def committed(db: Database) -> list[list[int]]:
    """What `on_commit` was told, one list per committed unit of work."""
    seen: list[list[int]] = []
    db.on_commit = lambda ids: seen.append(list(ids))
    return seen


@pytest.fixture
def killer(db_url: str) -> Iterator[Callable[[int], None]]:
    """Ends a backend from a connection of its own, waiting until it is gone."""
    engine = make_engine(db_url)

    def kill(pid: int) -> None:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})

    yield kill
    engine.dispose()


def _queue(session: Session, text_: str) -> int:
    entry = outbox_store.enqueue(
        session=session, team_id=TEAM, user_id="UREP", payload={"text": text_}
    )
    session.flush()  # entries are written with the rest of the unit; its id is wanted now
    return entry.id or 0


def _texts(db: Database) -> list[str]:
    with db.transaction() as session:
        return [o.payload["text"] for o in session.exec(select(Outbox).order_by(Outbox.id))]


def _lose_own_connection(session: Session) -> None:
    session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))


Fault = Callable[[psycopg.Connection[Any], Callable[[], None]], None]


def _once_at_commit(engine: Engine, fault: Fault) -> None:
    """The next COMMIT on `engine` goes through `fault(psycopg_connection, commit)`."""
    dialect = engine.dialect
    real = dialect.do_commit

    def do_commit(pooled: Any) -> None:
        dialect.do_commit = real  # type: ignore[method-assign]  # one COMMIT only
        fault(pooled.dbapi_connection, lambda: real(pooled))

    dialect.do_commit = do_commit  # type: ignore[method-assign]  # a fault at the driver


@pg_only
def test_a_connection_lost_before_commit_runs_the_unit_again_once(
    db: Database, committed: list[list[int]]
) -> None:
    runs: list[int] = []

    def work(session: Session) -> int:
        runs.append(len(runs) + 1)
        entry_id = _queue(session, f"run {len(runs)}")
        if len(runs) == 1:
            _lose_own_connection(session)
        return entry_id

    entry_id = db.run(work)
    assert runs == [1, 2]
    assert _texts(db) == ["run 2"]  # the first run's write went with its connection
    assert committed == [[entry_id]]


@pg_only
def test_lost_twice_is_not_saved_and_the_next_unit_works(
    db: Database, committed: list[list[int]]
) -> None:
    def work(session: Session) -> None:
        _queue(session, "never kept")
        _lose_own_connection(session)

    with pytest.raises(NotSaved) as raised:
        db.run(work)
    assert "terminating connection" in raised.value.reason
    assert _texts(db) == [] and committed == []
    db.run(lambda session: _queue(session, "no restart needed"))
    assert _texts(db) == ["no restart needed"]


@pg_only
def test_a_commit_that_landed_before_the_connection_went_is_done_not_retried(
    db: Database,
    committed: list[list[int]],
    killer: Callable[[int], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    def commit_then_lose(conn: psycopg.Connection[Any], commit: Callable[[], None]) -> None:
        commit()
        killer(conn.info.backend_pid)
        conn.execute("SELECT 1")  # the driver's own error for the lost connection

    runs: list[int] = []

    def work(session: Session) -> int:
        runs.append(1)
        entry_id = _queue(session, "saved once")
        _once_at_commit(db.engine, commit_then_lose)
        return entry_id

    entry_id = db.run(work)
    assert runs == [1]
    assert _texts(db) == ["saved once"]
    assert committed == [[entry_id]]
    assert [r.getMessage() for r in caplog.records].count("db.commit_confirmed") == 1


@pg_only
def test_a_commit_cut_off_before_it_landed_runs_the_unit_again(
    db: Database, committed: list[list[int]], killer: Callable[[int], None]
) -> None:
    def lose_then_commit(conn: psycopg.Connection[Any], commit: Callable[[], None]) -> None:
        killer(conn.info.backend_pid)
        commit()

    runs: list[int] = []

    def work(session: Session) -> int:
        runs.append(len(runs) + 1)
        entry_id = _queue(session, f"run {len(runs)}")
        if len(runs) == 1:
            _once_at_commit(db.engine, lose_then_commit)
        return entry_id

    entry_id = db.run(work)
    assert runs == [1, 2]
    assert _texts(db) == ["run 2"]
    assert committed == [[entry_id]]


@pg_only
def test_a_commit_nobody_can_settle_is_reported_as_unknown(
    db: Database,
    committed: list[list[int]],
    killer: Callable[[int], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(storage.db, "SETTLE_PAUSE", 0.01)
    refusing = False

    @event.listens_for(db.engine, "do_connect")
    def _refuse(*_: Any) -> None:
        if refusing:
            raise psycopg.OperationalError("connection refused: the server is restarting")

    def commit_then_lose(conn: psycopg.Connection[Any], commit: Callable[[], None]) -> None:
        nonlocal refusing
        commit()
        killer(conn.info.backend_pid)
        refusing = True  # and nobody can connect to ask what became of it
        conn.execute("SELECT 1")

    runs: list[int] = []

    def work(session: Session) -> None:
        runs.append(1)
        _queue(session, "in doubt")
        _once_at_commit(db.engine, commit_then_lose)

    with pytest.raises(SaveUnknown):
        db.run(work)
    assert runs == [1]  # never run again: it may well be saved (here it was)
    assert committed == []
    refusing = False
    assert _texts(db) == ["in doubt"]


def test_errors_that_are_not_the_database_being_away_pass_through_once(
    db: Database, committed: list[list[int]]
) -> None:
    runs: list[int] = []

    def missing_table(session: Session) -> None:
        runs.append(1)
        session.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(DBAPIError) as raised:
        db.run(missing_table)
    assert not isinstance(raised.value, NotSaved | SaveUnknown)
    assert runs == [1]

    def refused(session: Session) -> None:
        _queue(session, "rolled back")
        raise LookupError("a rule said no")

    with pytest.raises(LookupError):
        db.run(refused)
    assert _texts(db) == [] and committed == []
