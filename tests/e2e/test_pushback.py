"""Issue 12, must show 1: the rep sees what a request does to their week and pushes back with
the cost; the approver's card shows it before they decide; audited; editable until the
decision; anyone but the rep is refused."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bot.core.ids import Action, Block, Callback, decide_action_id, decide_value
from bot.render.report import request_lines
from bot.rules.report import Period, report_week
from bot.services.coaching import gather_export, gather_report
from sandbox import FakeSlack, SlackSide
from storage import audit
from storage.enums import Decision
from storage.models import Assignment, Member, Responsibility
from storage.types import utcnow
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons
from tests.utils.wait import eventually

TEAM = "T0001"


def _dm(fake: FakeSlack, user: str) -> dict[str, Any]:
    return eventually(lambda: next(iter(fake.dm_messages(user)), None))


def _press_push_back(slack: SlackSide, fake: FakeSlack, user: str) -> None:
    """`user` presses the Push back button on the rep's DM (as a forged or real click)."""
    dm = _dm(fake, "UREP")
    [button] = [b for b in buttons(dm) if b["action_id"] == Action.pushback]
    slack.block_action(
        user_id=user,
        action={**button, "type": "button"},
        channel_id=fake.dm_channel("UREP"),
        message=dm,
    )


def _events(running: RunningApp) -> list[Any]:
    with running.rt.db.transaction() as session:
        return audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="assignment", subject_id=1
        )


def test_the_rep_pushes_back_and_the_approver_sees_it_before_deciding(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command("add Prospecting calls 7h daily first", user_id="UREP")
    with running.rt.db.transaction() as session:
        calls = eventually(lambda: session.exec(select(Responsibility)).first())
    slack.command("add-task <@UREP|rob> Website refresh 5h weekly", user_id="UOTHER")
    rep_dm = _dm(fake, "UREP")
    shown = all_text(rep_dm)
    assert "What this does to your week" in shown and "Now: 35h of 40h" in shown
    assert "Join AOR: first priority: 40h of 40h" in shown
    assert [b["text"]["text"] for b in buttons(rep_dm)] == ["Push back"]

    # Anyone but the rep is refused, and no form opens.
    for other in ("UMANAGER", "UOTHER"):
        _press_push_back(slack, fake, other)
        eventually(
            lambda: any(
                "Only <@UREP>, who was asked to do it, can push back" in r.body.get("text", "")
                for r in fake.responses
            )
        )
    assert fake.calls_to("views.open") == []

    _press_push_back(slack, fake, "UREP")
    form = eventually(lambda: fake.calls_to("views.open") and fake.last_view())
    assert form["callback_id"] == Callback.pushback
    bad = slack.submit_view(user_id="UREP", answers={Block.pushback_estimate: "lots"})
    assert set(bad.json["errors"]) == {Block.pushback_why, Block.pushback_estimate}
    answers = {
        Block.pushback_why: "Takes 15h, not 5h: my calls slip",
        Block.pushback_drop: str(calls.id),
        Block.pushback_estimate: "15h",
    }
    good = slack.submit_view(user_id="UREP", answers=answers)
    assert good.status == 200 and not good.body

    def card() -> dict[str, Any]:
        return fake.dm_messages("UMANAGER")[0]

    eventually(lambda: "pushed back" in all_text(card()))
    blocks = card()["blocks"]
    said = next(i for i, b in enumerate(blocks) if "pushed back" in all_text({"blocks": [b]}))
    assert said < next(i for i, b in enumerate(blocks) if b["type"] == "actions")
    shown = all_text(card())
    assert "<@UREP> pushed back" in shown and "Takes 15h, not 5h: my calls slip" in shown
    assert "Would drop or slip: *Prospecting calls*" in shown
    assert "With their estimate of 15h" in shown and "over capacity by 10h" in shown
    assert len(buttons(card())) == 4  # still the approver's to decide
    eventually(lambda: "Your push-back" in all_text(fake.dm_messages("UREP")[0]))
    rep_now = all_text(fake.dm_messages("UREP")[0])
    assert "Your push-back" in rep_now and "Sent to <@UMANAGER>" in rep_now
    assert "Your estimate: 15h" in rep_now
    assert [b["text"]["text"] for b in buttons(fake.dm_messages("UREP")[0])] == ["Push back (edit)"]

    # Editable until the decision: the form comes back filled in; the edit replaces it.
    _press_push_back(slack, fake, "UREP")
    eventually(lambda: len(fake.calls_to("views.open")) == 2)
    again = fake.last_view()
    why = next(b for b in again["blocks"] if b.get("block_id") == Block.pushback_why)
    assert why["element"]["initial_value"] == "Takes 15h, not 5h: my calls slip"
    slack.submit_view(user_id="UREP", answers={Block.pushback_why: "A week of calls lost"})
    eventually(lambda: "A week of calls lost" in all_text(card()))
    assert "Would drop or slip" not in all_text(card())
    pushed = [e for e in _events(running) if e.action == "assignment.pushed_back"]
    assert [e.actor_id for e in pushed] == ["UREP", "UREP"]
    assert pushed[1].before is not None and pushed[1].after is not None
    assert pushed[1].before["pushback_minutes"] == 900
    assert pushed[1].after["pushback_note"] == "A week of calls lost"

    # A submission forged by someone else is refused; nothing changes.
    forged = slack.submit_view(user_id="UOTHER", answers={Block.pushback_why: "Not mine"})
    assert "Only <@UREP>" in forged.json["errors"][Block.pushback_why]

    # After the decision the button is gone, and a stale one is refused.
    slack.click_button(
        user_id="UMANAGER",
        channel=fake.dm_channel("UMANAGER"),
        ts=card()["ts"],
        action_id=decide_action_id(Decision.decline),
        value=decide_value(1),
    )
    eventually(lambda: buttons(fake.dm_messages("UREP")[0]) == [])
    assert "A week of calls lost" in all_text(card())  # the record stays on the card
    late = slack.view_submission(
        user_id="UREP",
        view=again,
        values={
            Block.pushback_why: {Block.pushback_why: {"type": "plain_text_input", "value": "x"}}
        },
    )
    assert "Already decided" in late.json["errors"][Block.pushback_why]
    # The coaching pack's request tally and the export carry it.
    with running.rt.db.transaction() as session:
        assignment = session.get(Assignment, 1)
        rep = session.get(Member, (TEAM, "UREP"))
        assert assignment is not None and rep is not None
        assert assignment.pushback_note == "A week of calls lost"
        now = utcnow()
        pack = gather_report(
            session=session, member=rep, week=report_week(rep, Period.this_week, now)
        )
        export = gather_export(session=session, member=rep, now=now)
    assert "• <@UOTHER>: 1 declined (5h) · pushed back on 1" in request_lines(pack)
    assert [e.action for e in export.events].count("assignment.pushed_back") == 2
