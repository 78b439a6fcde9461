"""The `aor` console script."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError

from bot.cli.commands import export, scheduler, selling_target, serve, tier_words
from bot.cli.database import database_problem, db_upgrade
from bot.cli.parser import build_parser
from bot.cli.purge import purge
from bot.core.config import hide_token_from_libraries, load_settings
from bot.core.errors import ConfigError
from bot.core.logs import setup_logging

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
            return serve(settings, args)
        if args.command == "scheduler":
            return scheduler(settings, once=args.once)
        if args.command == "db":
            return db_upgrade(settings)
        if args.command == "export":
            return export(settings, args)
        if args.command == "selling-target":
            return selling_target(settings, team_id=args.team, percent=args.percent)
        if args.command == "purge":
            return purge(settings, team_id=args.team, yes=args.yes)
        if args.command == "tier-words":
            return tier_words(settings, args)
    except ConfigError as exc:
        print(f"aor: {exc}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        print(f"aor: {database_problem(url, exc)}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())
