"""Issue 12, must show 4: with the manager out of office, a new request's buttons go to their
delegate (their own manager of record) with a line saying for whom they decide, the manager's
card says who holds it, the decision records that the delegate made it; the manager's return
hands what is still waiting back to them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from sqlmodel import col, select

from bot.core.ids import decide_action_id, decide_value
from bot.jobs.scheduler import tick
from sandbox import FakeSlack, SlackSide
from storage import audit
from storage.enums import Decision
from storage.models import Assignment
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons, replies
from tests.utils.wait import eventually

TEAM = "T0001"
THURSDAY = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def _answer(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> str:
    result = slack.command(text, user_id=user)
    return eventually(lambda: replies(fake, result.response_url))[-1]


def _card(fake: FakeSlack, user: str, title: str) -> dict[str, Any]:
    return eventually(
        lambda: next((m for m in fake.dm_messages(user) if title in all_text(m)), None)
    )


def _requests(running: RunningApp) -> list[Assignment]:
    with running.rt.db.transaction() as session:
        return list(session.exec(select(Assignment).order_by(col(Assignment.id))))


def _actions(running: RunningApp, request: Assignment) -> list[tuple[str, str]]:
    with running.rt.db.transaction() as session:
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="assignment", subject_id=request.id or 0
        )
    return [(e.action, e.actor_id) for e in events]


def test_the_delegate_decides_while_the_manager_is_away_and_the_rest_returns_to_them(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    with time_machine.travel(THURSDAY, tick=True) as traveller:
        name_manager(slack, fake, "UREP")
        name_manager(slack, fake, "UMANAGER", manager="UOTHER")
        _answer(slack, fake, "add-task <@UREP|rob> Waiting one 1h once", "UREP2")
        _card(fake, "UMANAGER", "Waiting one")
        # Maria goes out of office until Wednesday: what waits on her moves to Oscar at once.
        assert "Out of office" in _answer(slack, fake, "ooo 2026-12-09", "UMANAGER")
        moved = _card(fake, "UOTHER", "Waiting one")
        assert "You decide this for <@UMANAGER>, who is out of office" in all_text(moved)
        assert len(buttons(moved)) == 4

        _answer(slack, fake, "add-task <@UREP|rob> Partner webinar 1h once", "UREP2")
        card = _card(fake, "UOTHER", "Partner webinar")
        assert "You decide this for <@UMANAGER>, who is out of office" in all_text(card)
        assert len(buttons(card)) == 4
        held = eventually(
            lambda: next(
                (
                    m
                    for m in fake.dm_messages("UMANAGER")
                    if "Partner webinar" in all_text(m) and "holds this" in all_text(m)
                ),
                None,
            )
        )
        assert "<@UOTHER> holds this while you are out of office" in all_text(held)
        queue = slack.command("pending", user_id="UOTHER")
        listed = eventually(
            lambda: [r.body for r in fake.responses if r.url == queue.response_url]
        )[-1]
        assert "Partner webinar" in all_text(listed) and "Waiting one" in all_text(listed)
        rep_dm = _card(fake, "UREP", "Partner webinar")
        assert "<@UOTHER> decides it while <@UMANAGER> is out of office" in all_text(rep_dm)
        waiting, webinar = _requests(running)
        assert (webinar.approver_id, webinar.delegate_id) == ("UMANAGER", "UOTHER")
        assert waiting.delegate_id == "UOTHER"

        slack.click_button(
            user_id="UOTHER",
            channel=fake.dm_channel("UOTHER"),
            ts=card["ts"],
            action_id=decide_action_id(Decision.one_off),
            value=decide_value(webinar.id or 0),
        )
        eventually(lambda: _requests(running)[1].status == "one_off")
        with running.rt.db.transaction() as session:
            decided = audit.events_for_subject(
                session=session, team_id=TEAM, subject_type="assignment", subject_id=webinar.id or 0
            )[-1]
        assert (decided.action, decided.actor_id) == ("assignment.one_off", "UOTHER")
        assert decided.after is not None and decided.after["delegate"] == "UOTHER"
        assert decided.after["approver"] == "UMANAGER"
        eventually(lambda: "held this for you" in all_text(_card(fake, "UMANAGER", "webinar")))
        # The delegate's own App Home no longer lists what they decided.
        eventually(lambda: "Partner webinar" not in all_text(fake.home("UOTHER") or {}))
        assert "Waiting one" in all_text(fake.home("UOTHER") or {})

        # Maria is back on Wednesday: the next tick hands what still waits back to her.
        back = datetime(2026, 12, 9, 14, 0, tzinfo=UTC)
        traveller.move_to(back)
        tick(running.rt, now=back)
        returned = _requests(running)[0]
        assert (returned.status, returned.delegate_id) == ("pending", None)
        assert ("assignment.handed_back", "aor-bot") in _actions(running, returned)
        former = _card(fake, "UOTHER", "Waiting one")
        assert "Handed back to <@UMANAGER>" in all_text(former) and buttons(former) == []
        mine = _card(fake, "UMANAGER", "Waiting one")
        assert "holds this" not in all_text(mine) and len(buttons(mine)) == 4
        tick(running.rt, now=back + timedelta(minutes=1))  # nothing moves twice
        assert [a for a, _ in _actions(running, returned)].count("assignment.handed_back") == 1
