"""An App Home entry says only "refresh U's Home": delivery renders it when it sends, from the
data current then, and the newest entry for a person is the only one sent."""

from __future__ import annotations

from sqlmodel import col, select

from bot.delivery.outbox import deliver, drain
from sandbox import FakeSlack
from storage import outbox as outbox_store
from storage.db import Database
from storage.enums import OutboxKind
from storage.models import Outbox
from tests.utils.seed import item_rows, member_rows, seed
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text

TEAM = "T0001"


def _queue_home(db: Database, user_id: str) -> int:
    # Written beside the app's runtime, so nothing sends it until the test says so.
    with db.transaction() as session:
        outbox_store.enqueue_homes(session=session, team_id=TEAM, user_ids=[user_id])
        entry = session.exec(select(Outbox).order_by(col(Outbox.id).desc())).first()
    assert entry is not None and entry.kind == OutboxKind.home and entry.payload == {}
    return entry.id or 0


def test_a_home_is_rendered_from_the_data_current_when_it_is_sent(
    running: RunningApp, fake: FakeSlack, db: Database
) -> None:
    with db.transaction() as session:
        seed(session, member_rows(TEAM, ["UREP"], tz="UTC", next_plan_at=None), [])
    entry_id = _queue_home(db, "UREP")
    with db.transaction() as session:  # the AOR changes after the refresh was asked for
        seed(session, [], item_rows(TEAM, "UREP", 1))
    report = deliver(running.rt, [entry_id])
    assert report.sent == [entry_id]
    [item] = item_rows(TEAM, "UREP", 1)
    assert item["title"] in all_text(fake.home("UREP") or {})


def test_only_the_newest_home_entry_for_a_person_is_sent(
    running: RunningApp, fake: FakeSlack, db: Database
) -> None:
    with db.transaction() as session:
        seed(session, member_rows(TEAM, ["UREP"], tz="UTC", next_plan_at=None), [])
    older, newer = _queue_home(db, "UREP"), _queue_home(db, "UREP")
    report = drain(running.rt)
    assert report.sent == [newer] and older not in report.retrying
    assert len(fake.calls_to("views.publish")) == 1
