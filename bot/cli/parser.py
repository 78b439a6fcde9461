"""The `aor` command line's arguments: every subcommand with a sentence and its defaults."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

from bot.render.export import CsvPart, ExportFormat
from storage.models import DEFAULT_SELLING_TARGET_PCT

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


def percent(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 100:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a whole percent from 1-100 (e.g. --percent 60)"
        )
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aor",
        description="The AOR bot: protects sales reps' selling time in Slack. "
        "Settings come from the environment (README 'Configuration').",
        formatter_class=_Help,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
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
        help="where the demo keeps its SQLite file (replaced on each run) and the report "
        "charts (default: a new temporary folder, which it names)",
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
        type=percent,
        metavar="1-100",
        help="the new target, a whole percent from 1-100; without it, shows the current one",
    )
    purge = command(
        "purge",
        "delete a workspace's data now (refuses without --yes)",
        "Delete every row of one workspace: its members, AOR items, requests, plans, "
        "outbox, settings, audit log and installation tokens. An uninstalled workspace is "
        "purged by the scheduler after AOR_RETENTION_DAYS; this does it now. Logged with who "
        "ran it. Cannot be undone.",
    )
    purge.add_argument("--team", required=True, help="Slack workspace id (T...)")
    purge.add_argument("--yes", action="store_true", help="yes, delete it all")
    words = command(
        "tier-words",
        "show or edit a workspace's activity table (the words that suggest a tier)",
        "Show the table `/aor add` suggests a tier from when none is typed (whole words, any "
        "case or script), or edit it: --set 'cold calls=first' (repeatable; first, second or "
        "outside), --remove 'email', --reset for the method's table.",
    )
    words.add_argument("--team", required=True, help="Slack workspace id (T...)")
    words.add_argument(
        "--set", action="append", default=[], metavar="PHRASE=TIER", help="add or change a row"
    )
    words.add_argument("--remove", action="append", default=[], metavar="PHRASE")
    words.add_argument("--reset", action="store_true", help="back to the method's table")
    return parser


def package_version() -> str:
    try:
        return version("aor-bot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown (not installed)"
