"""Who sends a workspace's queued messages: one process at a time, so its sends together stay
under the workspace's rate limit. On PostgreSQL a session advisory lock, held on a connection
of its own while that process sends, and gone with the process if it dies; SQLite serves one
process, which needs no lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

# The advisory-lock namespace of "sending a workspace's outbox" (pg_try_advisory_lock's
# first key; the second is the workspace's hash).
SENDER_LOCKS = 7301


@contextmanager
def workspace_sender(engine: Engine, team_id: str) -> Iterator[bool]:
    """Whether this process is the workspace's sender until the block ends."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        key = {"space": SENDER_LOCKS, "team": team_id}
        mine = bool(
            conn.execute(
                text("SELECT pg_try_advisory_lock(:space, hashtext(:team))"), key
            ).scalar_one()
        )
        conn.commit()
        try:
            yield mine
        finally:
            if mine:
                conn.execute(text("SELECT pg_advisory_unlock(:space, hashtext(:team))"), key)
                conn.commit()
