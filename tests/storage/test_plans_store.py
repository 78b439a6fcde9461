"""Plan storage on SQLite and PostgreSQL: the unique key decides claims, SKIP LOCKED splits
due members between schedulers, a plan is sent once its DM is delivered."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from storage import outbox
from storage import plans as store
from storage.db import Database
from storage.enums import OutboxStatus, PlanStatus
from storage.models import DailyPlan, Outbox
from storage.outbox_batch import Outcome, finish_many
from tests.utils.seed import item_rows, member_rows, seed

NOW = datetime(2026, 3, 6, 16, 30, tzinfo=UTC)
DAY = date(2026, 3, 6)


def _row(user: str, *, by: str = "a:1") -> dict[str, Any]:
    return {
        "team_id": "T1",
        "user_id": user,
        "plan_date": DAY,
        "status": PlanStatus.claimed,
        "claimed_by": by,
        "claimed_at": NOW,
        "attempts": 1,
        "budget_minutes": 480,
        "items": [],
    }


def test_the_unique_key_lets_one_claim_win(db: Database) -> None:
    with db.transaction() as session:
        first = store.claim_plans(session=session, rows=[_row("U1"), _row("U2")])
    with db.transaction() as session:
        second = store.claim_plans(session=session, rows=[_row("U2", by="b:2"), _row("U3")])
    assert set(first) == {("T1", "U1"), ("T1", "U2")}
    assert set(second) == {("T1", "U3")}  # U2's day was already claimed
    with db.transaction() as session:
        plan = store.get_plan(session=session, team_id="T1", user_id="U2", plan_date=DAY)
    assert plan is not None and plan.claimed_by == "a:1"


def test_plans_become_sent_when_their_dm_is_delivered(db: Database) -> None:
    with db.transaction() as session:
        won = store.claim_plans(session=session, rows=[_row("U1"), _row("U2")])
        ids = {}
        for (_, user), plan_id in won.items():
            entry = outbox.enqueue(
                session=session,
                team_id="T1",
                kind="message",
                user_id=user,
                payload={"text": "x", "blocks": []},
                message_key=store.plan_key(plan_id),
            )
            session.flush()
            ids[user] = entry.id or 0
        finish_many(session=session, outcomes=[Outcome(ids["U1"], OutboxStatus.sent)], now=NOW)
    with db.transaction() as session:
        assert store.mark_delivered(session=session, now=NOW) == 1
    with db.transaction() as session:
        statuses = {p.user_id: p.status for p in session.exec(DailyPlan.__table__.select())}  # type: ignore[attr-defined]
    assert statuses == {"U1": PlanStatus.sent, "U2": PlanStatus.claimed}


def test_the_latest_check_per_item_decides_and_weekly_ticks_are_found(db: Database) -> None:
    with db.transaction() as session:
        plan_id = store.claim_plans(session=session, rows=[_row("U1")])[("T1", "U1")]
        store.record_checks(session=session, plan_id=plan_id, changes={1: True, 2: True}, at=NOW)
        store.record_checks(session=session, plan_id=plan_id, changes={2: False}, at=NOW)
    with db.transaction() as session:
        assert store.checks_for(session=session, plan_ids=[plan_id]) == {plan_id: {1}}
        ticks = store.ticked_items(
            session=session, keys=[("T1", "U1")], since=DAY, before=DAY + timedelta(days=1)
        )
    assert [(t.user_id, t.plan_date, t.item_id) for t in ticks] == [("U1", DAY, 1)]


def test_due_members_and_their_items_in_bulk(db: Database) -> None:
    with db.transaction() as session:
        seed(
            session,
            member_rows("T1", ["U1", "U2"], tz="UTC", next_plan_at=NOW)
            + member_rows("T1", ["U3"], tz="UTC", next_plan_at=NOW + timedelta(hours=1)),
            item_rows("T1", "U1", 3) + item_rows("T1", "U2", 2),
        )
    with db.transaction() as session:
        due = store.due_members(session=session, now=NOW, limit=10)
        items = store.active_items(session=session, keys=[("T1", m.user_id) for m in due])
    assert sorted(m.user_id for m in due) == ["U1", "U2"]
    assert {k: len(v) for k, v in items.items()} == {("T1", "U1"): 3, ("T1", "U2"): 2}


def test_a_batch_written_in_one_statement_reads_back_as_written(db: Database) -> None:
    """On PostgreSQL the batch goes as one JSON document (storage.arrays): text that JSON
    escapes, nested JSON, nulls, dates and times of day must come back unchanged."""
    odd = 'Rob\'s "big" deal · 50% \\ done…'
    items = [{"id": 1, "title": odd, "due": None, "tags": [{"a": [1, 2.5, True]}]}]
    payload = {"text": odd, "blocks": [{"type": "section", "text": {"text": odd}}]}
    with db.transaction() as session:
        seed(
            session, member_rows("T1", ["U1"], tz="UTC", next_plan_at=NOW), item_rows("T1", "U1", 2)
        )
        seed(
            session, member_rows("T2", ["U1"], tz="UTC", next_plan_at=NOW), item_rows("T2", "U1", 1)
        )
        plan_id = store.claim_plans(session=session, rows=[{**_row("U1"), "items": items}])[
            ("T1", "U1")
        ]
        outbox.enqueue_many(
            session=session,
            entries=[{"team_id": "T1", "kind": "message", "user_id": "U1", "payload": payload}],
            now=NOW,
        )
        later = NOW + timedelta(days=1, minutes=7)
        store.set_next_plan_at(
            session=session, changes=[(("T1", "U1"), later), (("T2", "U1"), None)]
        )
    with db.transaction() as session:
        plan = session.get(DailyPlan, plan_id)
        assert plan is not None
        assert (plan.items, plan.plan_date, plan.claimed_at) == (items, DAY, NOW)
        entry = session.exec(Outbox.__table__.select()).one()  # type: ignore[attr-defined]
        assert (entry.payload, entry.next_attempt_at, entry.status) == (payload, NOW, "pending")
        due = store.due_members(session=session, now=later, limit=10)
        found = store.active_items(session=session, keys=[("T1", "U1"), ("T2", "U1")])
    assert [(m.team_id, m.next_plan_at) for m in due] == [("T1", later)]  # T2's stopped
    assert {key: len(rows) for key, rows in found.items()} == {("T1", "U1"): 2, ("T2", "U1"): 1}


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_concurrent_schedulers_take_disjoint_batches_on_postgresql(db: Database) -> None:
    users = [f"U{n}" for n in range(10)]
    with db.transaction() as session:
        seed(session, member_rows("T1", users, tz="UTC", next_plan_at=NOW), [])
    with db.transaction() as first, db.transaction() as second:
        mine = {m.user_id for m in store.due_members(session=first, now=NOW, limit=6)}
        theirs = {m.user_id for m in store.due_members(session=second, now=NOW, limit=6)}
    assert len(mine) == 6 and len(theirs) == 4 and not mine & theirs
