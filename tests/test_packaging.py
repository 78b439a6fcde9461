"""The fake Slack ships in the same distribution as the product, and the product never loads it:
building the app as `aor serve` and `bot.wsgi:app` do imports no `sandbox` module. Only
`aor demo` reaches for it, lazily, from bot/cli/__init__.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sandbox import FakeSlack
from tests.utils.imports import imports_any
from tests.utils.process import clean_env

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("bot", "handlers", "storage")

# What `aor serve --http` does before it serves (bot/cli/commands.py `serve`), one scheduler tick
# included, then the gunicorn entry point; prints the sandbox modules that got imported.
BUILD_AS_SERVE = """
import json, sys
import bot.cli
from bot.app import build_app, build_runtime
from bot.core.config import load_settings
from bot.jobs.scheduler import tick
from bot.web import make_wsgi
from storage.db import Database
from storage.migrate import upgrade

settings = load_settings()
settings.require_slack(settings.mode(force_http=True))
db = Database.from_url(settings.database_url)
upgrade(db.engine)
rt = build_runtime(settings, db.engine)
app = build_app(settings, db.engine, runtime=rt)
make_wsgi(app, db, signing_secret="packaging-test-secret")
tick(rt)
import bot.wsgi
print(json.dumps(sorted(m for m in sys.modules if m == "sandbox" or m.startswith("sandbox."))))
"""


def test_building_the_app_as_aor_serve_does_imports_no_sandbox(
    tmp_path: Path, fake: FakeSlack
) -> None:
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'aor.db'}",
        SLACK_BOT_TOKEN="xoxb-packaging-test",
        SLACK_SIGNING_SECRET="packaging-test-secret",
        # Building the app asks Slack which workspace is ours (auth.test): the fake Slack runs
        # in this test process and answers over HTTP, so the built app never imports it.
        SLACK_API_URL=fake.api_url,
        LOG_LEVEL="WARNING",
    )
    # A fresh interpreter: this test process has imported the sandbox long ago.
    result = subprocess.run(
        [sys.executable, "-c", BUILD_AS_SERVE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_only_aor_demo_imports_the_sandbox() -> None:
    importers = {
        str(path.relative_to(ROOT))
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if imports_any(path, ("sandbox",))
    }
    assert importers == {"bot/cli/__init__.py"}  # its `demo` command, inside the function
