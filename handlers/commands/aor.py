"""`/aor <subcommand> ...`: acknowledge within Slack's 3 s, then route."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond

from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.render.usage import build_usage, unknown_subcommand_text
from bot.rules.payloads import parse_command
from handlers.commands.call import CommandCall
from handlers.commands.routes import ROUTES

logger = logging.getLogger(__name__)


def handle_aor(
    ack: Ack, command: dict[str, Any], respond: Respond, rt: Runtime, request_id: str
) -> None:
    parsed = parse_command(command)
    name, args = [*parsed.text.strip().split(maxsplit=1), "", ""][:2]
    name = name.lower()
    fields: dict[str, Any] = {
        "team": parsed.team_id,
        "user": parsed.user_id,
        "request": request_id,
    }
    if name in ("", "help"):
        # Pure and instant: the usage goes back in the acknowledgement itself.
        ack(**build_usage())
        log_event(logger, "command.help", **fields)
        return
    route: Callable[[CommandCall], None] | None = ROUTES.get(name)
    if route is None:
        ack(response_type="ephemeral", text=unknown_subcommand_text(name))
        log_event(logger, "command.unknown", subcommand=name[:40], **fields)
        return
    ack()
    log_event(logger, "command", subcommand=name, **fields)
    route(
        CommandCall(
            rt=rt,
            respond=respond,
            team_id=parsed.team_id,
            user_id=parsed.user_id,
            channel_id=parsed.channel_id,
            trigger_id=parsed.trigger_id,
            args=args.strip(),
            request_id=request_id,
        )
    )
