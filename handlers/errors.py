"""The one error handler: known errors become a clear message, unknown ones a reference."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt import App, BoltContext

from bot.errors import AorError
from bot.logs import log_event

logger = logging.getLogger(__name__)


def register(app: App) -> None:
    app.error(handle_error)


def handle_error(error: Exception, body: dict[str, Any], context: BoltContext) -> None:
    fields = {
        "team": context.team_id,
        "user": context.user_id,
        "request": context.get("request_id"),
    }
    if isinstance(error, AorError):
        message = error.message
        log_event(logger, "refused", reason=type(error).__name__, **fields)
    else:
        ref = uuid.uuid4().hex[:8].upper()
        message = (
            f"Something went wrong (ref {ref}). Please try again; if it keeps happening, "
            "give this ref to whoever runs the bot."
        )
        logger.error(
            "unhandled",
            exc_info=(type(error), error, error.__traceback__),
            extra={"ref": ref, **{k: v for k, v in fields.items() if v}},
        )
    if context.response_url:
        context.respond(text=message, response_type="ephemeral", replace_original=False)
    elif body.get("type") in ("view_submission", "block_actions") and context.user_id:
        # App Home and acknowledged modals have no reply channel; the app's DM is where
        # they will look.
        context.client.chat_postMessage(channel=context.user_id, text=message)
