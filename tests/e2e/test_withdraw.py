"""Issue 12, must show 2: the requester withdraws a pending request (from their confirmation or
`/aor pending`); both DMs say so; a withdrawal racing a decision gives exactly one outcome."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlmodel import col, select

from bot.core.ids import Action, Block, decide_action_id, decide_value
from sandbox import FakeSlack, SlackResult, SlackSide
from storage import audit
from storage.enums import Decision
from storage.models import Assignment
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons, replies
from tests.utils.wait import eventually

TEAM = "T0001"


def _assignments(running: RunningApp) -> list[Assignment]:
    with running.rt.db.transaction() as session:
        return list(session.exec(select(Assignment).order_by(col(Assignment.id))))


def _body(fake: FakeSlack, result: SlackResult) -> dict[str, Any]:
    return eventually(lambda: [r.body for r in fake.responses if r.url == result.response_url])[-1]


def _withdraw_in(slack: SlackSide, fake: FakeSlack, user: str, body: dict, n: int = 0) -> str:
    """Click the n-th withdraw button of an ephemeral message; the answer beside it."""
    button = [b for b in buttons(body) if b["action_id"] == Action.withdraw][n]
    result = slack.block_action(
        user_id=user,
        action={**button, "type": "button"},
        channel_id=fake.dm_channel(user),
        container={"type": "message", "message_ts": "1.0", "is_ephemeral": True},
    )
    return eventually(lambda: replies(fake, result.response_url))[-1]


def _race(*steps: Callable[[], object]) -> list[BaseException]:
    """Run the steps at once, each in its own thread; what any of them raised."""
    start = threading.Barrier(len(steps))
    failures: list[BaseException] = []

    def run(step: Callable[[], object]) -> None:
        start.wait()
        try:
            step()
        except BaseException as error:  # reported to the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return failures


def _dm(fake: FakeSlack, user: str) -> dict[str, Any]:
    return eventually(lambda: next(iter(fake.dm_messages(user)), None))


def test_the_requester_withdraws_and_both_dms_say_so(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    asked = slack.command("add-task <@UREP|rob> Booth duty 2h once", user_id="UOTHER")
    confirmation = _body(fake, asked)
    assert "Sent to <@UMANAGER> for a decision" in all_text(confirmation)
    assert [b["text"]["text"] for b in buttons(confirmation)] == ["Withdraw request"]
    _dm(fake, "UMANAGER"), _dm(fake, "UREP")

    # Only the requester: the approver and the rep are refused, and nothing changes.
    for other in ("UMANAGER", "UREP"):
        told = _withdraw_in(slack, fake, other, confirmation)
        assert "Only <@UOTHER>, who asked for it, can withdraw this request." in told
    assert _assignments(running)[0].status == "pending"

    pending = _body(fake, slack.command("pending", user_id="UOTHER"))
    assert "You asked for (1)" in all_text(pending) and "Booth duty" in all_text(pending)
    told = _withdraw_in(slack, fake, "UOTHER", pending)
    assert "*Withdrawn* by you" in told

    eventually(lambda: len(fake.calls_to("chat.update")) == 2)
    card = fake.dm_messages("UMANAGER")[0]
    assert buttons(card) == [] and "Withdrawn: nothing to decide" in all_text(card)
    assert "Withdrawn* by <@UOTHER>" in all_text(card)
    assert "Withdrawn* by <@UOTHER>" in all_text(fake.dm_messages("UREP")[0])
    assert "Waiting on" not in all_text(fake.dm_messages("UREP")[0])
    with running.rt.db.transaction() as session:
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="assignment", subject_id=1
        )
    assert [(e.action, e.actor_id) for e in events] == [
        ("assignment.created", "UOTHER"),
        ("assignment.withdrawn", "UOTHER"),
    ]
    # A late decision on the old card changes nothing and says why.
    slack.block_action(
        user_id="UMANAGER",
        action={
            "type": "button",
            "action_id": decide_action_id(Decision.join_first),
            "block_id": Block.decision,
            "value": decide_value(1),
            "text": {"type": "plain_text", "text": "Join AOR: first priority"},
        },
        channel_id=fake.dm_channel("UMANAGER"),
        message=card,
    )
    eventually(
        lambda: any(
            "<@UOTHER> withdrew this request" in r.body.get("text", "") for r in fake.responses
        )
    )
    assert _assignments(running)[0].status == "withdrawn"
    again = _body(fake, slack.command("pending", user_id="UOTHER"))
    assert "You asked for" not in all_text(again)


def test_a_withdrawal_racing_a_decision_has_exactly_one_outcome(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    titles = ["Race one", "Race two", "Race three", "Race four"]
    for title in titles:
        slack.command(f"add-task <@UREP|rob> {title} 1h once", user_id="UOTHER")
    eventually(
        lambda: len(fake.dm_messages("UMANAGER")) == 4 and len(fake.dm_messages("UREP")) == 4
    )
    pending = _body(fake, slack.command("pending", user_id="UOTHER"))
    cards = {m["ts"]: m for m in fake.dm_messages("UMANAGER")}
    for n, request in enumerate(_assignments(running)):
        card = next(c for c in cards.values() if request.title in all_text(c))
        decision = partial(
            slack.click_button,
            user_id="UMANAGER",
            channel=fake.dm_channel("UMANAGER"),
            ts=card["ts"],
            action_id=decide_action_id(Decision.join_second),
            value=decide_value(request.id or 0),
        )
        assert _race(decision, partial(_withdraw_in, slack, fake, "UOTHER", pending, n)) == []

    eventually(lambda: len(fake.calls_to("chat.update")) == 8)
    for request in _assignments(running):
        assert request.status in ("withdrawn", "joined")
        with running.rt.db.transaction() as session:
            events = audit.events_for_subject(
                session=session, team_id=TEAM, subject_type="assignment", subject_id=request.id or 0
            )
        assert [e.action for e in events] == ["assignment.created", f"assignment.{request.status}"]
        card = next(m for m in fake.dm_messages("UMANAGER") if request.title in all_text(m))
        rep = next(m for m in fake.dm_messages("UREP") if request.title in all_text(m))
        said = "Withdrawn* by <@UOTHER>" if request.status == "withdrawn" else "second priority"
        assert said in all_text(card) and said in all_text(rep) and buttons(card) == []


def test_a_request_made_in_the_form_can_be_withdrawn_from_the_dm_that_confirms_it(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command("add-task", user_id="UOTHER")
    eventually(lambda: fake.calls_to("views.open"))
    answers = {Block.rep: "UREP", Block.title_text: "Trade fair stand", Block.duration: "3h"}
    assert slack.submit_view(user_id="UOTHER", answers=answers).status == 200
    confirmation = eventually(
        lambda: next((m for m in fake.dm_messages("UOTHER") if buttons(m)), None)
    )
    assert "Sent to <@UMANAGER> for a decision" in all_text(confirmation)
    [button] = buttons(confirmation)
    slack.click_button(
        user_id="UOTHER",
        channel=fake.dm_channel("UOTHER"),
        ts=confirmation["ts"],
        action_id=button["action_id"],
        value=button["value"],
    )
    eventually(lambda: _assignments(running)[0].status == "withdrawn")
    eventually(lambda: "Withdrawn: nothing to decide" in all_text(fake.dm_messages("UMANAGER")[0]))
