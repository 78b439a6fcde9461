"""The runtime hands committed outbox entries to delivery: at once, or after the ack inside a
listener, and a delivery failure never undoes or hides a committed change. A database that
does not answer becomes the one plain message a person reads."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import text
from sqlmodel import Session

from bot.core.config import Settings
from bot.core.errors import DatabaseUnavailable
from bot.core.runtime import Runtime
from storage import outbox as outbox_store
from storage.db import Database

TEAM = "T0001"


@pytest.fixture
def delivered() -> list[list[int]]:
    return []


@pytest.fixture
def rt(db: Database, delivered: list[list[int]]) -> Runtime:
    def record(ids: Sequence[int]) -> None:
        delivered.append(list(ids))

    client = WebClient(base_url="http://127.0.0.1:9/")
    return Runtime(settings=Settings(), db=db, client=client, quick_client=client, deliver=record)


def _queue(rt: Runtime, text: str) -> int:
    with rt.db.transaction() as session:
        entry = outbox_store.enqueue(
            session=session, team_id=TEAM, user_id="UREP", payload={"text": text}
        )
    return entry.id or 0


def test_committed_entries_are_delivered_at_once(rt: Runtime, delivered: list[list[int]]) -> None:
    first = _queue(rt, "one")
    assert delivered == [[first]]
    with rt.db.transaction() as session:
        a = outbox_store.enqueue(session=session, team_id=TEAM, user_id="U1", payload={})
        b = outbox_store.enqueue(session=session, team_id=TEAM, user_id="U2", payload={})
    assert delivered == [[first], [a.id, b.id]]


def test_a_rolled_back_transaction_delivers_nothing(
    rt: Runtime, delivered: list[list[int]]
) -> None:
    with pytest.raises(RuntimeError), rt.db.transaction() as session:
        outbox_store.enqueue(session=session, team_id=TEAM, user_id="UREP", payload={})
        raise RuntimeError("the change failed")
    with rt.db.transaction():
        pass  # a later transaction must not inherit the rolled-back entry
    assert delivered == []


def test_inside_a_listener_entries_wait_for_the_ack(
    rt: Runtime, delivered: list[list[int]]
) -> None:
    acks: list[dict[str, Any]] = []
    with rt.deliveries_after_ack() as after_ack:
        ack = after_ack(lambda **kwargs: acks.append(kwargs))
        before = _queue(rt, "saved before the ack")
        assert delivered == []  # a modal is answered before any DM goes out
        ack(response_action="clear")
        assert acks == [{"response_action": "clear"}]
        assert delivered == [[before]]
        after = _queue(rt, "saved after the ack")
        assert delivered == [[before], [after]]
    assert delivered == [[before], [after]]


def test_a_listener_that_never_acks_still_delivers_when_it_ends(
    rt: Runtime, delivered: list[list[int]]
) -> None:
    with rt.deliveries_after_ack():
        held = _queue(rt, "an event listener: Bolt acked it already")
        assert delivered == []
    assert delivered == [[held]]
    again = _queue(rt, "outside any listener")
    assert delivered == [[held], [again]]


def test_a_failing_delivery_is_logged_and_the_change_stands(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(ids: Sequence[int]) -> None:
        raise ConnectionError("database went away while sending")

    client = WebClient(base_url="http://127.0.0.1:9/")
    rt = Runtime(settings=Settings(), db=db, client=client, quick_client=client, deliver=broken)
    entry_id = _queue(rt, "kept for the scheduler tick")
    with db.transaction() as session:
        assert outbox_store.pending_count(session=session) == 1
    [failure] = [r for r in caplog.records if r.getMessage() == "delivery.after_commit_failed"]
    assert failure.exc_info is not None and entry_id > 0


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_database_that_fails_twice_is_told_plainly_and_logged_once(
    rt: Runtime, delivered: list[list[int]], caplog: pytest.LogCaptureFixture
) -> None:
    def work(session: Session) -> None:
        outbox_store.enqueue(session=session, team_id=TEAM, user_id="UREP", payload={})
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    with pytest.raises(DatabaseUnavailable) as raised:
        rt.transact(work)
    assert raised.value.message == (
        "The database is not answering, so nothing was saved. Please try again in a moment."
    )
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.getMessage(), r.saved) for r in warnings] == [("db.unavailable", "no")]
    assert "terminating connection" in warnings[0].reason and warnings[0].exc_info is None
    assert delivered == []
    assert rt.transact(lambda session: _queue_in(session, "the next one works")) > 0
    assert len(delivered) == 1


def _queue_in(session: Session, text_: str) -> int:
    entry = outbox_store.enqueue(
        session=session, team_id=TEAM, user_id="UREP", payload={"text": text_}
    )
    session.flush()  # entries are written with the rest of the unit; its id is wanted now
    return entry.id or 0
