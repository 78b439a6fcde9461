"""`aor purge --team T --yes`: delete a workspace's data now, instead of waiting for the
retention period. Refuses without --yes; what it deleted is logged (with who ran it) and
printed."""

from __future__ import annotations

import getpass

from bot.app import build_runtime
from bot.cli.database import existing_database
from bot.core.config import Settings
from bot.core.errors import ConfigError
from bot.services.workspaces import purge_team
from storage.types import utcnow


def purge(settings: Settings, *, team_id: str, yes: bool) -> int:
    if not yes:
        raise ConfigError(
            f"purge deletes every row of workspace {team_id} (its AOR, requests, plans, audit "
            "log and tokens) and cannot be undone — add --yes to do it"
        )
    db = existing_database(settings)
    try:
        rt = build_runtime(settings, db.engine)
        counts = purge_team(rt, team_id=team_id, now=utcnow(), by=f"aor purge ({_who()})")
    finally:
        db.dispose()
    if not counts:
        print(f"workspace {team_id}: nothing to purge")
        return 0
    rows = ", ".join(f"{table} {n}" for table, n in sorted(counts.items()))
    print(f"purged workspace {team_id}: {sum(counts.values())} rows ({rows})")
    return 0


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"
