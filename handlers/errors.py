"""The one error path: known errors become a clear message, unknown ones a reference.

Listeners are wrapped by `guarded` so their errors are reported here and never reach Bolt's
runner: when a listener raises moments after ack(), Bolt resets the recorded ack to None, and a
request thread that had not yet seen the ack answers Slack 404 after 3 s. `app.error` stays as
the net for anything raised outside a listener."""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.core.errors import AorError
from bot.core.logs import log_event

logger = logging.getLogger(__name__)

_NEEDED = ("context", "body")


def register(app: App) -> None:
    app.error(handle_error)


def guarded(listener: Callable[..., None]) -> Callable[..., None]:
    """The listener, reporting its own errors; Bolt injects the same arguments by name."""
    signature = inspect.signature(listener)
    extra = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        for name in _NEEDED
        if name not in signature.parameters
    ]

    def wrapper(**kwargs: Any) -> None:
        try:
            listener(**{k: v for k, v in kwargs.items() if k in signature.parameters})
        except Exception as error:
            handle_error(error, kwargs["body"], kwargs["context"])

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *extra]
    )
    wrapper.__name__ = listener.__name__
    wrapper.__doc__ = listener.__doc__
    return wrapper


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
