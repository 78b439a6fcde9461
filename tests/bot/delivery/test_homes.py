"""An App Home entry says only "refresh U's Home": delivery renders it when it sends, from the
data current then, and the newest entry for a person is the only one sent."""

from __future__ import annotations

from sqlmodel import col, select

from bot.delivery.homes import homes_of
from bot.delivery.outbox import deliver, drain
from sandbox import FakeSlack
from storage import outbox as outbox_store
from storage.db import Database
from storage.enums import AssignmentStatus, Cadence, OutboxKind
from storage.models import Assignment, Outbox
from storage.types import utcnow
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


def test_homes_read_together_show_what_each_read_alone_shows(
    running: RunningApp, db: Database
) -> None:
    """A unit of work reads its people's Homes together (each table once for all of them);
    the send-time path reads one. Both must show the same."""
    members = member_rows(TEAM, ["UMAN", "UREP", "UOTHER"], tz="UTC", next_plan_at=None)
    for row in members[1:]:
        row["manager_id"] = "UMAN"
    now = utcnow()
    with db.transaction() as session:
        seed(session, members, item_rows(TEAM, "UREP", 4) + item_rows(TEAM, "UMAN", 2))
        for title, rep, status in [
            ("Waiting", "UREP", AssignmentStatus.pending),
            ("Done once", "UOTHER", AssignmentStatus.one_off),
        ]:
            decided = None if status == AssignmentStatus.pending else now
            session.add(
                Assignment(
                    team_id=TEAM,
                    requested_by="UMAN",
                    approver_id="UMAN",
                    rep_id=rep,
                    title=title,
                    minutes=45,
                    cadence=Cadence.once,
                    status=status,
                    decided_at=decided,
                )
            )
    people = ["UMAN", "UREP", "UOTHER"]
    with db.transaction() as session:
        together = homes_of(running.rt, session, TEAM, people)
    for user in people:
        with db.transaction() as session:
            assert homes_of(running.rt, session, TEAM, [user]) == {user: together[user]}
    assert together["UMAN"].approvals and together["UREP"].doc.pending
    assert {row.user_id: row.outside_month for row in together["UMAN"].team} == {
        "UOTHER": 45,
        "UREP": 0,
    }
