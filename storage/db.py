"""Engine factory and sessions: one engine per process, one session per unit of work.

A unit of work that loses its connection is run again from the start, once (`Database.run`):
SQLAlchemy's advice for disconnects, since a transaction cut off half way cannot be resumed,
only repeated. That is safe only while nothing was committed, so the moment COMMIT is sent is
tracked: a connection lost before it saved nothing; one lost during it is settled by asking
PostgreSQL what became of the transaction (`txid_status`), never by guessing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine, exc, text
from sqlmodel import Session

from storage.engine import make_engine, wrote
from storage.models import Outbox
from storage.outbox import LEASE_NEW, NEW_ENTRIES

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How often a unit of work runs at most: once, and once more after losing the database.
ATTEMPTS = 2
# A moment between the two, so a database that is restarting has begun to accept again.
RETRY_PAUSE = 0.2
# Asking what became of a transaction whose COMMIT lost its connection: a few fresh
# connections, a moment apart (the ended backend may still be finishing its transaction).
SETTLE_TRIES = 5
SETTLE_PAUSE = 0.1
# Errors meaning the database is out of reach or gave up on the transaction (connection
# lost or refused, server shutting down, statement or lock timeout, serialization failure,
# pool exhausted): the transaction did not commit, and running it again can succeed.
UNAVAILABLE: tuple[type[Exception], ...] = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.DisconnectionError,
    exc.TimeoutError,
)
# pysqlite calls nearly everything OperationalError, a missing table as much as a busy file:
# only these result codes mean "not now".
SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_CANTOPEN")


class DatabaseFault(Exception):
    """The database failed a unit of work; `reason` is the driver's error, one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotSaved(DatabaseFault):
    """The database failed the unit of work before its commit took effect: nothing of it was
    saved."""


class SaveUnknown(DatabaseFault):
    """The connection was lost while committing, and the database could not be asked
    afterwards whether the commit took effect: the unit of work may or may not be saved."""


def unavailability(error: BaseException) -> BaseException | None:
    """The database failure behind `error` (itself, or what it was raised from or while
    handling), if it is one that means "out of reach, nothing of this transaction kept"."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_unavailable(current):
            return current
        # As a traceback shows it: what it was raised from, else (unless `from None`) what
        # was being handled when it was raised.
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return None


def _is_unavailable(error: BaseException) -> bool:
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, UNAVAILABLE):
        return False
    original = error.orig if isinstance(error, exc.DBAPIError) else None
    if type(original).__module__.startswith("sqlite3"):
        return str(getattr(original, "sqlite_errorname", "")).startswith(SQLITE_UNAVAILABLE)
    return True


def unit_name(work: Callable[..., object]) -> str:
    """Which unit of work, for a log line: `decide.<locals>.record` names the service."""
    return str(getattr(work, "__qualname__", type(work).__name__))


def reason_of(error: BaseException) -> str:
    """The driver's message, first line only (the SQL and its parameters stay out of logs)."""
    original = error.orig if isinstance(error, exc.DBAPIError) else error
    first = (str(original).strip().splitlines() or [""])[0]
    return f"{type(original).__name__}: {first}"[:300]


# Looks at a transaction's new outbox entries inside it, before COMMIT; what it returns is
# handed to `OnCommit` once the commit took effect.
Prepare = Callable[[Session, list[Outbox]], Any]
OnCommit = Callable[[Any], None]


