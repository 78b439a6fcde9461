"""The console script's contract with the operator: every failure is one line
`aor: what is wrong — how to fix it`, exit 2, no traceback (STYLE "Copy")."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlmodel import select

from sandbox import FakeSlack
from storage.db import Database
from storage.members import save_profile
from storage.migrate import head_revision
from storage.models import AuditEvent
from storage.types import utcnow
from tests.utils.process import aor_executable, clean_env, free_port, wait_healthy


def _run(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [aor_executable(), *args],
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def _one_line_failure(result: subprocess.CompletedProcess[str], *fix: str) -> str:
    """Exit 2, exactly one line on stderr, `aor: …`, no traceback, naming each of `fix`."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("aor: ") and " — " in line, line
    for words in fix:
        assert words in line, line
    return line


def _sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def workspace_db(tmp_path: Path) -> str:
    """A migrated SQLite file where workspace T1 has one member, U1."""
    url = _sqlite(tmp_path / "aor.db")
    assert _run("db", "upgrade", DATABASE_URL=url).returncode == 0
    db = Database.from_url(url)
    with db.transaction() as session:
        save_profile(
            session=session,
            team_id="T1",
            user_id="U1",
            name="rob",
            tz="UTC",
            is_slack_admin=False,
            refreshed_at=utcnow(),
        )
    db.dispose()
    return url


# --- Slack settings ------------------------------------------------------------------------


def test_serve_without_tokens_names_each_variable_the_mode_and_why(tmp_path: Path) -> None:
    result = _run("serve", DATABASE_URL=_sqlite(tmp_path / "x.db"))
    line = _one_line_failure(
        result,
        "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET",
        "HTTP mode, because SLACK_APP_TOKEN is not set",
        "set SLACK_APP_TOKEN",
        "Socket Mode",
    )
    assert "README" in line
    assert not (tmp_path / "x.db").exists()  # refused before touching anything


