"""OAuth mode (issue 14, must show 6): a workspace installed through /slack/install is served
with its own token from the installation store; add-task, the decision and the morning plan
all work as in token mode."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from sqlmodel import select

from bot.core.ids import Decision, decide_action_id, decide_value
from sandbox import FakeSlack
from storage.models import Assignment
from tests.utils.installs import install, workspace
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons
from tests.utils.wait import eventually

TEAM = "T0001"


def test_install_then_add_task_decide_and_plan(fake: FakeSlack, oauth_running: RunningApp) -> None:
    page = install(oauth_running, fake, team_id=TEAM)
    assert "The AOR bot is installed in Sandbox" in page
    [grant] = fake.oauth.grants.values()
    slack = workspace(oauth_running, fake, TEAM)

    name_manager(slack, fake, "UREP")
    slack.command("add-task <@UREP|rob> Call the ten warmest leads 2h daily", user_id="UMANAGER")
    eventually(lambda: fake.dm_messages("UREP"))
    approval = eventually(lambda: next(iter(fake.dm_messages("UMANAGER")), None))
    with oauth_running.rt.db.transaction() as session:
        assignment = session.exec(select(Assignment)).one()
    first = next(b for b in buttons(approval) if "first" in b["text"]["text"].lower())
    slack.click_button(
        user_id="UMANAGER",
        channel=fake.dm_channel("UMANAGER"),
        ts=approval["ts"],
        action_id=first["action_id"],
        value=decide_value(assignment.id or 0),
    )
    eventually(lambda: len(fake.calls_to("chat.update")) == 2)
    assert buttons(fake.dm_messages("UMANAGER")[0]) == []
    assert first["action_id"] == decide_action_id(Decision.join_first)

    oauth_running.plan_now(team_id=TEAM, user_id="UREP")
    oauth_running.tick()
    plan = eventually(lambda: [m for m in fake.dm_messages("UREP") if "Done 0/" in all_text(m)])
    assert "Call the ten warmest leads" in all_text(plan[0])
    # Every call that spoke for the workspace used the token its install left.
    sent = [c for c in fake.calls if c.method not in ("oauth.v2.access",)]
    assert sent and {c.token for c in sent} == {grant.token}


def test_install_pages_fail_clearly(fake: FakeSlack, oauth_running: RunningApp) -> None:
    forged = f"{oauth_running.base_url}/slack/oauth_redirect?code=code-1&state=forged.0"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=10)
    page = refused.value.read().decode()
    assert refused.value.code == 400
    assert "The AOR bot was not installed" in page and "another browser" in page
    denied = f"{oauth_running.base_url}/slack/oauth_redirect?error=access_denied&state=x"
    with urllib.request.urlopen(denied, timeout=10) as answer:
        assert "You chose not to allow the AOR bot" in answer.read().decode()
    # Nothing installed: a command from the workspace is not served.
    answer = workspace(oauth_running, fake, TEAM).command("help", user_id="UREP")
    assert "/aor add-task" not in answer.body
