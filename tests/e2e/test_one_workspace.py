"""One workspace: the app serves the team its bot token belongs to (auth.test at start) and
refuses everything signed for another team before any listener runs: a command, a click, a
modal submission and an event from T9999 change no row and make no Web API call."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.app import OTHER_WORKSPACE
from sandbox import FakeSlack, SlackSide
from tests.conftest import SIGNING_SECRET
from tests.utils.people import name_manager
from tests.utils.process import aor_executable, clean_env, free_port
from tests.utils.seed import TABLES
from tests.utils.server import RunningApp
from tests.utils.slack_text import press_first_button, replies
from tests.utils.wait import eventually

FOREIGN_TEAM = "T9999"


def _row_counts(running: RunningApp) -> dict[str, int]:
    with running.rt.db.transaction() as session:
        return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def _refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "workspace.refused"]


def test_another_workspace_is_refused_with_no_row_and_no_call(
    slack: SlackSide, fake: FakeSlack, running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # Our own workspace at work: a request waiting on Maria, and a modal open for Rob.
    name_manager(slack, fake, "UREP")
    request = slack.command("add-task <@UREP|rob> Update the pricing page 2h", user_id="UMANAGER")
    assert request.status == 200
    approval = eventually(lambda: next(iter(fake.dm_messages("UMANAGER")), None))
    eventually(lambda: len(fake.calls_to("views.publish")) == 2 and fake.dm_messages("UREP"))
    assert slack.command("settings", user_id="UREP").status == 200
    eventually(lambda: fake.calls_to("views.open"))
    modal = fake.last_view()
    rows, calls = _row_counts(running), len(fake.calls)

    foreign = SlackSide(running.events_url, SIGNING_SECRET, fake, team_id=FOREIGN_TEAM)
    command = foreign.command("add-task <@UREP2|rita> Fix the invoices 1h", user_id="UREP")
    assert command.status == 200
    assert command.json == {"response_type": "ephemeral", "text": OTHER_WORKSPACE}

    click = press_first_button(foreign, fake, "UMANAGER", approval)
    assert click.status == 200 and click.body == ""
    assert eventually(lambda: replies(fake, click.response_url)) == [OTHER_WORKSPACE]

    submission = foreign.view_submission(user_id="UREP", view=modal, values={})
    first_input = next(b["block_id"] for b in modal["blocks"] if b["type"] == "input")
    assert submission.json == {
        "response_action": "errors",
        "errors": {first_input: OTHER_WORKSPACE},
    }

    event = foreign.app_home_opened("UREP2")
    assert event.status == 200 and event.body == ""

    assert [r.kind for r in _refusals(caplog)] == [  # type: ignore[attr-defined]
        "slash_command",
        "block_actions",
        "view_submission",
        "event_callback",
    ]
    assert {r.team for r in _refusals(caplog)} == {FOREIGN_TEAM}  # type: ignore[attr-defined]
    # The click's refusal went to Slack's response_url; nothing else left, nothing changed.
    assert fake.calls[calls:] == []
    assert _row_counts(running) == rows
    assert [r.url for r in fake.responses].count(click.response_url) == 1
    # And our own workspace is still served.
    assert "`/aor add-task" in slack.command("help", user_id="UREP").json["text"]


def test_serve_without_slack_at_start_exits_2_with_one_line(tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/api/"
    result = subprocess.run(
        [aor_executable(), "serve", "--http", "--no-scheduler", "--port", str(free_port())],
        env=clean_env(
            SLACK_BOT_TOKEN="xoxb-unreachable",
            SLACK_SIGNING_SECRET="unreachable-secret",
            SLACK_API_URL=closed,
            DATABASE_URL=f"sqlite:///{tmp_path / 'aor.db'}",
            LOG_LEVEL="WARNING",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    _assert_one_line_and_exit_2(result, f"aor: cannot reach Slack at {closed} (")


def test_serve_with_a_refused_token_exits_2_naming_it(fake: FakeSlack, tmp_path: Path) -> None:
    fake.error("auth.test", "invalid_auth")
    result = subprocess.run(
        [aor_executable(), "serve", "--http", "--no-scheduler", "--port", str(free_port())],
        env=clean_env(
            SLACK_BOT_TOKEN="xoxb-revoked",
            SLACK_SIGNING_SECRET="refused-secret",
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=f"sqlite:///{tmp_path / 'aor.db'}",
            LOG_LEVEL="WARNING",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    _assert_one_line_and_exit_2(
        result, "aor: Slack refused SLACK_BOT_TOKEN (auth.test: invalid_auth)"
    )


def _assert_one_line_and_exit_2(result: subprocess.CompletedProcess[str], starts: str) -> None:
    """One line for the operator, last; before it only JSON log lines (slack_sdk's retries)."""
    assert result.returncode == 2
    *logs, line = result.stderr.splitlines()
    assert line.startswith(starts), result.stderr
    assert all(log.startswith('{"at": ') for log in logs), result.stderr
    assert "Traceback" not in result.stderr
