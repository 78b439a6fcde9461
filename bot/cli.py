"""The `aor` console script."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, select

from bot.app import build_app, build_runtime
from bot.core.config import Settings, hide_token_from_libraries, load_settings, reveal
from bot.core.errors import ConfigError
from bot.core.logs import redact, setup_logging
from bot.jobs.scheduler import start_scheduler, tick
from bot.render.export import CsvPart, ExportFormat, render
from bot.services.coaching import gather_export
from bot.socket_mode import serve_socket_mode
from bot.web import make_wsgi, serve_http
from storage.db import Database, normalise_url
from storage.members import get_member
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import DEFAULT_SELLING_TARGET_PCT, Member
from storage.reports import selling_target_pct, set_selling_target_pct
from storage.types import utcnow

logger = logging.getLogger("bot.cli")

READ_ONLY = ("export",)


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each option's default, where it has one worth saying (not for flags or
    required options)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False) or action.required:
            return action.help
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """A usage mistake is one line naming the fix, like every other failure (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"aor: {message} — see `{self.prog} --help`\n")


def _percent(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 100:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a whole percent from 1-100 (e.g. --percent 60)"
        )
    return number


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aor",
        description="The AOR bot: protects sales reps' selling time in Slack. "
        "Settings come from the environment (README 'Configuration').",
        formatter_class=_Help,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, description: str = "") -> argparse.ArgumentParser:
        return sub.add_parser(
            name, help=summary, description=description or summary, formatter_class=_Help
        )

    serve = command(
        "serve",
        "run the bot (Socket Mode if SLACK_APP_TOKEN is set, else HTTP)",
        "Run the bot: Socket Mode when SLACK_APP_TOKEN is set (needs SLACK_BOT_TOKEN too), "
        "else HTTP (needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET). Upgrades the database "
        "first and runs the scheduler in the same process unless told not to.",
    )
    serve.add_argument(
        "--http", action="store_true", help="HTTP mode even if SLACK_APP_TOKEN is set"
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="where to listen: Slack's requests (HTTP mode) and GET /healthz (both modes)",
    )
    serve.add_argument("--port", type=int, default=3000, help="the port to listen on")
    serve.add_argument(
        "--no-scheduler", action="store_true", help="do not run the scheduler in this process"
    )

    scheduler = command(
        "scheduler",
        "run the scheduler alone (no Slack listener)",
        "Run the scheduler alone: morning plans, coaching packs, reminders and sending what "
        "is queued, every AOR_TICK_SECONDS. Needs SLACK_BOT_TOKEN.",
    )
    scheduler.add_argument("--once", action="store_true", help="run one tick and exit (for cron)")

    demo = command(
        "demo",
        "the whole flow against a built-in fake Slack (no tokens needed), "
        "printed as each person sees it",
        "Play a day of the bot: the real app over HTTP against a built-in fake Slack, printed "
        "as each person sees it. Needs no token and no database; ignores DATABASE_URL.",
    )
    demo.add_argument(
        "--dir",
        type=Path,
        metavar="FOLDER",
        help="where the demo keeps its SQLite file and the report chart "
        "(default: a new temporary folder, which it names)",
    )

    db = command("db", "database maintenance", "Database maintenance (reads DATABASE_URL).")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser(
        "upgrade",
        help="create the database or apply migrations up to the newest",
        description="Create the database at DATABASE_URL, or bring it to the newest revision "
        "(Alembic head). Safe to run again: says when it is already up to date.",
        formatter_class=_Help,
    )

    export = command(
        "export",
        "print a rep's AOR document and decision log (reads DATABASE_URL; no Slack token)",
        "Print a rep's AOR to stdout. --format md: the AOR document by tier, pending "
        "requests and the full decision log, as Markdown. --format csv: one CSV table, chosen "
        "with --what: `decisions` (every audit event of the rep, oldest first: id, "
        "at_utc, actor, action, subject_type, subject_id, before, after as JSON) or `items` "
        "(the active AOR items). Only reads: never creates or upgrades the database.",
    )
    export.add_argument("--team", required=True, help="Slack workspace id (T...)")
    export.add_argument("--user", required=True, help="the rep's Slack user id (U...)")
    export.add_argument(
        "--format",
        choices=[f.value for f in ExportFormat],
        default=ExportFormat.md.value,
        help="Markdown document or CSV table",
    )
    export.add_argument(
        "--what",
        choices=[p.value for p in CsvPart],
        default=CsvPart.decisions.value,
        help="which table --format csv prints",
    )

    target = command(
        "selling-target",
        "show or set a workspace's selling-share target for reports "
        f"(default {DEFAULT_SELLING_TARGET_PCT}%%)",
        "Show a workspace's selling-share target (the share of done time that should be "
        "first priority, as reports judge it), or set it with --percent. The workspace must "
        "have members in the database (it has once the bot has served it).",
    )
    target.add_argument("--team", required=True, help="Slack workspace id (T...)")
    target.add_argument(
        "--percent",
        type=_percent,
        metavar="1-100",
        help="the new target, a whole percent from 1-100; without it, shows the current one",
    )
    return parser


