"""Issue 5, must-show 3: the export's CSV parses with the csv module and holds every audit event
of the rep in order; its Markdown holds every active item."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.render.doc import AorDoc, ItemRow
from bot.render.export import EventRow, Export, decisions_csv, items_csv, md_escape, to_markdown
from bot.rules.capacity import Load
from bot.services.assignments import TaskRequest, create_assignment, decide
from bot.services.coaching import gather_export
from bot.services.items import NewItem, add_own_item, retire_own_item
from bot.services.members import set_manager
from storage import audit
from storage.enums import Cadence, Decision, ItemStatus, Tier
from storage.models import Member, Responsibility
from storage.types import utcnow
from tests.utils.server import RunningApp

TEAM = "T0001"
TRICKY = "Call *hot* leads | <web> `form` [Q4] #1 _now_"
FORMULA = '=HYPERLINK("http://evil.example","x")'
AT = datetime(2026, 11, 16, 9, tzinfo=UTC)


def _ask(running: RunningApp, rep: str, title: str, minutes: int, cadence: Cadence) -> int:
    task = TaskRequest(rep_id=rep, title=title, minutes=minutes, cadence=cadence)
    made = create_assignment(running.rt, team_id=TEAM, requester_id="UMANAGER", task=task)
    return made.id or 0


def seed_history(running: RunningApp) -> None:
    """A rep's contract built through the real services: items, requests, decisions."""
    rt = running.rt
    set_manager(rt, team_id=TEAM, actor_id="UREP", rep_id="UREP", manager_id="UMANAGER")
    set_manager(rt, team_id=TEAM, actor_id="UREP2", rep_id="UREP2", manager_id="UMANAGER")
    joined = _ask(running, "UREP", "Update the landing page", 180, Cadence.weekly)
    declined = _ask(running, "UREP", "Organise the summer party", 300, Cadence.once)
    one_off = _ask(running, "UREP", "Chase order 1234", 30, Cadence.once)
    _ask(running, "UREP", "Still waiting", 60, Cadence.weekly)
    _ask(running, "UREP2", "Someone else's work", 60, Cadence.weekly)
    for assignment_id, decision, note in (
        (joined, Decision.join_second, None),
        (declined, Decision.decline, "Not a rep's job, ask marketing"),
        (one_off, Decision.one_off, None),
    ):
        decide(
            rt,
            team_id=TEAM,
            actor_id="UMANAGER",
            assignment_id=assignment_id,
            decision=decision,
            note=note,
        )
    added = [
        add_own_item(
            rt,
            team_id=TEAM,
            user_id="UREP",
            new=NewItem(title=title, minutes=45, tier=tier, cadence=cadence),
        )
        for title, tier, cadence in (
            (TRICKY, Tier.first, Cadence.daily),
            ("Prospecting calls", Tier.first, Cadence.daily),
            ("Old report", Tier.second, Cadence.weekly),
        )
    ]
    retire_own_item(rt, team_id=TEAM, user_id="UREP", item_id=added[-1].id or 0)


def _export(running: RunningApp) -> Export:
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, "UREP"))
        assert member is not None
        return gather_export(session=session, member=member, now=utcnow())


def test_decision_csv_holds_every_event_of_the_rep_in_order(running: RunningApp) -> None:
    seed_history(running)
    export = _export(running)
    with running.rt.db.transaction() as session:
        events = audit.events_for_member(session=session, team_id=TEAM, member_id="UREP")

    rows = list(csv.DictReader(io.StringIO(decisions_csv(export))))

    assert len(events) >= 12  # manager, 4 requests, 3 decisions (+ items), 3 adds, a retire
    assert [int(r["id"]) for r in rows] == [e.id for e in events]
    assert [r["action"] for r in rows] == [e.action for e in events]
    assert [r["actor"] for r in rows] == [e.actor_id for e in events]
    assert [(r["subject_type"], r["subject_id"]) for r in rows] == [
        (e.subject_type, e.subject_id) for e in events
    ]
    for row, event in zip(rows, events, strict=True):
        assert row["at_utc"] == event.at.isoformat(timespec="seconds")
        assert (json.loads(row["before"]) if row["before"] else None) == event.before
        assert (json.loads(row["after"]) if row["after"] else None) == event.after
    assert "Someone else's work" not in decisions_csv(export)
    assert any("ask marketing" in r["after"] for r in rows)  # the decline's note survives


