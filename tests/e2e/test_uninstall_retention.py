"""Uninstall and retention (issue 14, must show 3): uninstalling one workspace deletes its
tokens and stops its plans and queued messages at once, the other's go on; after
AOR_RETENTION_DAYS the scheduler purges its rows (audit log included) and leaves the other's
untouched; `aor purge --team T` refuses without --yes and purges now with it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import inspect, text

from bot.cli import main
from sandbox import FakeSlack
from storage import workspaces as store
from storage.types import utcnow
from tests.utils.installs import install, workspace
from tests.utils.people import name_manager
from tests.utils.seed import TABLES, item_rows, seed
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text
from tests.utils.wait import eventually

A, B = "T0001", "T0002"


def _rows(running: RunningApp, team: str) -> dict[str, int]:
    counts = {}
    with running.rt.db.transaction() as session:
        schema = inspect(session.connection())
        for table in TABLES:
            # A child row without a team of its own (a plan's ticks, a position's versions)
            # goes with its parent.
            if "team_id" not in {c["name"] for c in schema.get_columns(table)}:
                continue
            sql = text(f"SELECT count(*) FROM {table} WHERE team_id = :t")
            counts[table] = session.execute(sql, {"t": team}).scalar_one()
    return counts


def _served(running: RunningApp, team: str) -> bool:
    with running.rt.db.transaction() as session:
        return store.is_served(session=session, team_id=team)


def _plans(fake: FakeSlack, user: str) -> list[dict]:
    return [m for m in fake.dm_messages(user) if "Done 0/" in all_text(m)]


@pytest.fixture
def two(fake: FakeSlack, oauth_running: RunningApp) -> RunningApp:
    fake.oauth.add_team(B, name="Beta")
    fake.add_user("UBMGR", name="bea", team_id=B)
    fake.add_user("UBREP", name="ben", team_id=B)
    install(oauth_running, fake, team_id=A)
    install(oauth_running, fake, team_id=B, user_id="UBMGR")
    for team, manager, rep in ((A, "UMANAGER", "UREP"), (B, "UBMGR", "UBREP")):
        side = workspace(oauth_running, fake, team)
        name_manager(side, fake, rep, manager=manager)
        side.command(f"add-task <@{rep}> Quarterly review 1h", user_id=manager)
        eventually(lambda m=manager: fake.dm_messages(m))
        with oauth_running.rt.db.transaction() as session:
            seed(session, [], item_rows(team, rep, 3))
    fake.wait_until_quiet()
    return oauth_running


def test_uninstall_stops_one_workspace_and_retention_purges_it(
    fake: FakeSlack, two: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    two.plan_now(team_id=A, user_id="UREP")
    two.plan_now(team_id=B, user_id="UBREP")
    fake.oauth.revoke(team_id=A)
    assert workspace(two, fake, A).event({"type": "app_uninstalled"}).status == 200
    eventually(lambda: [r for r in caplog.records if r.getMessage() == "workspace.uninstalled"])
    # The tokens are gone: nothing from A is served any more.
    assert "/aor add-task" not in workspace(two, fake, A).command("help", user_id="UREP").body

    two.tick()
    assert eventually(lambda: _plans(fake, "UBREP"))
    assert _plans(fake, "UREP") == []
    kept_b = _rows(two, B)
    assert _rows(two, A)["member"] == 2  # kept for the retention period

    with time_machine.travel(utcnow() + timedelta(days=29), tick=True):
        two.tick()
    assert _rows(two, A)["audit_event"] > 0
    with time_machine.travel(utcnow() + timedelta(days=31), tick=True):
        two.tick()
    assert set(_rows(two, A).values()) == {0}
    # B's rows are all there (its scheduler went on claiming plans for 30 days meanwhile).
    after_b = _rows(two, B)
    assert all(after_b[t] >= n for t, n in kept_b.items()), (kept_b, after_b)
    # (Its audit log only grows: B's waiting request was reminded meanwhile.)
    for table in ("member", "assignment", "responsibility", "slack_bots"):
        assert after_b[table] == kept_b[table] > 0, table
    assert after_b["audit_event"] >= kept_b["audit_event"] > 0
    purged = [r for r in caplog.records if r.getMessage() == "workspace.purged"]
    assert [(r.team, r.by) for r in purged] == [(A, "retention")]  # type: ignore[attr-defined]


def test_aor_purge_refuses_without_yes_then_purges_now(
    fake: FakeSlack,
    two: RunningApp,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    kept_a = _rows(two, A)
    assert main(["purge", "--team", B]) == 2
    assert "add --yes to do it" in capsys.readouterr().err
    assert _rows(two, B)["assignment"] == 1

    assert main(["purge", "--team", B, "--yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"purged workspace {B}: ") and "audit_event" in out
    assert set(_rows(two, B).values()) == {0}
    assert _rows(two, A) == kept_a
    # B is no longer installed: its requests are not served.
    assert "/aor add-task" not in workspace(two, fake, B).command("help", user_id="UBREP").body


def test_installing_again_before_the_purge_keeps_the_data_and_plans_resume(
    fake: FakeSlack, two: RunningApp
) -> None:
    assert workspace(two, fake, A).event({"type": "app_uninstalled"}).status == 200
    eventually(lambda: not _served(two, A))
    install(two, fake, team_id=A)
    with time_machine.travel(utcnow() + timedelta(days=31), tick=True):
        two.tick()
    assert _rows(two, A)["assignment"] == 1  # not purged
    assert "`/aor add-task" in workspace(two, fake, A).command("help", user_id="UREP").json["text"]
    with two.rt.db.transaction() as session:
        sql = text("SELECT count(*) FROM member WHERE team_id = :t AND plans_enabled")
        assert session.execute(sql, {"t": A}).scalar_one() == 2


def test_a_workspace_installed_again_between_its_tokens_going_and_the_mark_stays_installed(
    fake: FakeSlack, two: RunningApp
) -> None:
    """`app_uninstalled` deletes the tokens (slack_sdk's transaction) and then marks the
    workspace (ours): an install landing in between must not be marked for the purge."""
    assert two.rt.installs is not None
    two.rt.installs.forget(team_id=A, enterprise_id=None, bot_only=False)
    install(two, fake, team_id=A)
    with two.rt.db.transaction() as session:
        teams = store.uninstall(
            session=session, team_id=A, enterprise_id=None, now=utcnow(), keep=timedelta(days=30)
        )
    assert teams == []
    assert _served(two, A)
    with time_machine.travel(utcnow() + timedelta(days=31), tick=True):
        two.tick()
    assert _rows(two, A)["assignment"] == 1