def _version() -> str:
    try:
        return version("aor-bot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown (not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        setup_logging("WARNING")  # the story is the output; log lines would drown it
        from sandbox import demo  # the fake Slack is never loaded by the product itself

        return demo.main(workdir=args.dir)
    url = ""
    try:
        settings = load_settings()
        url = settings.database_url
        hide_token_from_libraries()
        setup_logging(settings.log_level)
        if args.command == "serve":
            return _serve(settings, args)
        if args.command == "scheduler":
            return _scheduler(settings, once=args.once)
        if args.command == "db":
            return _db_upgrade(settings)
        if args.command == "export":
            return _export(settings, args)
        if args.command == "selling-target":
            return _selling_target(settings, team_id=args.team, percent=args.percent)
    except ConfigError as exc:
        print(f"aor: {exc}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        print(f"aor: {_database_problem(url, exc)}", file=sys.stderr)
        return 2
    return 2


def _database_problem(url: str, exc: DBAPIError) -> str:
    """One line: which database, what the driver said, what to check."""
    reason = redact((str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0])
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "").resolve()
        fix = (
            "point DATABASE_URL at the bot's SQLite file"
            if "not a database" in reason
            else "check that its folder exists and that you may write there, or set DATABASE_URL"
        )
        return f"cannot open the SQLite database {path} ({reason}) — {fix}"
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
    return (
        f"cannot reach the database at {where} ({reason}) — check that PostgreSQL is running "
        "there and that DATABASE_URL's host, port, user, password and database name are right"
    )


def _safe_url(url: str) -> str:
    """The URL as the operator wrote it, without its password."""
    return make_url(url.replace("postgres://", "postgresql://", 1)).render_as_string(
        hide_password=True
    )


def _upgraded(settings: Settings) -> tuple[Database, str | None, str | None]:
    """Connect and bring the schema to the newest revision (commands that write); the
    revisions before and after."""
    db = Database.from_url(settings.database_url)
    before, after = upgrade(db.engine)
    logger.log(
        logging.DEBUG if before == after else logging.INFO,
        "db.upgraded",
        extra={"database": _safe_url(settings.database_url), "before": before, "after": after},
    )
    return db, before, after


def _existing(settings: Settings) -> Database:
    """Open the database as it is, for a command that must not create or upgrade it: one
    line saying what to run when it does not exist or is behind."""
    parsed = make_url(normalise_url(settings.database_url))
    if parsed.get_backend_name() == "sqlite":
        file = Path(parsed.database or "")
        if parsed.database in (None, "", ":memory:") or not file.is_file():
            raise ConfigError(
                f"no database at {file.resolve()} — run this where the bot's database is, "
                "set DATABASE_URL to it, or create one with `aor db upgrade`"
            )
        where = str(file.resolve())
        current = _sqlite_revision(file)
        db = Database.from_url(settings.database_url)
    else:
        where = _safe_url(settings.database_url)
        db = Database.from_url(settings.database_url)
        current = current_revision(db.engine)
    head = head_revision()
    if current is None:
        db.dispose()
        raise ConfigError(
            f"the database at {where} has no AOR tables — check DATABASE_URL, or create "
            "them with `aor db upgrade`"
        )
    if current != head:
        db.dispose()
        raise ConfigError(
            f"the database at {where} is at revision {current}, this aor needs {head} — "
            "run `aor db upgrade`"
        )
    return db


def _sqlite_revision(file: Path) -> str | None:
    """Asked on a read-only connection: the bot's own turns the file to WAL mode, a write."""
    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    probe = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
    )
    try:
        return current_revision(probe)
    finally:
        probe.dispose()


