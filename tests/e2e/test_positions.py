"""Issue 11: positions. Edits are versioned with before/after in the audit, the rep's App Home
and `/aor doc` show the current version, anyone reads a position and only an admin or a
manager of record changes one; all of it within Block Kit limits at full size."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import col, select

from bot.core.ids import Block
from bot.jobs.scheduler import tick
from sandbox import FakeSlack, SlackSide
from storage import audit
from storage.models import Assignment, Member, Position, PositionVersion, Responsibility
from storage.types import utcnow
from tests.utils.forms import form_answers, open_and_submit
from tests.utils.people import name_manager
from tests.utils.seed import item_rows
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, replies
from tests.utils.wait import eventually

TEAM = "T0001"


def _answer(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> dict[str, Any]:
    """The ephemeral answer to `/aor TEXT` (its body: text and blocks)."""
    url = slack.command(text, user_id=user).response_url
    return eventually(lambda: [r.body for r in fake.responses if r.url == url])[0]


def _say(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> str:
    url = slack.command(text, user_id=user).response_url
    return eventually(lambda: replies(fake, url))[0]


def _request(n: int, title: str) -> dict[str, Any]:
    return {
        "team_id": TEAM,
        "requested_by": "UOTHER",
        "approver_id": "UMANAGER",
        "rep_id": "UREP",
        "title": f"{n} {title}",
        "details": "",
        "minutes": 60,
        "cadence": "once",
        "status": "pending",
        "created_at": utcnow(),
    }


def _versions(running: RunningApp) -> list[tuple[int, str, str]]:
    with running.rt.db.transaction() as session:
        rows = session.exec(select(PositionVersion).order_by(col(PositionVersion.id)))
        return [(v.version, v.created_by, v.content["purpose"]) for v in rows]


def _dm_saying(fake: FakeSlack, user: str, words: str) -> str:
    return eventually(
        lambda: next((m["text"] for m in fake.dm_messages(user) if words in m["text"]), None)
    )


def test_edits_are_versions_with_before_and_after_and_the_rep_sees_the_current_one(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    doc = all_text(_answer(slack, fake, "doc", "UREP"))
    assert "Position: Online sales specialist" in doc  # the method's, before any edit
    assert "superstars convert 25% of leads" in doc and "target 10 per week" in doc

    result = open_and_submit(
        slack, fake, "position edit", "UMANAGER", purpose="Turn leads into customers."
    )
    assert result.status == 200 and result.body == ""
    assert "as version 2" in _dm_saying(fake, "UMANAGER", "Saved")
    open_and_submit(
        slack,
        fake,
        "position edit Online sales specialist",
        "UMANAGER",
        purpose="Turn leads into loyal customers.",
    )
    assert "as version 3" in _dm_saying(fake, "UMANAGER", "version 3")

    versions = _versions(running)
    assert [(v, who) for v, who, _ in versions] == [(1, "aor"), (2, "UMANAGER"), (3, "UMANAGER")]
    assert versions[0][2].startswith("Convert leads")  # the method's words, kept
    with running.rt.db.transaction() as session:
        position = session.exec(select(Position)).one()
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="position", subject_id=position.id or 0
        )
    assert [(e.action, e.actor_id) for e in events] == [
        ("position.edited", "UMANAGER"),
        ("position.edited", "UMANAGER"),
    ]
    first, second = events
    assert first.before is not None and first.after is not None
    assert (first.before["version"], first.after["version"]) == (1, 2)
    assert first.before["purpose"].startswith("Convert leads")
    assert first.after["purpose"] == "Turn leads into customers."
    assert second.before == first.after

    slack.app_home_opened("UREP")
    home = eventually(
        lambda: (h := fake.home("UREP")) and "loyal customers" in all_text(h) and all_text(h)
    )
    assert "version 3" in home and "Turn leads into customers." not in home
    doc = all_text(_answer(slack, fake, "doc", "UREP"))
    assert "Turn leads into loyal customers." in doc and "version 3" in doc


def test_a_bystander_reads_a_position_but_cannot_change_one(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    shown = all_text(_answer(slack, fake, "position Online sales specialist", "UOTHER"))
    assert "Why the role exists" in shown and "Convert leads" in shown
    assert "position edit" not in shown  # no invitation to what they may not do

    for command in ("position edit", "position new Closer", "position assign <@UREP|rob> Closer"):
        refusal = _answer(slack, fake, command, "UOTHER")
        assert "Only an admin or a manager of record can change positions" in refusal["text"]
    assert fake.calls_to("views.open") == []

    # A forged submission of the edit form is refused too, and nothing is saved.
    name_manager(slack, fake, "UREP")
    opened = slack.command("position edit", user_id="UMANAGER")
    assert opened.status == 200
    view = eventually(lambda: fake.calls_to("views.open") and fake.last_view())
    forged = slack.submit_view(
        user_id="UOTHER", answers=form_answers(view, purpose="Mine now"), view=view
    )
    assert forged.json["response_action"] == "errors"
    assert "Only an admin or a manager of record" in forged.json["errors"][Block.position_title]
    assert _versions(running) == []
    with running.rt.db.transaction() as session:
        assert (
            session.exec(select(Member.position_id).where(Member.user_id == "UREP")).one() is None
        )


def test_an_admin_creates_and_assigns_a_position(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    bad = open_and_submit(
        slack,
        fake,
        "position new Account executive",
        "UADMIN",
        kpis="deals | Deals closed\nwin_rate = deals / calls | Win rate",
    )
    error = bad.json["errors"][Block.kpis]
    assert "'win_rate' divides 'calls'" in error and "e.g. calls | Calls" in error
    view = fake.last_view()
    good = slack.submit_view(
        user_id="UADMIN",
        answers=form_answers(
            view,
            purpose="Close the deals specialists open.",
            kpis="deals | Deals closed | per week | 3\ncalls | Calls\n"
            "win_rate = deals / calls | Win rate | % | 30",
        ),
        view=view,
    )
    assert good.status == 200 and good.body == ""
    assert "Saved *Account executive* as version 1" in _dm_saying(fake, "UADMIN", "Saved")

    told = _answer(slack, fake, "position assign <@UREP2|rita> account EXECUTIVE", "UADMIN")
    assert told["text"] == "<@UREP2> now has the position *Account executive*."
    doc = all_text(_answer(slack, fake, "doc", "UREP2"))
    assert "Position: Account executive" in doc and "target 30%" in doc
    assert "Online sales specialist" not in doc
    mine = all_text(_answer(slack, fake, "position", "UREP2"))
    assert "Close the deals" in mine and "Online sales specialist" in mine  # the others listed
    missing = _answer(slack, fake, "position Chief of fun", "UREP2")["text"]
    assert "No position is titled 'Chief of fun'" in missing and "Account executive" in missing
    with running.rt.db.transaction() as session:
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="member", subject_id="UREP2"
        )
    assert [(e.action, (e.after or {}).get("title")) for e in events] == [
        ("position.assigned", "Account executive")
    ]


def test_home_and_doc_stay_within_limits_with_a_full_position(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    with running.rt.db.transaction() as session:
        session.execute(insert(Responsibility), item_rows(TEAM, "UREP", 120))
    # 3,000 characters each, escaping-heavy (every & < > grows fourfold when escaped).
    text = ("Selling & <values> " * 200)[:3000]
    kpis = "\n".join(
        [f"k{n} | KPI number {n} with a long name | per week | {n}" for n in range(9)]
        + ["ratio = k1 / k2 | A ratio | % | 25"]
    )
    fields = {b: text for b in ("purpose", "outcomes", "indicators", "values", "learning")}
    fields |= {"feedback": text, "change": text}
    result = open_and_submit(slack, fake, "position edit", "UMANAGER", kpis=kpis, **fields)
    assert result.status == 200 and result.body == ""
    _dm_saying(fake, "UMANAGER", "Saved")

    slack.app_home_opened("UREP")
    home = eventually(lambda: (h := fake.home("UREP")) and "A ratio" in all_text(h) and h)
    assert len(home["blocks"]) <= 100
    doc = _answer(slack, fake, "doc", "UREP")
    assert len(doc["blocks"]) <= 50 and "A ratio" in all_text(doc)
    shown = _answer(slack, fake, "position", "UREP")
    assert "KPI number 8" in all_text(shown)
    assert "Selling &amp; &lt;values&gt;" in all_text(shown)  # shown as typed, never as markup

    # The coaching pack, with every list at its longest: 100 AOR changes and 60 requests.
    long_title = ("Renew <the> & contract " * 10)[:195]
    with running.rt.db.transaction() as session:
        for n in range(100):
            audit.record(
                session=session,
                team_id=TEAM,
                actor_id="UREP",
                action="item.added",
                subject_type="item",
                subject_id=n + 1,
                member_id="UREP",
                after={"title": f"{n} {long_title}"},
            )
        session.execute(insert(Assignment), [_request(n, long_title) for n in range(60)])
    _say(slack, fake, "kpi " + " ".join(f"k{n}={n * 3}" for n in range(9)), "UREP")
    meeting = utcnow().astimezone(ZoneInfo("America/New_York")) + timedelta(minutes=30)
    _say(slack, fake, f"coaching <@UREP|rob> {meeting:%a} {meeting:%H:%M}", "UMANAGER")
    tick(running.rt)
    packs = eventually(
        lambda: [
            m
            for u in ("UREP", "UMANAGER")
            for m in fake.dm_messages(u)
            if m["text"].startswith("Coaching pack")
        ]
    )
    assert len(packs) == 2
    for pack in packs:
        assert len(pack["blocks"]) <= 50 and "A ratio" in all_text(pack)
        assert "AOR changes since the last 1:1* (100)" in all_text(pack)
    fake.assert_no_violations()
