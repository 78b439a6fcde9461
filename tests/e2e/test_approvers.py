"""Issue 9: who decides a request. The rep's manager of record, else an admin (AOR_ADMINS in
the order written, then the Slack admins the bot knows), never a requester as such; the
approver's delegate while they are out of office; at most 5 requests waiting from one person
for one rep."""

from __future__ import annotations

import threading
from datetime import timedelta
from functools import partial

from sqlmodel import col, select

from bot.core.clock import local_date
from bot.core.ids import Block, decide_action_id, decide_value
from sandbox import FakeSlack, SlackSide
from storage.enums import Decision
from storage.models import Assignment, Responsibility
from storage.types import utcnow
from tests.conftest import SIGNING_SECRET, TEAM
from tests.utils.server import RunningApp, run_app
from tests.utils.slack_text import replies
from tests.utils.wait import eventually


def _ask(slack: SlackSide, fake: FakeSlack, requester: str, title: str, rep: str = "UREP") -> str:
    """`/aor add-task` for `rep`; returns what the requester is told."""
    result = slack.command(f"add-task <@{rep}> {title} 1h", user_id=requester)
    return eventually(lambda: replies(fake, result.response_url))[-1]


def _tell(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> str:
    result = slack.command(text, user_id=user)
    return eventually(lambda: replies(fake, result.response_url))[-1]


def _assignments(rt: RunningApp) -> list[Assignment]:
    with rt.rt.db.transaction() as session:
        return list(session.exec(select(Assignment).order_by(col(Assignment.id))))


def _click(
    slack: SlackSide,
    fake: FakeSlack,
    *,
    user: str,
    approver: str,
    decision: Decision,
    request: Assignment,
    refused: bool = False,
) -> str:
    """`user` clicks a decision on the approver's DM; `refused`: wait for the ephemeral
    answer (a decision that goes through updates the DMs and answers nothing)."""
    message = eventually(lambda: next(iter(fake.dm_messages(approver)), None))
    result = slack.click_button(
        user_id=user,
        channel=fake.dm_channel(approver),
        ts=message["ts"],
        action_id=decide_action_id(decision),
        value=decide_value(request.id or 0),
    )
    return eventually(lambda: replies(fake, result.response_url))[-1] if refused else ""


def test_a_bystander_never_decides_for_a_rep_without_a_manager(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    told = _ask(slack, fake, "UOTHER", "Update the website")
    assert "Rob Rep has no manager of record and this workspace has no admin of the bot" in told
    assert "/aor set-manager" in told
    assert _assignments(running) == []
    assert fake.calls_to("chat.postMessage") == []

    slack.app_home_opened("UADMIN")  # a Slack admin the bot now knows
    eventually(lambda: fake.home("UADMIN"))
    told = _ask(slack, fake, "UOTHER", "Update the website")
    assert "Sent to <@UADMIN> for a decision" in told
    assert "<@UREP> has no manager of record, so an admin of the bot decides" in told
    [request] = _assignments(running)
    assert (request.requested_by, request.approver_id) == ("UOTHER", "UADMIN")
    eventually(lambda: fake.dm_messages("UREP"))
    assert fake.dm_messages("UOTHER") == []  # the requester holds no buttons

    # The attack: the requester clicks "Join AOR: first priority" anyway.
    told = _click(
        slack,
        fake,
        user="UOTHER",
        approver="UADMIN",
        decision=Decision.join_first,
        request=request,
        refused=True,
    )
    assert told == "Only <@UADMIN> (or an admin) can decide this request."
    assert _assignments(running)[0].status == "pending"
    with running.rt.db.transaction() as session:
        assert session.exec(select(Responsibility)).all() == []

    _click(
        slack, fake, user="UADMIN", approver="UADMIN", decision=Decision.decline, request=request
    )
    eventually(lambda: _assignments(running)[0].status == "declined")
    assert _assignments(running)[0].decided_by == "UADMIN"


def test_aor_admins_are_asked_in_the_order_written(fake: FakeSlack, db_url: str) -> None:
    # UGONE is deactivated and UREP is the rep: UOTHER is the first who can decide. Ada, a
    # Slack admin the bot knows, comes after everyone the operator named.
    with run_app(
        fake=fake,
        database_url=db_url,
        signing_secret=SIGNING_SECRET,
        aor_admins="UGONE, UREP, UOTHER, UMANAGER",
    ) as app:
        slack = SlackSide(app.events_url, SIGNING_SECRET, fake, team_id=TEAM)
        slack.app_home_opened("UADMIN")
        eventually(lambda: fake.home("UADMIN"))
        told = _ask(slack, fake, "UREP2", "Chase order 1234")
        assert "Sent to <@UOTHER> for a decision" in told
        assert "an admin of the bot decides" in told
        assert [a.approver_id for a in _assignments(app)] == ["UOTHER"]
        # Rob is an admin too, but never decides work handed to himself.
        told = _ask(slack, fake, "UREP", "Prepare the QBR deck")
        assert "Sent to <@UOTHER> for a decision" in told
    fake.assert_no_violations()


def test_an_admin_asking_for_a_rep_without_a_manager_decides_it(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    told = _ask(slack, fake, "UADMIN", "Review the price list")
    assert "It is yours to decide, as an admin of the bot" in told
    assert "The buttons are in your DM with me" in told
    assert [a.approver_id for a in _assignments(running)] == ["UADMIN"]
    eventually(lambda: fake.dm_messages("UADMIN"))


def test_five_requests_waiting_from_one_person_for_one_rep_is_the_limit(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    assert "manager of record" in _tell(slack, fake, "set-manager <@UREP> <@UMANAGER>", "UREP")
    for n in range(5):
        assert "Sent to <@UMANAGER>" in _ask(slack, fake, "UOTHER", f"Errand {n}")
    sixth = _ask(slack, fake, "UOTHER", "Errand 5")
    assert sixth == (
        "You already have 5 requests for Rob Rep waiting: wait for a decision on one of them, "
        "or ask Maria Manager, who decides them."
    )
    assert len(_assignments(running)) == 5
    # The form says the same, beside the rep.
    slack.command("add-task", user_id="UOTHER")
    eventually(lambda: fake.calls_to("views.open"))
    form = slack.submit_view(
        user_id="UOTHER",
        answers={Block.rep: "UREP", Block.title_text: "Errand 6", Block.duration: "1h"},
    )
    assert form.json["response_action"] == "errors"
    assert form.json["errors"][Block.rep].startswith("You already have 5 requests for Rob Rep")
    # Per requester and per rep: others may still ask, and Oscar may ask for Rita.
    assert "Sent to <@UMANAGER>" in _ask(slack, fake, "UREP2", "Errand 5")
    assert "manager of record" in _tell(slack, fake, "set-manager <@UREP2> <@UMANAGER>", "UREP2")
    assert "Sent to <@UMANAGER>" in _ask(slack, fake, "UOTHER", "Errand 5", rep="UREP2")
    # A decision makes room.
    first = _assignments(running)[0]
    slack.click_button(
        user_id="UMANAGER",
        channel=fake.dm_channel("UMANAGER"),
        ts=fake.dm_messages("UMANAGER")[0]["ts"],
        action_id=decide_action_id(Decision.decline),
        value=decide_value(first.id or 0),
    )
    eventually(lambda: _assignments(running)[0].status == "declined")
    assert "Sent to <@UMANAGER>" in _ask(slack, fake, "UOTHER", "Errand 6")
    # The manager's own requests count too, and she is told to decide them.
    for n in range(5):
        _ask(slack, fake, "UMANAGER", f"Manager errand {n}")
    assert "they are yours to decide: decide one (`/aor pending`)" in _ask(
        slack, fake, "UMANAGER", "Manager errand 5"
    )


def test_a_burst_of_requests_from_one_person_stops_at_five(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    assert "manager of record" in _tell(slack, fake, "set-manager <@UREP> <@UMANAGER>", "UREP")
    _tell(slack, fake, "ooo off", "UOTHER")  # Oscar is known: the burst races on the rep only
    start = threading.Barrier(8)
    told: list[str] = []

    def ask(n: int) -> None:
        start.wait()
        told.append(_ask(slack, fake, "UOTHER", f"Burst errand {n}"))

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(_assignments(running)) == 5
    assert sorted("Sent to" in t for t in told) == [False] * 3 + [True] * 5
    assert sum("You already have 5 requests" in t for t in told) == 3


def test_the_approvers_delegate_decides_while_they_are_out_of_office(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    assert "manager of record" in _tell(slack, fake, "set-manager <@UREP> <@UMANAGER>", "UREP")
    # Maria's own manager of record is Oscar: he decides for her while she is away.
    assert "manager of record" in _tell(
        slack, fake, "set-manager <@UMANAGER> <@UOTHER>", "UMANAGER"
    )
    _ask(slack, fake, "UREP2", "Partner webinar")
    [request] = _assignments(running)
    click = partial(_click, slack, fake, approver="UMANAGER", decision=Decision.one_off)
    told = click(user="UOTHER", request=request, refused=True)
    assert told == "Only <@UMANAGER> (or an admin) can decide this request."

    back = local_date(utcnow(), "America/New_York") + timedelta(days=7)
    assert "Out of office" in _tell(slack, fake, f"ooo {back.isoformat()}", "UMANAGER")
    told = click(user="UREP2", request=request, refused=True)
    assert told == (
        "Only <@UMANAGER>, <@UOTHER> while <@UMANAGER> is out of office, or an admin can "
        "decide this request."
    )
    click(user="UOTHER", request=request)
    eventually(lambda: _assignments(running)[0].status == "one_off")
    assert _assignments(running)[0].decided_by == "UOTHER"
