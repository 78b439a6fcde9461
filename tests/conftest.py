"""Shared fixtures: a migrated database per test (SQLite file, and PostgreSQL when
AOR_TEST_DATABASE_URL is set), the fake Slack, and the real Bolt app over real HTTP."""

from __future__ import annotations

import logging
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from sandbox import FakeSlack, SlackSide
from storage.db import Database, make_engine
from storage.migrate import upgrade
from tests.manifest_scopes import assert_scopes_granted
from tests.utils.seed import TABLES
from tests.utils.server import RunningApp, run_app

# Property tests assert what holds, not how fast examples are made: on a loaded 2-core machine
# (CI beside PostgreSQL) generation can be slow, which is no failure of the code under test.
settings.register_profile("aor", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("aor")

PG_URL = os.environ.get("AOR_TEST_DATABASE_URL")
SIGNING_SECRET = "test-signing-secret"
TEAM = "T0001"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # CI must exercise PostgreSQL; a laptop without it skips those tests, saying why.
    if PG_URL is None and os.environ.get("AOR_REQUIRE_POSTGRES"):
        raise pytest.UsageError("AOR_REQUIRE_POSTGRES is set but AOR_TEST_DATABASE_URL is not")


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Each skip reason once, with how many tests it skipped (pyproject's `-rfExX` leaves
    skips out of pytest's own summary, which would list every skipped test)."""
    if "s" in config.option.reportchars or "a" in config.option.reportchars:
        return  # asked for pytest's own list: no need to repeat it
    reasons = Counter(_skip_reason(report) for report in terminalreporter.stats.get("skipped", []))
    for reason, count in sorted(reasons.items()):
        tests = "test" if count == 1 else "tests"
        terminalreporter.write_line(f"SKIPPED {count} {tests}: {reason}")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Slack credentials or database URL leak in from the developer's shell."""
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "DATABASE_URL",
        "AOR_ADMINS",
        "AOR_DEFAULT_TZ",
        "AOR_TICK_SECONDS",
        "LOG_LEVEL",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SLACK_STATE_SECRET",
        "AOR_RETENTION_DAYS",
        "PROMETHEUS_MULTIPROC_DIR",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """A test that runs `aor …` in-process gets the CLI's log handler, bound to the stderr pytest
    captures for that test and closes after it: later tests would log into a closed file."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    if PG_URL is None:
        pytest.skip("PostgreSQL tests need AOR_TEST_DATABASE_URL (CI sets it)")
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    return PG_URL


def fresh_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "aor.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_migrated")
    engine = make_engine(url)
    with engine.begin() as conn:
        # TRUNCATE fires no row triggers, so the append-only audit guard stays in place.
        conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: every storage test runs on both backends."""
    return fresh_database_url(request.param, request, tmp_path)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.from_url(db_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database_url("sqlite", request, tmp_path)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        slack.add_user("UMANAGER", name="maria", real_name="Maria Manager", tz="America/New_York")
        slack.add_user("UREP", name="rob", real_name="Rob Rep", tz="America/Los_Angeles")
        slack.add_user("UREP2", name="rita", real_name="Rita Rep", tz="Europe/London")
        slack.add_user("UOTHER", name="oscar", real_name="Oscar Other", tz="UTC")
        slack.add_user("UADMIN", name="ada", real_name="Ada Admin", tz="UTC", is_admin=True)
        slack.add_user("UBOTUSER", name="somebot", is_bot=True)
        slack.add_user("UGONE", name="gone", deleted=True)
        yield slack


@pytest.fixture
def running(fake: FakeSlack, db_url: str) -> Iterator[RunningApp]:
    """The real Bolt app behind a real HTTP server, talking to the fake Slack. Every test
    using it ends by checking that no call broke Slack's spec or Block Kit limits."""
    with run_app(fake=fake, database_url=db_url, signing_secret=SIGNING_SECRET) as app:
        yield app
    fake.assert_no_violations()
    assert_scopes_granted(fake)


@pytest.fixture
def slack(running: RunningApp, fake: FakeSlack) -> SlackSide:
    return SlackSide(
        events_url=running.events_url, signing_secret=SIGNING_SECRET, fake=fake, team_id=TEAM
    )


@pytest.fixture
def oauth_running(fake: FakeSlack, db_url: str) -> Iterator[RunningApp]:
    """The app in OAuth mode (no bot token: each workspace's comes from its install)."""
    with run_app(fake=fake, database_url=db_url, signing_secret=SIGNING_SECRET, oauth=True) as app:
        yield app
    fake.assert_no_violations()
    assert_scopes_granted(fake)
