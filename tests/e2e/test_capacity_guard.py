"""Issue 12, must show 6: estimates no week can hold are refused with the reason; work that
takes a rep past capacity is accepted but says so, with by how much, wherever it shows."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import select

from bot.core.errors import InvalidInput
from bot.core.ids import Block, choose_tier_action_id
from bot.services.items import NewItem, edit_own_item
from sandbox import FakeSlack, SlackSide
from storage.enums import Cadence, Tier
from storage.models import Assignment, Member, Responsibility
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons, replies
from tests.utils.wait import eventually

TEAM = "T0001"


def _answer(slack: SlackSide, fake: FakeSlack, text: str, user: str = "UREP") -> str:
    result = slack.command(text, user_id=user)
    return eventually(lambda: replies(fake, result.response_url))[-1]


def _count(running: RunningApp, table: type) -> int:
    with running.rt.db.transaction() as session:
        return len(list(session.exec(select(table))))


def _capacity(running: RunningApp, user: str, minutes: int) -> None:
    with running.rt.db.transaction() as session:
        session.execute(
            update(Member).where(Member.user_id == user).values(capacity_minutes=minutes)  # type: ignore[arg-type]
        )


def test_estimates_no_day_or_week_can_hold_are_refused_with_the_reason(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    told = _answer(slack, fake, "add Cold calls 25h daily first")
    assert "A daily item can take at most 8h a day (got 25h)" in told
    assert "`25h weekly`" in told

    name_manager(slack, fake, "UREP")
    _capacity(running, "UREP", 20 * 60)
    told = _answer(slack, fake, "add Quarterly deck 30h weekly second")
    assert "at most your weekly capacity of 20h (got 30h)" in told
    told = _answer(slack, fake, "add-task <@UREP|rob> Trade show 21h weekly", user="UMANAGER")
    assert "at most Rob Rep's weekly capacity of 20h (got 21h)" in told
    told = _answer(slack, fake, "add-task <@UREP|rob> Door knocking 9h daily", user="UMANAGER")
    assert "A daily item can take at most 8h a day (got 9h)" in told
    # Nothing was written, and a day's or a week's worth exactly is fine.
    assert _count(running, Responsibility) == 0 and _count(running, Assignment) == 0
    told = _answer(slack, fake, "add Cold calls 4h daily first")  # 20h: exactly capacity
    assert "Added to your AOR" in told and "over" not in told


def test_going_past_capacity_is_allowed_and_said_with_by_how_much(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    told = _answer(slack, fake, "add Prospecting calls 7h daily first")
    assert "Added to your AOR" in told and "over" not in told  # 35h of 40h
    told = _answer(slack, fake, "add CRM hygiene 7h weekly second")
    assert "Added to your AOR" in told
    assert "That puts your week at 42h of 40h capacity: 2h over." in told
    eventually(lambda: "over capacity by 2h" in all_text(fake.home("UREP") or {}))

    _answer(slack, fake, "add-task <@UREP|rob> Landing page 3h weekly", user="UMANAGER")
    card = eventually(lambda: next(iter(fake.dm_messages("UMANAGER")), None))
    shown = all_text(card)
    assert "Now: 42h of 40h" in shown and "over capacity by 2h" in shown
    assert "45h of 40h" in shown and "over capacity by 5h" in shown  # joining


def test_an_edit_is_held_to_the_same_limits(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    _answer(slack, fake, "add Cold calls 4h daily first")
    with running.rt.db.transaction() as session:
        [item] = session.exec(select(Responsibility)).all()

    def edit(user: str, minutes: int, cadence: Cadence) -> None:
        form = NewItem(title="Cold calls", minutes=minutes, tier=Tier.first, cadence=cadence)
        edit_own_item(running.rt, team_id=TEAM, user_id=user, item_id=item.id or 0, form=form)

    with pytest.raises(InvalidInput, match=r"at most Rob Rep's weekly capacity of 40h \(got 41h\)"):
        edit("UMANAGER", 41 * 60, Cadence.weekly)
    with pytest.raises(InvalidInput, match=r"at most 8h a day \(got 9h\)"):
        edit("UREP", 9 * 60, Cadence.daily)
    with running.rt.db.transaction() as session:
        assert session.get(Responsibility, item.id).minutes == 240  # type: ignore[union-attr]


def test_the_forms_show_the_refusal_beside_the_duration(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command("add-task", user_id="UMANAGER")
    eventually(lambda: fake.calls_to("views.open"))
    answers = {Block.rep: "UREP", Block.title_text: "Door knocking", Block.duration: "9h"}
    refused = slack.submit_view(user_id="UMANAGER", answers=answers | {Block.cadence: "daily"})
    assert refused.json["response_action"] == "errors"
    assert (
        "A daily item can take at most 8h a day (got 9h)" in refused.json["errors"][Block.duration]
    )
    assert _count(running, Assignment) == 0


def test_without_a_tier_the_refusal_comes_first_and_the_chosen_item_says_it_is_over(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    told = _answer(slack, fake, "add Cold calls 25h daily")
    assert "A daily item can take at most 8h a day (got 25h)" in told  # no tier asked for
    _answer(slack, fake, "add Prospecting calls 7h daily first")  # 35h of 40h
    seen = len(fake.ephemerals("UREP"))
    slack.command("add Email triage 6h weekly", user_id="UREP", channel_id="C0001")
    question = eventually(lambda: fake.ephemerals("UREP")[seen:])[0]
    button = next(
        b for b in buttons(question) if b["action_id"] == choose_tier_action_id(Tier.second)
    )
    result = slack.click_button(
        user_id="UREP",
        channel="C0001",
        ts=question["ts"],
        action_id=button["action_id"],
        value=button["value"],
    )
    answer = eventually(lambda: replies(fake, result.response_url))[-1]
    assert "Added to your AOR" in answer
    assert "That puts your week at 41h of 40h capacity: 1h over." in answer