class Database:
    """The process's engine plus the one way to open a transaction.

    `on_commit` is told of the outbox entries each committed transaction wrote (their ids,
    or what `prepare` made of them inside the transaction): the runtime hands them to
    delivery, so nothing that writes an entry has to remember to send it. With `lease_new`
    set too, entries are written already leased to this process for that long."""

    def __init__(self, engine: Engine, on_commit: OnCommit | None = None) -> None:
        self.engine = engine
        self.on_commit = on_commit
        self.prepare: Prepare | None = None
        self.lease_new: timedelta | None = None

    def _session(self) -> Session:
        session = Session(self.engine, expire_on_commit=False)
        if self.lease_new is not None and self.on_commit is not None:
            session.info[LEASE_NEW] = self.lease_new
        return session

    def _before_commit(self, session: Session) -> Any:
        entries: list[Outbox] | None = session.info.pop(NEW_ENTRIES, None)
        if not entries:
            return None
        session.flush()
        if self.prepare is None:
            return [entry.id for entry in entries]
        return self.prepare(session, entries)

    def _after_commit(self, prepared: Any) -> None:
        if prepared is not None and self.on_commit is not None:
            self.on_commit(prepared)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        A block cannot be run twice, so database errors pass through as they are: what a
        person waits for uses `run`, which retries."""
        with self._session() as session, session.begin():
            yield session
            prepared = self._before_commit(session)
        self._after_commit(prepared)

    def run(self, work: Callable[[Session], T]) -> T:
        """`work` in one transaction, as `transaction` runs a block, and run again from the
        start if the database failed it before the commit (then nothing was saved, so the
        second run is the only one that counts). `work` may therefore run twice: it must do
        nothing outside the session it is given.

        Raises NotSaved when the second run fails too, SaveUnknown when a lost COMMIT could
        not be settled; whatever `work` raises otherwise passes through."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._run_once(work)
            except NotSaved as error:
                if attempt == ATTEMPTS:
                    raise
                logger.info(
                    "db.retrying",
                    extra={"reason": error.reason, "attempt": attempt, "unit": unit_name(work)},
                )
                time.sleep(RETRY_PAUSE)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _run_once(self, work: Callable[[Session], T]) -> T:
        committing = False
        xid: int | None = None
        prepared: Any = None
        session = self._session()
        try:
            with session:
                transaction = session.begin()
                result = work(session)
                session.flush()
                prepared = self._before_commit(session)
                xid = self._transaction_id(session)
                # Everything is written; if the connection goes from here on, COMMIT may
                # have reached the database. (Leaving `transaction` to close with the
                # session, not rolling it back, keeps what `work` returned as it was.)
                committing = True
                transaction.commit()
        except Exception as error:
            cause = unavailability(error)
            if cause is None:
                raise
            if not committing or not self._committed_after_all(xid, cause):
                raise NotSaved(reason_of(cause)) from error
            logger.warning("db.commit_confirmed", extra={"reason": reason_of(cause), "xid": xid})
        self._after_commit(prepared)
        return result

    def _transaction_id(self, session: Session) -> int | None:
        """PostgreSQL's id for this transaction once it has written something (None while it
        has only read): what `txid_status` is asked about if the COMMIT is cut off."""
        if not self.is_postgres or not wrote(session.connection()):
            return None
        value = session.execute(text("SELECT txid_current_if_assigned()")).scalar_one()
        return None if value is None else int(value)

    def _committed_after_all(self, xid: int | None, cause: BaseException) -> bool:
        """Whether the transaction whose COMMIT lost its connection did commit.

        SQLite is a local file: a COMMIT that raised did not happen. A PostgreSQL transaction
        that wrote nothing has nothing to lose. Otherwise PostgreSQL is asked, on a fresh
        connection; SaveUnknown when it cannot say."""
        if xid is None:
            return False
        for attempt in range(SETTLE_TRIES):
            if attempt:
                time.sleep(SETTLE_PAUSE)
            try:
                with self.engine.connect() as conn:
                    status = conn.execute(
                        text("SELECT txid_status(CAST(:xid AS bigint))"), {"xid": xid}
                    ).scalar_one()
            except UNAVAILABLE as error:
                if not _is_unavailable(error):
                    raise
                continue
            if status == "committed":
                return True
            if status == "aborted":
                return False
            # "in progress": the ended backend has not finished with it yet; ask again.
        raise SaveUnknown(reason_of(cause)) from cause

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
