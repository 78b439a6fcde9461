"""Issue 9: each signed but malformed payload the issue lists is acknowledged within 3 s with a
clear answer (an ephemeral beside the click, a DM where there is no reply channel, or a field
error in the modal), changes nothing, and is logged as exactly one warning."""

from __future__ import annotations

import json
import logging
import time

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.core.ids import Block, Callback
from bot.rules.envelope import STALE_FORM
from sandbox import FakeSlack, SlackSide
from storage.models import Assignment, AuditEvent, Member, PlanCheck, Responsibility
from tests.utils.fuzz_payloads import LISTED, set_up_rows
from tests.utils.server import RunningApp
from tests.utils.wait import eventually

OUT_OF_DATE = "out of date"
# What the person is told for each case: beside the click ("reply"), in their DM ("dm"), in
# the modal ("field"), or nowhere (no one to tell, no reply channel).
TOLD = {
    "actions null": "reply",
    "actions empty": "reply",
    "action_id missing": "reply",
    "action_id a number": "reply",
    "id ²": "reply",
    "id above 2^31-1": "reply",  # past PostgreSQL's INTEGER id columns
    "id above 2^63-1": "reply",
    "value missing": "reply",
    "ephemeral without response_url": "dm",
    "private_metadata not JSON": "field",
    "private_metadata 1.5": "field",
    "private_metadata huge id": "field",
    "state null": "field",
    "view missing": "nowhere",
    "user missing": "reply",
    "team missing": "reply",
}


def _rows(running: RunningApp) -> dict[str, int]:
    with running.rt.db.transaction() as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Assignment, Responsibility, PlanCheck, AuditEvent, Member)
        }


@pytest.fixture
def with_rows(slack: SlackSide, fake: FakeSlack) -> None:
    set_up_rows(slack, fake)


@pytest.mark.parametrize("case", list(LISTED))
def test_a_listed_malformed_payload_is_answered_and_changes_nothing(
    case: str,
    with_rows: None,
    slack: SlackSide,
    fake: FakeSlack,
    running: RunningApp,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = _rows(running)
    dms_before = len(fake.dm_messages("UMANAGER"))
    responses_before = len(fake.responses)
    caplog.clear()
    caplog.set_level(logging.INFO)
    body, content_type = LISTED[case].body(slack)
    started = time.monotonic()
    result = slack.post(body, content_type)
    assert time.monotonic() - started < 3
    assert result.status == 200

    told = TOLD[case]
    if told == "field":
        assert result.json == {
            "response_action": "errors",
            "errors": {Block.title_text: STALE_FORM},
        }
    elif told == "reply":
        answer = eventually(lambda: fake.responses[responses_before:])
        assert len(answer) == 1 and OUT_OF_DATE in answer[0].body["text"]
        assert answer[0].body["response_type"] == "ephemeral"
    elif told == "dm":
        dm = eventually(lambda: fake.dm_messages("UMANAGER")[dms_before:])
        assert OUT_OF_DATE in dm[0]["text"]
    else:
        assert result.body == ""
    time.sleep(0.2)  # anything the app did after its answer shows by now
    assert _rows(running) == before
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert warnings[0].levelno == logging.WARNING and not warnings[0].exc_info


@pytest.mark.parametrize("callback", [Callback.settings, Callback.add_task])
def test_a_url_in_private_metadata_is_never_called(
    callback: Callback, slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.command("set-manager <@UREP|rob> <@UMANAGER|maria>", user_id="UREP")
    eventually(lambda: fake.responses)
    planted = fake.new_response_url(channel="C0001", user_id="UMANAGER")
    answers = (
        {Block.plan_time: "08:30", Block.workdays: ["0", "1"], Block.capacity: "30", Block.tz: ""}
        if callback == Callback.settings
        else {Block.rep: "UREP", Block.title_text: "Planted metadata", Block.duration: "1h"}
    )
    slack.command("settings" if callback == Callback.settings else "add-task", user_id="UMANAGER")
    view = eventually(lambda: fake.calls_to("views.open") and fake.last_view())
    # What a modal opened by an older version carried, or what someone put there.
    tampered = {**view, "private_metadata": json.dumps({"response_url": planted})}
    result = slack.submit_view(user_id="UMANAGER", view=tampered, answers=answers)
    assert result.status == 200 and not result.body  # saved, the modal closes
    # The answer waits in the person's DM, the one place a closed modal can answer.
    told = "Morning plans at 08:30" if callback == Callback.settings else "Planted metadata"
    eventually(lambda: any(told in m["text"] for m in fake.dm_messages("UMANAGER")))
    time.sleep(0.2)
    assert [r for r in fake.responses if r.url == planted] == []
