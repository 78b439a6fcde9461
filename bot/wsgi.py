"""`bot.wsgi:app` for gunicorn (threaded workers). Never starts a scheduler: run
`aor scheduler` beside it, and `aor db upgrade` before it."""

from __future__ import annotations

import sys

from bot.app import build_app
from bot.core.config import hide_token_from_libraries, load_settings, reveal
from bot.core.errors import ConfigError
from bot.core.logs import setup_logging
from bot.web import WsgiApp, make_wsgi
from storage.db import Database


def create() -> WsgiApp:
    settings = load_settings()
    settings.require_slack("http")
    hide_token_from_libraries()
    setup_logging(settings.log_level)
    db = Database.from_url(settings.database_url)
    secret = reveal(settings.slack_signing_secret)
    return make_wsgi(
        build_app(settings, db.engine),
        db,
        signing_secret=secret,
        multiproc_dir=settings.prometheus_multiproc_dir,
    )


try:
    app = create()
except ConfigError as exc:
    print(f"aor: {exc}", file=sys.stderr)
    sys.exit(2)
