"""Publish the App Home when someone opens its tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.core.runtime import Runtime
from bot.rules.payloads import parse_home_opened
from bot.services.notices import refresh_home


def handle_app_home_opened(event: dict[str, Any], context: BoltContext, rt: Runtime) -> None:
    opened = parse_home_opened(event)
    if opened.tab != "home":
        return
    refresh_home(rt, team_id=context.team_id or "", user_id=opened.user_id)
