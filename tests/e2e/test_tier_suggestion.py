"""Issue 11: `/aor add TITLE DURATION` without a tier suggests one from the activity table,
as a choice; nothing lands at any tier until a person chooses."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from bot.core.ids import choose_tier_action_id
from sandbox import FakeSlack, SlackSide
from storage.enums import Tier
from storage.models import Assignment, Responsibility
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons, replies
from tests.utils.wait import eventually

CHANNEL = "C0001"


def _rows(running: RunningApp) -> tuple[list[Responsibility], list[Assignment]]:
    with running.rt.db.transaction() as session:
        return list(session.exec(select(Responsibility))), list(session.exec(select(Assignment)))


def _ask(slack: SlackSide, fake: FakeSlack, text: str, user: str = "UREP") -> dict[str, Any]:
    """The question `/aor add` answers with (an ephemeral only the person sees)."""
    seen = len(fake.ephemerals(user))
    slack.command(text, user_id=user, channel_id=CHANNEL)
    return eventually(lambda: fake.ephemerals(user)[seen:])[0]


def _press(slack: SlackSide, question: dict[str, Any], tier: Tier, user: str = "UREP") -> None:
    button = next(b for b in buttons(question) if b["action_id"] == choose_tier_action_id(tier))
    slack.click_button(
        user_id=user,
        channel=CHANNEL,
        ts=question["ts"],
        action_id=button["action_id"],
        value=button["value"],
    )


@pytest.mark.parametrize(
    ("title", "suggested"),
    [
        ("Prospecting", Tier.first),
        ("Nurturing relationships", Tier.first),
        ("Sales calls", Tier.first),
        ("Email triage", Tier.second),
        ("Retyping invoices", Tier.outside),
        ("Tracking down missing orders", Tier.outside),
        ("Updating the website", Tier.outside),
        ("Planning events", Tier.outside),
    ],
)
def test_the_suggestion_is_offered_first_and_nothing_lands(
    title: str, suggested: Tier, slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    question = _ask(slack, fake, f"add {title} 2h")
    offered = buttons(question)
    assert offered[0]["action_id"] == choose_tier_action_id(suggested)
    assert len(offered) == 3 and "(suggested)" in offered[0]["text"]["text"]
    assert all("(suggested)" not in b["text"]["text"] for b in offered[1:])
    assert f"Suggested: *{suggested.value}" in all_text(question)
    assert "Nothing is added to your AOR until you choose" in all_text(question)
    assert _rows(running) == ([], [])


def test_the_person_chooses_and_the_choice_stands(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    # Prospecting suggests first; the rep chooses second, and second it is.
    question = _ask(slack, fake, "add Prospecting 2h daily")
    assert "Suggested: *first priority*" in all_text(question)
    assert _rows(running) == ([], [])
    _press(slack, question, Tier.second)
    items = eventually(lambda: _rows(running)[0])
    assert [(i.title, i.tier, i.minutes, i.cadence) for i in items] == [
        ("Prospecting", Tier.second, 120, "daily")
    ]
    # The question is replaced by its answer: no buttons left to press twice.
    answer = eventually(
        lambda: (
            (fake.find_message(CHANNEL, question["ts"]) or {}).get("text", "").startswith("Added")
            and fake.find_message(CHANNEL, question["ts"])
        )
    )
    assert answer["text"] == "Added to your AOR at second priority: *Prospecting* (2h daily)."
    assert buttons(answer) == []


def test_no_match_means_no_suggestion(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    question = _ask(slack, fake, "add Pipeline review 1h")
    assert "No suggestion" in all_text(question)
    assert [b["action_id"] for b in buttons(question)] == [
        choose_tier_action_id(t) for t in (Tier.first, Tier.second, Tier.outside)
    ]
    assert all("(suggested)" not in b["text"]["text"] for b in buttons(question))
    assert _rows(running) == ([], [])


def test_outside_the_role_is_the_managers_decision_and_the_card_says_suggested(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    question = _ask(slack, fake, "add Retyping invoices 1h weekly")
    _press(slack, question, Tier.outside)
    approval = eventually(lambda: next(iter(fake.dm_messages("UMANAGER")), None))
    items, assignments = _rows(running)
    assert items == []  # not in the AOR until the manager decides
    assert [(a.rep_id, a.requested_by, a.approver_id, a.status) for a in assignments] == [
        ("UREP", "UREP", "UMANAGER", "pending")
    ]
    impact = all_text(approval)
    assert "One-off outside AOR _(suggested)_" in impact
    assert impact.count("(suggested)") == 1
    told = eventually(
        lambda: next(
            (m["text"] for m in fake.ephemerals("UREP") if "for a decision" in m["text"]), None
        )
    )
    assert "to <@UMANAGER> for a decision: *Retyping invoices* (1h weekly)" in told


def test_add_task_card_shows_the_suggestion_next_to_the_options(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command("add-task <@UREP|rob> Email triage 1h weekly", user_id="UOTHER")
    approval = eventually(lambda: next(iter(fake.dm_messages("UMANAGER")), None))
    assert "Join AOR: second priority _(suggested)_" in all_text(approval)
    slack.command("add-task <@UREP|rob> Quarterly planning 1h weekly", user_id="UOTHER")
    later = eventually(
        lambda: next(
            (m for m in fake.dm_messages("UMANAGER") if "Quarterly planning" in all_text(m)), None
        )
    )
    assert "(suggested)" not in all_text(later), all_text(later)


def test_a_typed_tier_needs_no_question(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    result = slack.command("add Email triage 30m first daily", user_id="UREP")
    assert (
        "Added to your AOR at first priority"
        in eventually(lambda: replies(fake, result.response_url))[0]
    )
    assert [i.tier for i in _rows(running)[0]] == [Tier.first]
