"""Issue 9, must show 4: Slack failing one Web API call of the add-task -> decide -> plan ->
tick flow at a time (429 past slack_sdk's retries, 500 past them, `ok: false`). Nothing is
lost: after a later scheduler tick every DM and update has arrived, once. And the person is
always told the truth: the answer says sent or delayed, updated or "will update shortly",
matching what Slack took."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.core.ids import decide_action_id, decide_value
from bot.jobs.scheduler import tick
from sandbox import FakeSlack, SlackSide
from storage import outbox as outbox_store
from storage.enums import Decision
from storage.models import Assignment, Member, PlanCheck
from storage.types import utcnow
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons, replies
from tests.utils.wait import eventually

TEAM = "T0001"
EVERY_DAY = "0,1,2,3,4,5,6"

# One kind of failure, past whatever slack_sdk retries on its own (1 try + 2 retries).
FAULTS: dict[str, Callable[[FakeSlack, str], None]] = {
    "429": lambda fake, method: fake.rate_limit(method, retry_after=0, times=3),
    "500": lambda fake, method: fake.fail(method, status=500, times=3),
    "ok:false": lambda fake, method: fake.error(method, error="internal_error", times=1),
}
# Every Web API call the flow makes, by the step that makes it.
CALLS = [
    ("add-task", "users.info"),  # the requester, on first contact
    ("add-task", "chat.postMessage"),  # the approver's DM (the rep's comes after it)
    ("add-task", "views.publish"),  # the App Homes of both
    ("decide", "chat.update"),  # the approval card (then the rep's DM)
    ("decide", "views.publish"),
    ("plan", "chat.postMessage"),  # the checklist DM
    ("tick", "chat.update"),  # the checklist, with the tick
    ("tick", "views.publish"),
]


def _reply(fake: FakeSlack, url: str | None) -> str:
    return eventually(lambda: replies(fake, url))[-1]


def _later(running: RunningApp) -> None:
    """The scheduler, an hour on: past every retry's backoff."""
    for minutes in (60, 120):
        tick(running.rt, now=utcnow() + timedelta(minutes=minutes))


# Every fault kind on SQLite; the store is not what this is about, so PostgreSQL runs one kind
# (its retries' waits are what make this test slow).
BACKEND_AND_FAULT = [
    *(pytest.param("sqlite", kind, id=f"sqlite-{kind}") for kind in FAULTS),
    pytest.param("postgresql", "500", id="postgresql-500", marks=pytest.mark.postgres),
]


