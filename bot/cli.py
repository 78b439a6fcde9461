"""The `aor` console script."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Sequence

from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.app import build_app, build_runtime
from bot.config import Settings, load_settings
from bot.errors import ConfigError
from bot.logs import redact, setup_logging
from bot.scheduler import start_scheduler, tick
from bot.web import make_wsgi, serve_http
from storage.db import Database, normalise_url
from storage.migrate import upgrade

logger = logging.getLogger("bot.cli")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aor", description="The AOR bot: protects sales reps' selling time in Slack."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser(
        "serve", help="run the bot (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)"
    )
    serve.add_argument(
        "--http", action="store_true", help="HTTP mode even if SLACK_APP_TOKEN is set"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument(
        "--no-scheduler", action="store_true", help="do not run the scheduler in this process"
    )

    scheduler = sub.add_parser("scheduler", help="run the scheduler alone (no Slack listener)")
    scheduler.add_argument("--once", action="store_true", help="run one tick and exit (for cron)")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations up to the newest (Alembic head)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        setup_logging(settings.log_level)
        if args.command == "serve":
            return _serve(settings, args)
        if args.command == "scheduler":
            return _scheduler(settings, once=args.once)
        if args.command == "db":
            _open_database(settings)
            return 0
    except ConfigError as exc:
        print(f"aor: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        print(f"aor: cannot use the database: {redact(str(exc.orig))}".strip(), file=sys.stderr)
        return 1
    return 2


def _open_database(settings: Settings) -> Database:
    """Connect and bring the schema to the newest revision."""
    db = Database.from_url(settings.database_url)
    upgrade(db.engine)
    logger.info("db.upgraded", extra={"database": _safe_url(settings.database_url)})
    return db


def _safe_url(url: str) -> str:
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def _scheduler(settings: Settings, *, once: bool) -> int:
    settings.require_slack("scheduler")
    db = _open_database(settings)
    rt = build_runtime(settings, db.engine)
    if once:
        tick(rt)
        return 0
    scheduler = start_scheduler(rt)
    logger.info("scheduler.started", extra={"tick_seconds": settings.aor_tick_seconds})
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        scheduler.shutdown()
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    mode = settings.mode(force_http=args.http)
    settings.require_slack(mode)
    db = _open_database(settings)
    rt = build_runtime(settings, db.engine)
    app = build_app(settings, db.engine, runtime=rt)
    if not args.no_scheduler:
        start_scheduler(rt)
    if mode == "socket":
        token = settings.slack_app_token.get_secret_value()  # type: ignore[union-attr]
        logger.info("socket_mode.starting")
        SocketModeHandler(app, token).start()
        return 0
    serve_http(make_wsgi(app, db), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