def _db_upgrade(settings: Settings) -> int:
    db, before, after = _upgraded(settings)
    db.dispose()
    where = _where(settings.database_url)
    if before is None:
        print(f"created the database at {where}, at revision {after}")
    elif before == after:
        print(f"{where} is already up to date, at revision {after}")
    else:
        print(f"upgraded {where} from revision {before} to {after}")
    return 0


def _where(url: str) -> str:
    """The database as an operator knows it: a SQLite file's full path, else the URL without
    its password."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return str(Path(parsed.database or "").resolve())
    return _safe_url(url)


def _export(settings: Settings, args: argparse.Namespace) -> int:
    db = _existing(settings)
    with db.transaction() as session:
        member = get_member(session=session, team_id=args.team, user_id=args.user)
        if member is None:
            raise ConfigError(
                f"no member {args.user} in workspace {args.team} — use the rep's member id "
                f"(their Slack profile: ⋮ > Copy member ID); {_teams_hint(session)}"
            )
        export = gather_export(session=session, member=member, now=utcnow())
    sys.stdout.write(render(export, ExportFormat(args.format), CsvPart(args.what)))
    return 0


def _teams_hint(session: Session) -> str:
    """Where to find a workspace id, and the ones this database knows."""
    teams = session.exec(select(Member.team_id).distinct().order_by(Member.team_id)).all()
    known = f"this database has {', '.join(teams[:5])}{' …' if len(teams) > 5 else ''}"
    return (
        "a workspace id is the T… in app.slack.com/client/T…/ when Slack is open in a browser; "
        + (known if teams else "this database has no workspace yet (start `aor serve` first)")
    )


def _selling_target(settings: Settings, *, team_id: str, percent: int | None) -> int:
    """The share of done time that should be first priority, as reports judge it."""
    db = _existing(settings)
    with db.transaction() as session:
        if session.exec(select(Member.user_id).where(Member.team_id == team_id)).first() is None:
            raise ConfigError(f"no workspace {team_id} in the database — {_teams_hint(session)}")
        if percent is not None:
            set_selling_target_pct(session=session, team_id=team_id, pct=percent)
        current = selling_target_pct(session=session, team_id=team_id)
    print(f"selling-share target for {team_id}: {current}%")
    return 0


def _scheduler(settings: Settings, *, once: bool) -> int:
    settings.require_slack("scheduler")
    db, _, _ = _upgraded(settings)
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


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Silence a library's logger while the bot starts: slack_sdk logs every failed attempt
    at auth.test, and a start that fails is said in one `aor:` line."""
    quieted = logging.getLogger(name)
    level = quieted.level
    quieted.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        quieted.setLevel(level)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    mode = settings.mode(force_http=args.http)
    if args.http:
        why = "because --http was given"
    elif mode == "socket":
        why = "because SLACK_APP_TOKEN is set"
    else:
        why = "because SLACK_APP_TOKEN is not set"
    settings.require_slack(mode, why=why)
    db, _, _ = _upgraded(settings)
    rt = build_runtime(settings, db.engine)
    with _quiet("slack_sdk.web.base_client"):
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
