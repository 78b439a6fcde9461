"""What each `aor` subcommand does, once its arguments are read."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session, select

from bot.app import build_app, build_runtime
from bot.cli.database import existing_database, upgraded
from bot.core.config import Settings, reveal
from bot.core.errors import ConfigError
from bot.jobs.scheduler import start_scheduler, tick
from bot.render.export import CsvPart, ExportFormat, render
from bot.rules.activity import parse_table_line
from bot.services.activity import activity_table, edit_table
from bot.services.coaching import gather_export
from bot.socket_mode import serve_socket_mode
from bot.web import make_wsgi, serve_http
from storage import audit
from storage.members import get_member
from storage.models import Member
from storage.reports import selling_target_pct, set_selling_target_pct
from storage.types import utcnow

logger = logging.getLogger("bot.cli")


def export(settings: Settings, args: argparse.Namespace) -> int:
    db = existing_database(settings)
    with db.transaction() as session:
        member = get_member(session=session, team_id=args.team, user_id=args.user)
        if member is None:
            raise ConfigError(
                f"no member {args.user} in workspace {args.team} — use the rep's member id "
                f"(their Slack profile: ⋮ > Copy member ID); {teams_hint(session)}"
            )
        export = gather_export(session=session, member=member, now=utcnow())
    sys.stdout.write(render(export, ExportFormat(args.format), CsvPart(args.what)))
    return 0


def teams_hint(session: Session) -> str:
    """Where to find a workspace id, and the ones this database knows."""
    teams = session.exec(select(Member.team_id).distinct().order_by(Member.team_id)).all()
    known = f"this database has {', '.join(teams[:5])}{' …' if len(teams) > 5 else ''}"
    return (
        "a workspace id is the T… in app.slack.com/client/T…/ when Slack is open in a browser; "
        + (known if teams else "this database has no workspace yet (start `aor serve` first)")
    )


def selling_target(settings: Settings, *, team_id: str, percent: int | None) -> int:
    """The share of done time that should be first priority, as reports judge it."""
    db = existing_database(settings)
    with db.transaction() as session:
        if session.exec(select(Member.user_id).where(Member.team_id == team_id)).first() is None:
            raise ConfigError(f"no workspace {team_id} in the database — {teams_hint(session)}")
        if percent is not None:
            set_selling_target_pct(session=session, team_id=team_id, pct=percent)
        current = selling_target_pct(session=session, team_id=team_id)
    print(f"selling-share target for {team_id}: {current}%")
    return 0


def tier_words(settings: Settings, args: argparse.Namespace) -> int:
    """Show or edit a workspace's activity table; an edit is audited (actor "cli")."""
    try:
        add = [parse_table_line(line) for line in args.set]
    except ValueError as exc:
        raise ConfigError(f"{exc} — e.g. --set 'cold calls=first'") from None
    db = existing_database(settings)
    with db.transaction() as session:
        if session.exec(select(Member.user_id).where(Member.team_id == args.team)).first() is None:
            raise ConfigError(f"no workspace {args.team} in the database — {teams_hint(session)}")
        before = list(activity_table(session=session, team_id=args.team))
        try:
            table = edit_table(
                session=session, team_id=args.team, add=add, remove=args.remove, reset=args.reset
            )
        except KeyError as exc:
            raise ConfigError(
                f"'{exc.args[0]}' is not in the table — run without --remove to see it"
            ) from None
        if list(table) != before:
            audit.record(
                session=session,
                team_id=args.team,
                actor_id="cli",
                action="tier_words.edited",
                subject_type="team",
                subject_id=args.team,
                before={"table": [f"{p}={t}" for p, t in before]},
                after={"table": [f"{p}={t}" for p, t in table]},
            )
    for phrase, tier in table:
        print(f"{phrase}={tier}")
    return 0


def scheduler(settings: Settings, *, once: bool) -> int:
    settings.require_slack("scheduler")
    db, _, _ = upgraded(settings)
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
def quiet(name: str) -> Iterator[None]:
    """Silence a library's logger while the bot starts: slack_sdk logs every failed attempt
    at auth.test, and a start that fails is said in one `aor:` line."""
    quieted = logging.getLogger(name)
    level = quieted.level
    quieted.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        quieted.setLevel(level)


def serve(settings: Settings, args: argparse.Namespace) -> int:
    mode = settings.mode(force_http=args.http)
    if args.http:
        why = "because --http was given"
    elif mode == "socket":
        why = "because SLACK_APP_TOKEN is set"
    else:
        why = "because SLACK_APP_TOKEN is not set"
    settings.require_slack(mode, why=why)
    db, _, _ = upgraded(settings)
    rt = build_runtime(settings, db.engine)
    with quiet("slack_sdk.web.base_client"):
        app = build_app(settings, db.engine, runtime=rt)
    if not args.no_scheduler:
        start_scheduler(rt)
    if mode == "socket":
        token = reveal(settings.slack_app_token)
        serve_socket_mode(app, db, app_token=token, host=args.host, port=args.port)
        return 0
    wsgi = make_wsgi(
        app,
        db,
        signing_secret=reveal(settings.slack_signing_secret),
        multiproc_dir=settings.prometheus_multiproc_dir,
    )
    serve_http(wsgi, host=args.host, port=args.port)
    return 0
