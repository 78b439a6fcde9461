"""No secret in any log line: `aor serve --http` at LOG_LEVEL=DEBUG, with the scheduler ticking,
through a whole working day (commands, a decision, App Home, the morning plan and a tick, a
modal, a Slack outage and retries, forged requests, another workspace), then its every output
line searched for the bot token, the token's last 12 characters and the signing secret."""

from __future__ import annotations

import secrets
import string
import subprocess
from pathlib import Path

from sandbox import FakeSlack, SlackSide
from tests.utils.people import name_manager
from tests.utils.process import aor_executable, clean_env, free_port, wait_healthy
from tests.utils.slack_text import buttons, press_first_button, replies
from tests.utils.wait import eventually

_ALNUM = string.ascii_letters + string.digits


def _random(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def test_a_days_work_at_debug_logs_no_secret(fake: FakeSlack, tmp_path: Path) -> None:
    # Shaped like the real ones, and random: a hit can only be the secret itself.
    token = f"xoxb-{_random(string.digits, 13)}-{_random(string.digits, 13)}-{_random(_ALNUM, 24)}"
    secret = _random("0123456789abcdef", 32)
    port = free_port()
    log = tmp_path / "aor.log"
    env = clean_env(
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'aor.db'}",
        LOG_LEVEL="DEBUG",
        AOR_TICK_SECONDS="1",
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            [aor_executable(), "serve", "--http", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
            _a_working_day(SlackSide(f"http://127.0.0.1:{port}/slack/events", secret, fake), fake)
        finally:
            process.terminate()
            process.wait(timeout=15)
    output = log.read_text(errors="replace")
    assert '"level": "debug"' in output and "http.refused" in output  # DEBUG was on, and heard
    for what, needle in (
        ("the bot token", token),
        ("the bot token's last 12 characters", token[-12:]),
        ("the signing secret", secret),
    ):
        hits = [line for line in output.splitlines() if needle in line]
        assert hits == [], f"{what} is in the log:\n" + "\n".join(hits[:5])
    fake.assert_no_violations()


def _a_working_day(slack: SlackSide, fake: FakeSlack) -> None:
    assert slack.command("help", user_id="UREP").status == 200
    name_manager(slack, fake, "UREP")  # waits for the answer: the request below needs it
    request = slack.command(
        "add-task <@UREP|rob> Call the top ten leads 2h daily", user_id="UMANAGER"
    )
    assert request.status == 200
    approval = eventually(lambda: next(iter(fake.dm_messages("UMANAGER")), None))
    assert press_first_button(slack, fake, "UMANAGER", approval).status == 200
    eventually(lambda: not buttons(fake.dm_messages("UMANAGER")[0]))  # decided: joined the AOR
    assert slack.app_home_opened("UREP").status == 200

    plan = slack.command("plan", user_id="UREP")  # today's checklist, as a DM
    eventually(lambda: replies(fake, plan.response_url))
    checklist = eventually(
        lambda: next((m for m in fake.dm_messages("UREP") if _checkboxes(m)), None)
    )
    block = _checkboxes(checklist)[0]
    element = block["elements"][0]
    ticked = slack.check_boxes(
        user_id="UREP",
        channel=fake.dm_channel("UREP"),
        ts=checklist["ts"],
        action_id=element["action_id"],
        block_id=block["block_id"],
        selected_values=[element["options"][0]["value"]],
    )
    assert ticked.status == 200
    assert slack.command("settings", user_id="UREP").status == 200
    eventually(lambda: fake.calls_to("views.open"))
    assert slack.submit_view(user_id="UREP", answers={}).status == 200

    # Slack has a bad minute: every retry fails, the outbox keeps the DMs for a later tick.
    fake.fail("chat.postMessage", status=500, times=6)
    outage = slack.command("add-task <@UREP|rob> Renew the CRM licence 30m", user_id="UMANAGER")
    assert outage.status == 200
    failed = lambda: [c for c in fake.calls_to("chat.postMessage") if c.status == 500]  # noqa: E731
    eventually(lambda: len(failed()) == 6, timeout=30)

    assert slack.command("help", user_id="UREP", signature="v0=" + "0" * 64).status == 401
    assert slack.post_raw(b"payload=[]", {"Content-Type": "text/plain"}, sign=True).status == 400
    foreign = SlackSide(slack.events_url, slack.signing_secret, fake, team_id="T9999")
    assert foreign.command("help", user_id="UREP").status == 200
    assert slack.command("report", user_id="UMANAGER").status == 200
    eventually(lambda: fake.calls_to("files.completeUploadExternal"), timeout=30)


def _checkboxes(message: dict) -> list[dict]:
    return [
        b
        for b in message.get("blocks", [])
        if b["type"] == "actions" and b["elements"][0]["type"] == "checkboxes"
    ]
