"""Two workspaces installed in one app (issue 14, must show 2): each sees only its own AOR,
requests, reports and exports, even with the other's ids forged into a button; each one's DMs
go out with its own token (the sandbox refuses a token speaking to another workspace's people,
and records which token every call used)."""

from __future__ import annotations

from sqlmodel import col, select

from bot.core.ids import Decision, decide_action_id, decide_value
from sandbox import FakeSlack, SlackSide
from storage.enums import AssignmentStatus
from storage.models import Assignment
from tests.utils.installs import install, workspace
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, replies
from tests.utils.wait import eventually

A, B = "T0001", "T0002"


def _add_beta(fake: FakeSlack) -> None:
    fake.oauth.add_team(B, name="Beta")
    fake.add_user("UBMGR", name="bea", real_name="Bea Boss", team_id=B)
    fake.add_user("UBREP", name="ben", real_name="Ben Rep", team_id=B)


def _request(slack: SlackSide, fake: FakeSlack, manager: str, rep: str, title: str) -> None:
    name_manager(slack, fake, rep, manager=manager)
    slack.command(f"add-task <@{rep}> {title} 1h", user_id=manager)
    eventually(lambda: fake.dm_messages(rep) and fake.dm_messages(manager))


def _assignments(running: RunningApp) -> list[Assignment]:
    with running.rt.db.transaction() as session:
        return list(session.exec(select(Assignment).order_by(col(Assignment.id))))


def _answer(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> str:
    result = slack.command(text, user_id=user)
    return (result.json or {}).get("text") or eventually(
        lambda: replies(fake, result.response_url)
    )[-1]


def test_two_workspaces_apart(fake: FakeSlack, oauth_running: RunningApp) -> None:
    _add_beta(fake)
    install(oauth_running, fake, team_id=A)
    install(oauth_running, fake, team_id=B, user_id="UBMGR")
    token = {g.team_id: g.token for g in fake.oauth.grants.values()}
    alpha, beta = workspace(oauth_running, fake, A), workspace(oauth_running, fake, B)

    _request(alpha, fake, "UMANAGER", "UREP", "Alpha pricing page")
    _request(beta, fake, "UBMGR", "UBREP", "Beta invoices")
    alpha_request, beta_request = _assignments(oauth_running)
    assert (alpha_request.team_id, beta_request.team_id) == (A, B)

    # Beta's manager forges Alpha's request id into the decision button of his own DM.
    beta_dm = fake.dm_messages("UBMGR")[0]
    forged = beta.block_action(
        user_id="UBMGR",
        channel_id=fake.dm_channel("UBMGR"),
        message=beta_dm,
        action={
            "type": "button",
            "action_id": decide_action_id(Decision.join_first),
            "block_id": "forged",
            "text": {"type": "plain_text", "text": "Join AOR: first priority"},
            "value": decide_value(alpha_request.id or 0),
        },
    )
    assert forged.status == 200
    eventually(lambda: replies(fake, forged.response_url))
    assert _assignments(oauth_running)[0].status == AssignmentStatus.pending
    assert "Alpha pricing page" not in all_text(fake.dm_messages("UBMGR")[0])

    # Alpha's people by id, from Beta: not there (documents, reports, exports).
    for command in ("doc", "report", "export"):
        told = _answer(beta, fake, f"{command} <@UREP>", "UBMGR")
        assert "not a member of this workspace" in told, (command, told)
    assert not [f for f in fake.files if f.channel_id == fake.dm_channel("UBMGR")]
    # Beta's own views show Beta's request only: the pending list and the App Home.
    asked = beta.command("pending", user_id="UBMGR")
    eventually(lambda: replies(fake, asked.response_url))
    pending = all_text(next(r.body for r in fake.responses if r.url == asked.response_url))
    assert "1 request" in pending and "Beta invoices" in pending and "Alpha" not in pending
    beta.app_home_opened("UBREP")
    home = eventually(lambda: fake.home("UBREP"))
    assert "Beta invoices" in all_text(home) and "Alpha" not in all_text(home)

    # Every DM and Home went out with the token of the workspace it belongs to.
    fake.wait_until_quiet()
    sends = [
        c
        for c in fake.calls
        if c.method in ("chat.postMessage", "chat.update", "views.publish") and c.response["ok"]
    ]
    for call in sends:
        person = str(call.args.get("channel") or call.args.get("user_id")).lstrip("D")
        team = B if person.startswith("UB") else A
        assert call.token == token[team], (call.method, person)
    assert {c.token for c in sends} == {token[A], token[B]}
