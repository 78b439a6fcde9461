"""The console script's contract with the operator."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.utils.process import aor_executable, clean_env


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [aor_executable(), *args], env=clean_env(**env), capture_output=True, text=True, timeout=60
    )


def test_serve_without_a_token_names_what_is_missing_and_exits_2(tmp_path: Path) -> None:
    result = _run("serve", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SLACK_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()  # refused before touching anything


def test_http_mode_needs_the_signing_secret(tmp_path: Path) -> None:
    result = _run("serve", "--http", SLACK_BOT_TOKEN="xoxb-1")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "SLACK_SIGNING_SECRET" in result.stderr
    assert "SLACK_BOT_TOKEN" not in result.stderr


def test_socket_mode_needs_the_bot_token_beside_the_app_token() -> None:
    result = _run("serve", SLACK_APP_TOKEN="xapp-1-abc")
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr
    assert "xapp-1-abc" not in result.stderr


def test_bad_setting_is_one_line_not_a_traceback() -> None:
    result = _run("serve", AOR_DEFAULT_TZ="Mars/Olympus", SLACK_BOT_TOKEN="xoxb-1")
    assert result.returncode == 2
    assert "AOR_DEFAULT_TZ" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    database = tmp_path / "fresh.db"
    result = _run("db", "upgrade", DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert database.exists()
    again = _run("db", "upgrade", DATABASE_URL=f"sqlite:///{database}")
    assert again.returncode == 0, again.stderr


def test_selling_target_is_set_per_workspace(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    assert "T1: 60%" in _run("selling-target", "--team", "T1", DATABASE_URL=url).stdout
    assert (
        "T1: 75%"
        in _run("selling-target", "--team", "T1", "--percent", "75", DATABASE_URL=url).stdout
    )
    assert "T2: 60%" in _run("selling-target", "--team", "T2", DATABASE_URL=url).stdout
    assert "T1: 75%" in _run("selling-target", "--team", "T1", DATABASE_URL=url).stdout
    bad = _run("selling-target", "--team", "T1", "--percent", "0", DATABASE_URL=url)
    assert bad.returncode == 2 and "1-100" in bad.stderr