@pytest.mark.parametrize(("db_url", "kind"), BACKEND_AND_FAULT, indirect=["db_url"])
@pytest.mark.parametrize(("step", "method"), CALLS)
def test_one_slack_fault_in_the_flow_loses_nothing_and_the_person_hears_the_truth(
    step: str,
    method: str,
    kind: str,
    slack: SlackSide,
    fake: FakeSlack,
    running: RunningApp,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with running.rt.db.transaction() as session:
        session.add(
            Member(
                team_id=TEAM,
                user_id="UREP",
                name="Rob Rep",
                manager_id="UMANAGER",
                workdays=EVERY_DAY,
            )
        )
    assert slack.command("help", user_id="UREP").status == 200  # Bolt's first auth.test
    fake.reset()

    def fault(at: str) -> bool:
        if at == step:
            FAULTS[kind](fake, method)
        return at == step

    # add-task: the request is saved and both DMs queued, or nothing is.
    faulty = fault("add-task")
    request = slack.command("add-task <@UREP|rob> Fault drill 1h daily", user_id="UMANAGER")
    told = _reply(fake, request.response_url)
    if faulty and method == "users.info":
        assert "Slack is not answering" in told and "nothing was done" in told
        assert _assignments(running) == []
        request = slack.command("add-task <@UREP|rob> Fault drill 1h daily", user_id="UMANAGER")
        told = _reply(fake, request.response_url)
    if faulty and method == "chat.postMessage":
        assert "is delayed" in told and "retried automatically" in told
        _later(running)  # the approver needs the card to decide from it
    else:
        # Maria asks for her own rep: the request is hers to decide, and its card has landed.
        assert told.startswith("Saved: *Fault drill*") and "buttons are in your DM" in told
    [assignment] = _assignments(running)
    card = eventually(lambda: next(iter(fake.dm_messages("UMANAGER")), None))

    # decide: recorded; the approver hears whether the card shows it.
    faulty = fault("decide")
    click = slack.click_button(
        user_id="UMANAGER",
        channel=fake.dm_channel("UMANAGER"),
        ts=card["ts"],
        action_id=decide_action_id(Decision.join_second),
        value=decide_value(assignment.id or 0),
    )
    assert click.status == 200
    # Whichever comes first says what happened: the card updated, or the approver is told.
    eventually(
        lambda: replies(fake, click.response_url) or not buttons(fake.dm_messages("UMANAGER")[0])
    )
    decided = replies(fake, click.response_url)
    if faulty and method == "chat.update":
        assert len(decided) == 1 and decided[0].startswith("*Decided*: joined <@UREP>'s AOR")
        assert "will update shortly" in decided[0]
    else:
        assert decided == []  # the card they clicked shows the outcome
        assert buttons(fake.dm_messages("UMANAGER")[0]) == []
    assert _assignments(running)[0].status == "joined"

    # plan: the checklist DM is sent or said to be queued.
    faulty = fault("plan")
    plan = _reply(fake, slack.command("plan", user_id="UREP").response_url)
    if faulty:
        assert "is queued (Slack did not take it yet)" in plan
        _later(running)  # the rep needs the checklist to tick it
    else:
        assert "is in your DM with me" in plan
    checklist = eventually(lambda: _checklist(fake))

    # tick: recorded; the rep hears whether the checklist shows it.
    faulty = fault("tick")
    block = next(b for b in checklist["blocks"] if b["type"] == "actions")
    element = block["elements"][0]
    ticked = slack.check_boxes(
        user_id="UREP",
        channel=fake.dm_channel("UREP"),
        ts=checklist["ts"],
        action_id=element["action_id"],
        block_id=block["block_id"],
        selected_values=[element["options"][0]["value"]],
    )
    eventually(
        lambda: replies(fake, ticked.response_url) or "Done 1/1" in all_text(_checklist(fake))
    )
    said = replies(fake, ticked.response_url)
    if faulty and method == "chat.update":
        assert said == [
            "Saved. Your checklist will update shortly: Slack did not take the change yet."
        ]
    else:
        assert said == []
    with running.rt.db.transaction() as session:
        assert len(session.exec(select(PlanCheck)).all()) == 1

    # Later: everything has arrived, once, showing the end state.
    _later(running)
    with running.rt.db.transaction() as session:
        assert outbox_store.pending_count(session=session) == 0
    [approval] = fake.dm_messages("UMANAGER")
    assert buttons(approval) == [] and "second priority" in all_text(approval)
    request_dm, checklist_now = fake.dm_messages("UREP")
    assert "second priority" in all_text(request_dm)
    assert "Done 1/1" in all_text(checklist_now)
    assert "Fault drill" in all_text(fake.home("UREP") or {})
    posted = [c.args["channel"] for c in fake.calls_to("chat.postMessage") if c.response.get("ok")]
    assert sorted(posted) == ["UMANAGER", "UREP", "UREP"]  # each DM posted once
    assert [r for r in caplog.records if r.exc_info] == []


def _assignments(running: RunningApp) -> list[Assignment]:
    with running.rt.db.transaction() as session:
        return list(session.exec(select(Assignment)))


def _checklist(fake: FakeSlack) -> dict:
    return next((m for m in fake.dm_messages("UREP") if "Done " in all_text(m)), {})


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("kind", list(FAULTS))
def test_slack_not_opening_a_form_is_said_plainly(
    kind: str, slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.app_home_opened("UREP")  # known: the form is all Slack is asked for
    eventually(lambda: fake.home("UREP"))
    FAULTS[kind](fake, "views.open")
    told = _reply(fake, slack.command("settings", user_id="UREP").response_url)
    assert (
        told == "Slack is not answering right now, so the form did not open. Try again in a minute."
    )
    assert not [c for c in fake.calls_to("views.open") if c.response.get("ok")]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("kind", list(FAULTS))
def test_slack_not_saying_who_someone_is_is_said_plainly(
    kind: str, slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    FAULTS[kind](fake, "users.info")
    told = _reply(fake, slack.command("plan", user_id="UREP").response_url)
    assert told == (
        "Slack is not answering right now, so nothing was done. Please try again in a minute."
    )
    with running.rt.db.transaction() as session:
        assert session.exec(select(Member)).all() == []
