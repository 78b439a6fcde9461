"""The `aor` console script."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.app import build_app, build_runtime
from bot.core.config import Settings, load_settings, reveal
from bot.core.errors import ConfigError
from bot.core.logs import redact, setup_logging
from bot.jobs.scheduler import start_scheduler, tick
from bot.render.export import CsvPart, ExportFormat, render
from bot.services.coaching import gather_export
from bot.socket_mode import serve_socket_mode
from bot.web import make_wsgi, serve_http
from storage.db import Database, normalise_url
from storage.members import get_member
from storage.migrate import upgrade
from storage.reports import selling_target_pct, set_selling_target_pct
from storage.types import utcnow

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
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="where to listen: Slack's requests (HTTP mode) and GET /healthz (both modes)",
    )
    serve.add_argument("--port", type=int, default=3000, help="default: 3000")
    serve.add_argument(
        "--no-scheduler", action="store_true", help="do not run the scheduler in this process"
    )

    scheduler = sub.add_parser("scheduler", help="run the scheduler alone (no Slack listener)")
    scheduler.add_argument("--once", action="store_true", help="run one tick and exit (for cron)")

    sub.add_parser(
        "demo",
        help="the whole flow against a built-in fake Slack (no tokens needed), "
        "printed as each person sees it",
    )

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations up to the newest (Alembic head)")

    export = sub.add_parser(
        "export",
        help="print a rep's AOR document and decision log (reads DATABASE_URL; no Slack token)",
        description="Print a rep's AOR to stdout. --format md: the AOR document by tier, pending "
        "requests and the full decision log, as Markdown. --format csv: one CSV table, chosen "
        "with --what: `decisions` (default; every audit event of the rep, oldest first: id, "
        "at_utc, actor, action, subject_type, subject_id, before, after as JSON) or `items` "
        "(the active AOR items).",
    )
    export.add_argument("--team", required=True, help="Slack workspace id (T...)")
    export.add_argument("--user", required=True, help="the rep's Slack user id (U...)")
    export.add_argument(
        "--format", choices=list(ExportFormat), default=ExportFormat.md, help="default: md"
    )
    export.add_argument(
        "--what",
        choices=list(CsvPart),
        default=CsvPart.decisions,
        help="which table --format csv prints (default: decisions)",
    )

    target = sub.add_parser(
        "selling-target",
        help="show or set a workspace's selling-share target for reports (default 60%%)",
    )
    target.add_argument("--team", required=True, help="Slack workspace id (T...)")
    target.add_argument(
        "--percent", type=int, choices=range(1, 101), metavar="1-100", help="the new target"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        setup_logging("WARNING")  # the story is the output; log lines would drown it
        from sandbox import demo  # the fake Slack is never loaded by the product itself

        return demo.main()
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
        if args.command == "export":
            return _export(settings, args)
        if args.command == "selling-target":
            return _selling_target(settings, team_id=args.team, percent=args.percent)
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


def _export(settings: Settings, args: argparse.Namespace) -> int:
    db = _open_database(settings)
    with db.transaction() as session:
        member = get_member(session=session, team_id=args.team, user_id=args.user)
        if member is None:
            print(f"aor: no member {args.user} in workspace {args.team}", file=sys.stderr)
            return 1
        export = gather_export(session=session, member=member, now=utcnow())
    sys.stdout.write(render(export, ExportFormat(args.format), CsvPart(args.what)))
    return 0


def _selling_target(settings: Settings, *, team_id: str, percent: int | None) -> int:
    """The share of done time that should be first priority, as reports judge it."""
    db = _open_database(settings)
    with db.transaction() as session:
        if percent is not None:
            set_selling_target_pct(session=session, team_id=team_id, pct=percent)
        current = selling_target_pct(session=session, team_id=team_id)
    print(f"selling-share target for {team_id}: {current}%")
    return 0


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
        token = reveal(settings.slack_app_token)
        serve_socket_mode(app, db, app_token=token, host=args.host, port=args.port)
        return 0
    wsgi = make_wsgi(app, db, signing_secret=reveal(settings.slack_signing_secret))
    serve_http(wsgi, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