def test_http_mode_needs_the_signing_secret_and_says_why_http() -> None:
    result = _run("serve", "--http", SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    line = _one_line_failure(result, "SLACK_SIGNING_SECRET", "because --http was given")
    assert "SLACK_BOT_TOKEN" not in line


def test_socket_mode_needs_the_bot_token_beside_the_app_token() -> None:
    result = _run("serve", SLACK_APP_TOKEN="xapp-1-abc")
    _one_line_failure(result, "SLACK_BOT_TOKEN", "Socket Mode, because SLACK_APP_TOKEN is set")
    assert "xapp-1-abc" not in result.stderr


def test_a_user_token_is_refused_naming_the_right_one() -> None:
    result = _run("serve", "--http", SLACK_BOT_TOKEN="xoxp-1", SLACK_SIGNING_SECRET="s")
    _one_line_failure(result, "SLACK_BOT_TOKEN", "xoxb-")


def test_oauth_mode_needs_all_three_and_names_the_missing() -> None:
    result = _run("serve", "--http", SLACK_CLIENT_ID="1.2", SLACK_SIGNING_SECRET="s")
    line = _one_line_failure(result, "SLACK_CLIENT_SECRET and SLACK_STATE_SECRET", "OAuth mode")
    assert "SLACK_BOT_TOKEN" not in line


def test_oauth_mode_is_not_socket_mode() -> None:
    result = _run(
        "serve",
        SLACK_CLIENT_ID="1.2",
        SLACK_CLIENT_SECRET="c",
        SLACK_STATE_SECRET="s",
        SLACK_APP_TOKEN="xapp-1",
    )
    _one_line_failure(result, "OAuth mode serves its install pages over HTTP", "--http")


def test_bad_setting_is_one_line_not_a_traceback() -> None:
    result = _run("serve", AOR_DEFAULT_TZ="Mars/Olympus", SLACK_BOT_TOKEN="xoxb-1")
    _one_line_failure(result, "AOR_DEFAULT_TZ", "Europe/London")


def test_slack_unreachable_at_start(tmp_path: Path) -> None:
    result = _run(
        "serve",
        "--http",
        "--no-scheduler",
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/",
        DATABASE_URL=_sqlite(tmp_path / "aor.db"),
        LOG_LEVEL="WARNING",  # the start-up's own JSON log lines (migrations) are not failures
    )
    _one_line_failure(result, "cannot reach Slack", "SLACK_API_URL")


def test_socket_mode_with_slack_unreachable(tmp_path: Path) -> None:
    result = _run(
        "serve",
        "--no-scheduler",
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_APP_TOKEN="xapp-1",
        SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/",
        DATABASE_URL=_sqlite(tmp_path / "aor.db"),
        LOG_LEVEL="WARNING",
    )
    _one_line_failure(result, "cannot reach Slack", "SLACK_API_URL")


def test_a_token_slack_refuses_at_start(fake: FakeSlack, tmp_path: Path) -> None:
    fake.error("auth.test", "invalid_auth")
    result = _run(
        "serve",
        "--http",
        "--no-scheduler",
        SLACK_BOT_TOKEN="xoxb-revoked",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=_sqlite(tmp_path / "aor.db"),
        LOG_LEVEL="WARNING",
    )
    _one_line_failure(result, "refused SLACK_BOT_TOKEN", "invalid_auth", "OAuth & Permissions")
    assert "xoxb-revoked" not in result.stderr


def test_socket_mode_with_an_app_token_slack_refuses(fake: FakeSlack, tmp_path: Path) -> None:
    fake.error("apps.connections.open", "invalid_auth")
    result = _run(
        "serve",
        "--no-scheduler",
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_APP_TOKEN="xapp-revoked",
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=_sqlite(tmp_path / "aor.db"),
        LOG_LEVEL="WARNING",
    )
    _one_line_failure(result, "SLACK_APP_TOKEN", "invalid_auth")
    assert "xapp-revoked" not in result.stderr


def test_serve_logs_no_bolt_warning_about_an_unused_token(fake: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [aor_executable(), "serve", "--http", "--port", str(port), "--no-scheduler"],
        env=clean_env(
            SLACK_BOT_TOKEN="xoxb-serve",
            SLACK_SIGNING_SECRET="s",
            SLACK_API_URL=fake.api_url,
            DATABASE_URL=_sqlite(tmp_path / "aor.db"),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "will be unused" not in stderr
    for line in stderr.strip().splitlines():
        assert json.loads(line)["level"] != "warning", line  # logs only, and no warnings


# --- the database --------------------------------------------------------------------------


def test_a_database_url_that_is_not_one() -> None:
    result = _run("serve", "--http", DATABASE_URL="nonsense")
    _one_line_failure(result, "'nonsense' is not a database URL", "sqlite", "postgresql")


def test_an_unsupported_database_names_the_supported_schemes() -> None:
    result = _run("db", "upgrade", DATABASE_URL="mysql://aor:secret@db.example/aor")
    line = _one_line_failure(result, "mysql", "sqlite", "postgresql", "postgresql://")
    assert "secret" not in line


def test_an_uninstalled_driver_says_which_to_write() -> None:
    result = _run("db", "upgrade", DATABASE_URL="postgresql+psycopg2://aor@db.example/aor")
    _one_line_failure(result, "psycopg2", "postgresql://")


def test_a_sqlite_path_that_cannot_be_opened_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "aor.db"
    result = _run("db", "upgrade", DATABASE_URL=_sqlite(missing))
    _one_line_failure(result, str(missing), "folder exists")


def test_an_unreachable_postgresql_names_host_and_port() -> None:
    port = free_port()  # nothing listens there
    result = _run("db", "upgrade", DATABASE_URL=f"postgresql://aor:pw@127.0.0.1:{port}/aor")
    line = _one_line_failure(result, f"127.0.0.1:{port}/aor", "PostgreSQL is running")
    assert ":pw@" not in line


def test_db_upgrade_says_created_then_up_to_date(tmp_path: Path) -> None:
    database = tmp_path / "fresh.db"
    head = head_revision()
    first = _run("db", "upgrade", DATABASE_URL=_sqlite(database))
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"created the database at {database}, at revision {head}\n"
    assert database.exists()
    again = _run("db", "upgrade", DATABASE_URL=_sqlite(database))
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"{database} is already up to date, at revision {head}\n"


# --- commands that only read ---------------------------------------------------------------


def test_export_in_an_empty_folder_creates_nothing(tmp_path: Path) -> None:
    result = _run("export", "--team", "T1", "--user", "U1", cwd=tmp_path)
    _one_line_failure(result, f"no database at {tmp_path / 'aor.db'}", "DATABASE_URL")
    assert list(tmp_path.iterdir()) == []


def test_export_of_an_empty_database_file_does_not_migrate_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = _run("export", "--team", "T1", "--user", "U1", DATABASE_URL=_sqlite(empty))
    _one_line_failure(result, "no AOR tables", "aor db upgrade")
    assert empty.stat().st_size == 0


def test_export_of_an_unknown_member_says_where_ids_are(workspace_db: str) -> None:
    result = _run("export", "--team", "T1", "--user", "UNOPE", DATABASE_URL=workspace_db)
    _one_line_failure(result, "no member UNOPE in workspace T1", "Copy member ID", "T1")


def test_export_prints_the_document(workspace_db: str) -> None:
    result = _run("export", "--team", "T1", "--user", "U1", DATABASE_URL=workspace_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


# --- arguments -----------------------------------------------------------------------------


def test_version_comes_from_the_package() -> None:
    from importlib.metadata import version

    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"aor {version('aor-bot')}"


@pytest.mark.parametrize(
    "command",
    [
        ["serve"],
        ["scheduler"],
        ["demo"],
        ["db"],
        ["db", "upgrade"],
        ["export"],
        ["selling-target"],
        ["purge"],
        ["tier-words"],
    ],
)
def test_every_help_has_a_sentence(command: list[str]) -> None:
    result = _run(*command, "--help")
    assert result.returncode == 0
    usage, _, rest = result.stdout.partition("\n\n")
    assert usage.startswith("usage: aor")
    assert rest.split("\n\n")[0].strip()[:1].isupper()  # a description, not straight options


def test_help_shows_defaults_and_plain_choices() -> None:
    serve = _run("serve", "--help").stdout
    assert "(default: 3000)" in serve and "(default: 127.0.0.1)" in serve
    export = _run("export", "--help").stdout
    assert "{md,csv}" in export and "(default: md)" in export
    assert "(default: decisions)" in export and "ExportFormat" not in export


def test_an_unknown_format_is_one_line_with_the_choices() -> None:
    result = _run("export", "--team", "T1", "--user", "U1", "--format", "pdf")
    _one_line_failure(result, "'pdf'", "'md', 'csv'", "aor export --help")


# --- selling-target ------------------------------------------------------------------------


def test_selling_target_is_set_per_workspace(workspace_db: str) -> None:
    url = workspace_db

    def target(*args: str) -> str:
        result = _run("selling-target", "--team", "T1", *args, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert target() == "selling-share target for T1: 60%\n"
    assert target("--percent", "75") == "selling-share target for T1: 75%\n"
    assert target() == "selling-share target for T1: 75%\n"


@pytest.mark.parametrize("percent", ["0", "101", "sixty"])
def test_selling_target_states_the_range(workspace_db: str, percent: str) -> None:
    result = _run("selling-target", "--team", "T1", "--percent", percent, DATABASE_URL=workspace_db)
    line = _one_line_failure(result, "1-100", "--percent 60")
    assert "2, 3" not in line  # not the hundred choices


def test_selling_target_of_an_unknown_workspace(workspace_db: str) -> None:
    result = _run("selling-target", "--team", "TNOPE", "--percent", "70", DATABASE_URL=workspace_db)
    _one_line_failure(result, "no workspace TNOPE", "app.slack.com/client/T", "T1")


# --- tier-words ----------------------------------------------------------------------------


def test_tier_words_are_edited_per_workspace_and_audited(workspace_db: str) -> None:
    url = workspace_db

    def words(*args: str) -> list[str]:
        result = _run("tier-words", "--team", "T1", *args, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    shown = words()
    assert "prospecting=first" in shown and "email=second" in shown and "invoices=outside" in shown
    edited = words("--set", "Email=first", "--set", "Kaltakquise=first", "--remove", "website")
    assert "Email=first" in edited and "email=second" not in edited  # in its place
    assert edited[-1] == "Kaltakquise=first" and "website=outside" not in edited
    assert words() == edited
    assert words("--reset") == shown
    db = Database.from_url(url)
    with db.transaction() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "tier_words.edited"))
        tables = [(e.before or {}).get("table") == shown for e in events]
    db.dispose()
    assert tables == [True, False]  # the edit, then the reset (from the edited table)


@pytest.mark.parametrize(
    ("args", "fix"),
    [
        (["--set", "calls=top"], "'top' is not a tier"),
        (["--set", "cold calls"], "PHRASE=TIER"),
        (["--remove", "nothing like it"], "not in the table"),
    ],
)
def test_tier_words_refusals_name_the_fix(workspace_db: str, args: list[str], fix: str) -> None:
    result = _run("tier-words", "--team", "T1", *args, DATABASE_URL=workspace_db)
    _one_line_failure(result, fix)
    again = _run("tier-words", "--team", "T1", DATABASE_URL=workspace_db)
    assert "calls=top" not in again.stdout and "website=outside" in again.stdout