def test_markdown_holds_every_active_item_and_the_log(running: RunningApp) -> None:
    seed_history(running)
    export = _export(running)
    markdown = to_markdown(export)
    with running.rt.db.transaction() as session:
        titles = list(
            session.exec(
                select(Responsibility.title).where(
                    Responsibility.owner_id == "UREP", Responsibility.status == ItemStatus.active
                )
            )
        )

    assert sorted(titles) == sorted(
        ["Update the landing page", "Chase order 1234", TRICKY, "Prospecting calls"]
    )
    for title in titles:
        assert f"| {md_escape(title)} |" in markdown
    items_section = markdown.split("## Waiting for a decision")[0]
    assert "Old report" not in items_section  # retired
    assert "Still waiting" in markdown.split("## Waiting for a decision")[1]
    # The decision log is sentences with names and dates, never JSON or Slack ids.
    log = markdown.split("## Decision log")[1]
    assert "to Rob Rep's AOR as outside-the-role work." in log
    assert log.count("Rob Rep named Maria Manager manager of record.") == 1
    assert (
        "Maria Manager joined “Update the landing page” (3h weekly) to Rob Rep's AOR at "
        "second priority." in log
    )
    assert "declined “Organise the summer party” (5h once) for Rob Rep. Note: Not a rep" in log
    assert "Rob Rep retired “Old report” (45m weekly) from Rob Rep's AOR." in log
    assert "UREP" not in markdown and "UMANAGER" not in markdown and "{" not in log
    assert len([r for r in csv.DictReader(io.StringIO(items_csv(export)))]) == len(titles)


def test_markdown_escaping_keeps_titles_literal() -> None:
    escaped = md_escape(TRICKY + "\nsecond line")

    assert escaped == (r"Call \*hot\* leads \| \<web\> \`form\` \[Q4\] \#1 \_now\_ second line")


def _export_of(title: str, subject_id: str) -> Export:
    item = ItemRow(
        id=1,
        title=title,
        tier="first",
        minutes=30,
        cadence="daily",
        due=None,
        origin="role",
        requested_by=None,
        since=AT,
        since_day=AT.date(),
        weekly=150,
    )
    event = EventRow(
        id=1,
        at=AT,
        actor_id="UREP",
        action="item.added",
        subject_type="responsibility",
        subject_id=subject_id,
        before=None,
        after={"title": title},
    )
    doc = AorDoc(rep_id="UREP", rep_name="Rob", load=Load(), items=(item,), pending=())
    return Export(doc=doc, events=(event,), exported_at=AT)


@pytest.mark.parametrize(
    "text", [FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tx=1", "\r=1+1"]
)
def test_csv_cells_that_would_run_as_formulas_stay_text(text: str) -> None:
    export = _export_of(text, subject_id=text)

    (item,) = csv.DictReader(io.StringIO(items_csv(export)))
    (event,) = csv.DictReader(io.StringIO(decisions_csv(export)))

    assert item["title"] == "'" + text
    assert event["subject_id"] == "'" + text
    assert json.loads(event["after"]) == {"title": text}  # JSON opens with `{`: left alone
    assert item["minutes"] == "30" and item["tier"] == "first"
    assert f"| {md_escape(text)} |" in to_markdown(export)  # the Markdown is for reading


def test_csv_cells_with_a_formula_character_later_are_left_alone() -> None:
    export = _export_of("Call leads = revenue", subject_id="42")

    (item,) = csv.DictReader(io.StringIO(items_csv(export)))

    assert item["title"] == "Call leads = revenue"
