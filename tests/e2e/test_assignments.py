"""Issue 3: /aor add-task, the decision with its impact, and the AOR as a logged contract."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.core.ids import Block, decide_action_id, decide_value
from bot.jobs.scheduler import tick
from sandbox import FakeSlack, SlackSide
from storage import audit
from storage import outbox as outbox_store
from storage.db import Database
from storage.enums import Decision, OutboxKind
from storage.models import Assignment, Outbox, Responsibility
from storage.types import utcnow
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons, replies
from tests.utils.wait import eventually

TEAM = "T0001"


def _approval(fake: FakeSlack, user: str = "UMANAGER") -> dict:
    """The approver's DM, once the rep's has landed too (so a decision updates both)."""
    eventually(lambda: fake.dm_messages("UREP"))
    return eventually(lambda: next(iter(fake.dm_messages(user)), None))


def _assignments(running: RunningApp) -> list[Assignment]:
    with running.rt.db.transaction() as session:
        return list(session.exec(select(Assignment).order_by(col(Assignment.id))))


def _items(running: RunningApp) -> list[Responsibility]:
    with running.rt.db.transaction() as session:
        return list(session.exec(select(Responsibility).order_by(col(Responsibility.id))))


def test_manager_assigns_decides_second_and_the_contract_is_logged(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    result = slack.command(
        "add-task <@UREP|rob> Update the landing page 3h weekly", user_id="UMANAGER"
    )
    assert result.status == 200

    approval = _approval(fake)
    texts = [b["text"]["text"] for b in buttons(approval)]
    assert len(texts) == 4
    for word, text in zip(("first", "second", "one-off", "decline"), texts, strict=True):
        assert word in text.lower()
    shown = all_text(approval)
    assert "Update the landing page" in shown
    assert "Impact on <@UREP>" in shown and "nothing committed yet, 40h available" in shown
    assert "3h of 40h" in shown  # after joining
    rep_dm = eventually(lambda: next(iter(fake.dm_messages("UREP")), None))
    assert "Waiting on <@UMANAGER>" in all_text(rep_dm)
    told = eventually(lambda: replies(fake, result.response_url))[-1]
    assert "It is yours to decide, as <@UREP>'s manager of record" in told
    assert "The buttons are in your DM with me" in told

    channel, ts = fake.dm_channel("UMANAGER"), approval["ts"]
    assignment_id = decide_value(_assignments(running)[0].id or 0)
    outsider = slack.click_button(
        user_id="UOTHER",
        channel=channel,
        ts=ts,
        action_id=decide_action_id(Decision.join_first),
        value=assignment_id,
    )
    assert outsider.status == 200
    refusal = eventually(
        lambda: [
            r.body["text"] for r in fake.responses if "Only <@UMANAGER>" in r.body.get("text", "")
        ]
    )
    assert "can decide" in refusal[0]
    assert _assignments(running)[0].status == "pending"
    assert fake.calls_to("chat.update") == []

    slack.click_button(
        user_id="UMANAGER",
        channel=channel,
        ts=ts,
        action_id=decide_action_id(Decision.join_second),
        value=assignment_id,
        state={Block.note: {Block.note: {"type": "plain_text_input", "value": "Keep it short"}}},
    )
    eventually(lambda: len(fake.calls_to("chat.update")) == 2)
    decided = fake.dm_messages("UMANAGER")[0]
    assert buttons(decided) == []
    assert "second priority" in all_text(decided) and "Keep it short" in all_text(decided)
    # The header and the notification text say what happened, with the rep's name (plain text
    # shows no mentions); the body speaks to the approver, who asked.
    headline = "Decided: joined Rob Rep's AOR at second priority"
    assert decided["blocks"][0]["text"]["text"] == headline
    assert decided["text"].startswith(headline)
    assert "Decision needed" not in all_text(decided)
    assert "You asked <@UREP> to take on" in all_text(decided)
    assert "by you" in all_text(decided)
    rep_now = fake.dm_messages("UREP")[0]
    assert "joined your AOR at second priority" in all_text(rep_now)
    assert "Waiting on" not in all_text(rep_now)

    doc = slack.command("doc", user_id="UREP")
    body = eventually(lambda: [r.body for r in fake.responses if r.url == doc.response_url])[0]
    second = next(
        b["text"]["text"]
        for b in body["blocks"]
        if "Second priority" in b.get("text", {}).get("text", "")
    )
    assert "Update the landing page" in second
    with running.rt.db.transaction() as session:
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="assignment", subject_id=assignment_id
        )
        actions = [(e.action, e.actor_id) for e in events]
    assert actions == [("assignment.created", "UMANAGER"), ("assignment.joined", "UMANAGER")]
    assert events[1].after is not None and events[1].after["tier"] == "second"
    assert events[1].after["note"] == "Keep it short"
    item = _items(running)[0]
    assert (item.owner_id, item.tier, item.origin, item.minutes) == (
        "UREP",
        "second",
        "assignment",
        180,
    )


def test_ten_concurrent_clicks_make_one_decision(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command("add-task <@UREP|rob> Quarterly partner deck 2h once", user_id="UMANAGER")
    approval = _approval(fake)
    assignment_id = decide_value(_assignments(running)[0].id or 0)
    channel = fake.dm_channel("UMANAGER")
    decisions = [Decision.join_first, Decision.join_second, Decision.one_off, Decision.decline] * 3
    start = threading.Barrier(10)
    statuses: list[int] = []

    def click(decision: Decision) -> None:
        start.wait()
        result = slack.click_button(
            user_id="UMANAGER",
            channel=channel,
            ts=approval["ts"],
            action_id=decide_action_id(decision),
            value=assignment_id,
        )
        statuses.append(result.status)

    threads = [threading.Thread(target=click, args=(d,)) for d in decisions[:10]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert statuses == [200] * 10
    eventually(
        lambda: len([r for r in fake.responses if "Already decided" in r.body.get("text", "")]) == 9
    )
    # The same manager clicked every time: the nine later clicks read "you", not her mention.
    assert all(
        "Already decided by you" in r.body.get("text", "")
        for r in fake.responses
        if "Already decided" in r.body.get("text", "")
    )
    eventually(lambda: len(fake.calls_to("chat.update")) == 2)
    time.sleep(0.3)  # give any wrongly-second decision the chance to show itself
    assert len(fake.calls_to("chat.update")) == 2
    assert {c.args["channel"] for c in fake.calls_to("chat.update")} == {
        fake.dm_channel("UMANAGER"),
        fake.dm_channel("UREP"),
    }
    with running.rt.db.transaction() as session:
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="assignment", subject_id=assignment_id
        )
    assert [e.action for e in events][:1] == ["assignment.created"]
    assert len(events) == 2  # created + exactly one decision
    decided = _assignments(running)[0]
    assert events[1].action == f"assignment.{decided.status}"
    joined = [i for i in _items(running) if i.assignment_id == int(assignment_id)]
    assert len(joined) == (0 if decided.status == "declined" else 1)


def test_approval_dm_failing_with_500s_is_saved_told_and_delivered_by_the_next_tick(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    fake.fail("chat.postMessage", status=500, times=3)  # the first attempt and both retries
    result = slack.command("add-task <@UREP|rob> Trade show booth 5h once", user_id="UMANAGER")
    told = eventually(lambda: replies(fake, result.response_url))
    assert "delayed" in told[-1] and "retried automatically" in told[-1]
    assert _assignments(running)[0].status == "pending"
    assert fake.dm_messages("UMANAGER") == []
    eventually(lambda: fake.dm_messages("UREP"))  # the rep's DM was not affected

    tick(running.rt, now=utcnow() + timedelta(minutes=2))
    assert len(fake.dm_messages("UMANAGER")) == 1
    tick(running.rt, now=utcnow() + timedelta(minutes=30))
    sent = [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.response.get("ok") and c.args["channel"] == "UMANAGER"
    ]
    assert len(sent) == 1


def test_add_task_alone_opens_the_modal_and_bad_duration_is_a_field_error(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    started = time.monotonic()
    result = slack.command("add-task", user_id="UMANAGER")
    opened = eventually(lambda: fake.calls_to("views.open"))
    assert time.monotonic() - started < 3
    assert opened[0].args["trigger_id"] == result.trigger_id
    assert opened[0].response["ok"] is True

    submit = slack.submit_view(
        user_id="UMANAGER",
        answers={Block.rep: "UREP", Block.title_text: "Partner webinar", Block.duration: "abc"},
    )
    assert submit.status == 200
    assert submit.json["response_action"] == "errors"
    assert "abc" in submit.json["errors"][Block.duration]
    assert set(submit.json["errors"]) == {Block.duration}
    assert _assignments(running) == []
    assert fake.calls_to("chat.postMessage") == []


def test_add_task_with_a_partial_command_prefills_the_modal(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command("add-task <@UREP|rob> Partner webinar", user_id="UMANAGER")
    view = eventually(lambda: fake.calls_to("views.open"))[0].args["view"]
    blocks = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert blocks[Block.rep]["initial_user"] == "UREP"
    assert blocks[Block.title_text]["initial_value"] == "Partner webinar"
    done = slack.submit_view(
        user_id="UMANAGER",
        answers={
            Block.rep: "UREP",
            Block.title_text: "Partner webinar",
            Block.duration: "1h30m",
            Block.cadence: "weekly",
        },
    )
    assert done.status == 200 and not done.body
    eventually(lambda: fake.dm_messages("UMANAGER"))
    assert [(a.title, a.minutes, a.cadence) for a in _assignments(running)] == [
        ("Partner webinar", 90, "weekly")
    ]


def test_titles_are_escaped_in_every_dm(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command(
        "add-task <@UREP|rob> &lt;!channel&gt; fix &lt;@UOTHER&gt; &amp; more 1h",
        user_id="UMANAGER",
    )
    approval = _approval(fake)
    assert _assignments(running)[0].title == "<!channel> fix <@UOTHER> & more"
    slack.click_button(
        user_id="UMANAGER",
        channel=fake.dm_channel("UMANAGER"),
        ts=approval["ts"],
        action_id=decide_action_id(Decision.one_off),
        value=decide_value(_assignments(running)[0].id or 0),
    )
    eventually(lambda: len(fake.calls_to("chat.update")) == 2)
    sent = [c.args for c in fake.calls if c.method in ("chat.postMessage", "chat.update")]
    assert len(sent) == 4
    for args in sent:
        shown = all_text(args)
        assert "<!channel>" not in shown and "<@UOTHER>" not in shown
        assert "&lt;!channel&gt; fix &lt;@UOTHER&gt; &amp; more" in shown
    item = _items(running)[0]  # a one-off is an outside item, due once
    assert (item.tier, item.cadence, item.origin) == ("outside", "once", "assignment")


def test_one_owner_per_item(slack: SlackSide, fake: FakeSlack, running: RunningApp) -> None:
    name_manager(slack, fake, "UREP")
    added = slack.command("add Pipeline review 1h second weekly", user_id="UREP2")
    assert "Added to your AOR" in eventually(lambda: replies(fake, added.response_url))[0]
    again = slack.command("add pipeline REVIEW 2h second daily", user_id="UREP")
    refusal = eventually(lambda: replies(fake, again.response_url))[0]
    assert "already belongs to <@UREP2>" in refusal
    assert "You can give yours a different title, or ask <@UREP2> to hand it over." in refusal
    mine = slack.command("add Pipeline review 1h second weekly", user_id="UREP2")
    said = eventually(lambda: replies(fake, mine.response_url))[0]
    assert "*Pipeline review* is already in your AOR" in said and "<@UREP2>" not in said
    task = slack.command("add-task <@UREP|rob> Pipeline review 1h", user_id="UMANAGER")
    assert "already belongs to <@UREP2>" in eventually(lambda: replies(fake, task.response_url))[0]
    assert [i.owner_id for i in _items(running)] == ["UREP2"]
    assert _assignments(running) == []


def test_decision_goes_to_the_manager_of_record_and_others_may_not_read_the_doc(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    refused = slack.command("set-manager <@UREP|rob> <@UMANAGER|maria>", user_id="UOTHER")
    assert (
        "Only the rep themself or an admin"
        in eventually(lambda: replies(fake, refused.response_url))[0]
    )
    done = slack.command("set-manager <@UREP|rob> <@UMANAGER|maria>", user_id="UREP")
    assert "manager of record" in eventually(lambda: replies(fake, done.response_url))[0]
    slack.command("add-task <@UREP|rob> Chase overdue orders 30m daily", user_id="UREP")
    eventually(lambda: fake.dm_messages("UMANAGER"))
    assert _assignments(running)[0].approver_id == "UMANAGER"
    peek = slack.command("doc <@UREP|rob>", user_id="UOTHER")
    assert "Only <@UREP>" in eventually(lambda: replies(fake, peek.response_url))[0]
    allowed = slack.command("doc <@UREP|rob>", user_id="UMANAGER")
    assert eventually(lambda: [r for r in fake.responses if r.url == allowed.response_url])[0].body[
        "blocks"
    ]
    with running.rt.db.transaction() as session:
        events = audit.events_for_member(session=session, team_id=TEAM, member_id="UREP")
    assert [e.action for e in events] == ["member.manager_set", "assignment.created"]


def test_a_rep_without_a_manager_is_told_to_set_one(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    result = slack.command("add-task <@UREP|rob> Update price list 1h", user_id="UREP")
    assert "/aor set-manager" in eventually(lambda: replies(fake, result.response_url))[0]
    assert _assignments(running) == []


@pytest.mark.parametrize("target", ["UBOTUSER", "UGONE"])
def test_bots_and_deactivated_people_cannot_be_given_work(
    slack: SlackSide, fake: FakeSlack, running: RunningApp, target: str
) -> None:
    result = slack.command(f"add-task <@{target}> Update price list 1h", user_id="UMANAGER")
    reply = eventually(lambda: replies(fake, result.response_url))[0]
    assert ("is a bot" in reply) if target == "UBOTUSER" else ("deactivated" in reply)
    assert _assignments(running) == []


def test_pending_lists_the_queue_with_buttons_that_decide(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP", "UREP2")
    slack.command("add-task <@UREP|rob> Newsletter copy 2h weekly", user_id="UMANAGER")
    slack.command("add-task <@UREP2|rita> Event follow-up 1h once", user_id="UMANAGER")
    eventually(lambda: len(fake.dm_messages("UMANAGER")) == 2)
    queue = slack.command("pending", user_id="UMANAGER")
    body = eventually(lambda: [r.body for r in fake.responses if r.url == queue.response_url])[0]
    assert len(buttons(body)) == 8
    assert "Newsletter copy" in all_text(body) and "Event follow-up" in all_text(body)
    nothing = slack.command("pending", user_id="UOTHER")
    assert "Nothing is waiting" in eventually(lambda: replies(fake, nothing.response_url))[0]


def test_an_admin_may_decide_for_any_approver(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command("add-task <@UREP|rob> Price list refresh 2h weekly", user_id="UMANAGER")
    approval = _approval(fake)
    assignment = _assignments(running)[0]
    assert assignment.approver_id == "UMANAGER"
    result = slack.command("pending", user_id="UADMIN")  # the queue is per approver: empty
    assert "Nothing is waiting" in eventually(lambda: replies(fake, result.response_url))[0]
    slack.click_button(
        user_id="UADMIN",  # a Slack workspace admin
        channel=fake.dm_channel("UMANAGER"),
        ts=approval["ts"],
        action_id=decide_action_id(Decision.decline),
        value=decide_value(assignment.id or 0),
    )
    eventually(lambda: len(fake.calls_to("chat.update")) == 2)
    decided = _assignments(running)[0]
    assert (decided.status, decided.decided_by) == ("declined", "UADMIN")
    assert _items(running) == []


@pytest.mark.parametrize("error", ["invalid_blocks", "cannot_dm_bot"])
def test_a_dm_slack_refuses_is_not_retried_forever_and_the_requester_is_told(
    slack: SlackSide, fake: FakeSlack, running: RunningApp, error: str
) -> None:
    name_manager(slack, fake, "UREP")
    fake.error("chat.postMessage", error=error, times=1)
    result = slack.command("add-task <@UREP|rob> Partner onboarding 2h once", user_id="UMANAGER")
    told = eventually(lambda: replies(fake, result.response_url))[-1]
    assert "would not deliver the DM" in told and "/aor pending" in told
    attempts = len(fake.calls_to("chat.postMessage"))
    tick(running.rt, now=utcnow() + timedelta(hours=2))
    assert len(fake.calls_to("chat.postMessage")) == attempts  # dead, not retried
    queue = slack.command("pending", user_id="UMANAGER")
    body = eventually(lambda: [r.body for r in fake.responses if r.url == queue.response_url])[0]
    assert len(buttons(body)) == 4  # the decision is still possible


def test_the_same_request_twice_is_refused_naming_the_first(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP")
    slack.command("add-task <@UREP|rob> Update the price list 1h", user_id="UMANAGER")
    _approval(fake)
    again = slack.command(
        "add-task <@UREP|rob> update the PRICE list 2h weekly", user_id="UMANAGER"
    )
    told = eventually(lambda: replies(fake, again.response_url))[-1]
    assert "already waiting on <@UMANAGER>'s decision (request #" in told
    assert len(_assignments(running)) == 1


def test_a_slow_slack_gets_a_field_error_in_time_not_a_duplicate(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    name_manager(slack, fake, "UREP2")
    slack.command("add-task", user_id="UOTHER")
    eventually(lambda: fake.calls_to("views.open"))
    # The requester has never been seen: Slack is asked about them.
    fake.rate_limit("users.info", retry_after=4)
    answers = {Block.rep: "UREP2", Block.title_text: "Partner webinar", Block.duration: "1h"}
    started = time.monotonic()
    slow = slack.submit_view(user_id="UOTHER", answers=answers)
    assert time.monotonic() - started < 3
    assert slow.json["response_action"] == "errors"
    assert "did not answer in time" in slow.json["errors"][Block.rep]
    assert _assignments(running) == []
    again = slack.submit_view(user_id="UOTHER", answers=answers)
    assert again.status == 200 and not again.body
    assert len(_assignments(running)) == 1


def test_a_message_still_rate_limited_goes_out_after_retry_after_in_the_same_pass(
    fake: FakeSlack, running: RunningApp, db: Database
) -> None:
    users = ["UREP", "UREP2", "UMANAGER"]
    # Queued outside the app's runtime, so the tick is the first to try them.
    with db.transaction() as session:
        for user in users:
            outbox_store.enqueue(
                session=session,
                team_id=TEAM,
                kind=OutboxKind.message,
                user_id=user,
                payload={"text": f"Hello {user}", "blocks": []},
            )
    # Slack keeps answering 429 through the client's Retry-After waits (1 try + 2 retries).
    fake.rate_limit("chat.postMessage", retry_after=1, times=3)
    report = tick(running.rt)
    # The limited message is queued again for Retry-After (1 s, not a failure's 30 s
    # backoff); the others go out once the wait is over, and then it does, in the same pass.
    assert len(fake.calls_to("chat.postMessage")) == 3 + 3
    assert all(len(fake.dm_messages(user)) == 1 for user in users)
    assert len(report.outbox.rate_limited) == 1 and len(report.outbox.sent) == 3
    with db.transaction() as session:
        entries = session.exec(select(Outbox)).all()
    # Waiting for Slack used no attempt: each message was claimed once for the send that landed.
    assert sorted((e.attempts, e.status) for e in entries) == [(1, "sent")] * 3


def test_a_title_with_the_word_payload_is_a_task_like_any_other(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    # Bolt reads any form body containing "payload" as an interaction; the app reads it again.
    name_manager(slack, fake, "UREP")
    result = slack.command(
        "add-task <@UREP|rob> Review the payload schema 1h once", user_id="UMANAGER"
    )
    assert result.status == 200
    assert "Review the payload schema" in eventually(lambda: replies(fake, result.response_url))[-1]
    assert [a.title for a in _assignments(running)] == ["Review the payload schema"]
