"""Opening the database from the command line: upgraded for the commands that write, as it
is for those that only read, and every failure one line naming the fix."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from bot.core.config import Settings
from bot.core.errors import ConfigError
from bot.core.logs import redact
from storage.db import Database
from storage.engine import normalise_url
from storage.migrate import current_revision, head_revision, upgrade

logger = logging.getLogger("bot.cli")


def database_problem(url: str, exc: DBAPIError) -> str:
    """One line: which database, what the driver said, what to check."""
    reason = redact((str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0])
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "").resolve()
        fix = (
            "point DATABASE_URL at the bot's SQLite file"
            if "not a database" in reason
            else "check that its folder exists and that you may write there, or set DATABASE_URL"
        )
        return f"cannot open the SQLite database {path} ({reason}) — {fix}"
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
    return (
        f"cannot reach the database at {where} ({reason}) — check that PostgreSQL is running "
        "there and that DATABASE_URL's host, port, user, password and database name are right"
    )


def safe_url(url: str) -> str:
    """The URL as the operator wrote it, without its password."""
    return make_url(url.replace("postgres://", "postgresql://", 1)).render_as_string(
        hide_password=True
    )


def upgraded(settings: Settings) -> tuple[Database, str | None, str | None]:
    """Connect and bring the schema to the newest revision (commands that write); the
    revisions before and after."""
    db = Database.from_url(settings.database_url)
    before, after = upgrade(db.engine)
    logger.log(
        logging.DEBUG if before == after else logging.INFO,
        "db.upgraded",
        extra={"database": safe_url(settings.database_url), "before": before, "after": after},
    )
    return db, before, after


def existing_database(settings: Settings) -> Database:
    """Open the database as it is, for a command that must not create or upgrade it: one
    line saying what to run when it does not exist or is behind."""
    parsed = make_url(normalise_url(settings.database_url))
    if parsed.get_backend_name() == "sqlite":
        file = Path(parsed.database or "")
        if parsed.database in (None, "", ":memory:") or not file.is_file():
            raise ConfigError(
                f"no database at {file.resolve()} — run this where the bot's database is, "
                "set DATABASE_URL to it, or create one with `aor db upgrade`"
            )
        where = str(file.resolve())
        current = sqlite_revision(file)
        db = Database.from_url(settings.database_url)
    else:
        where = safe_url(settings.database_url)
        db = Database.from_url(settings.database_url)
        current = current_revision(db.engine)
    head = head_revision()
    if current is None:
        db.dispose()
        raise ConfigError(
            f"the database at {where} has no AOR tables — check DATABASE_URL, or create "
            "them with `aor db upgrade`"
        )
    if current != head:
        db.dispose()
        raise ConfigError(
            f"the database at {where} is at revision {current}, this aor needs {head} — "
            "run `aor db upgrade`"
        )
    return db


def sqlite_revision(file: Path) -> str | None:
    """Asked on a read-only connection: the bot's own turns the file to WAL mode, a write."""
    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    probe = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
    )
    try:
        return current_revision(probe)
    finally:
        probe.dispose()


def db_upgrade(settings: Settings) -> int:
    db, before, after = upgraded(settings)
    db.dispose()
    place = where(settings.database_url)
    if before is None:
        print(f"created the database at {place}, at revision {after}")
    elif before == after:
        print(f"{place} is already up to date, at revision {after}")
    else:
        print(f"upgraded {place} from revision {before} to {after}")
    return 0


def where(url: str) -> str:
    """The database as an operator knows it: a SQLite file's full path, else the URL without
    its password."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return str(Path(parsed.database or "").resolve())
    return safe_url(url)
