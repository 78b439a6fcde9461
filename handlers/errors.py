"""The one error path: known errors become a clear message, unknown ones a reference.

Listeners are wrapped by `guarded` so their errors are reported here and never reach Bolt's
runner: when a listener raises moments after ack(), Bolt resets the recorded ack to None, and a
request thread that had not yet seen the ack answers Slack 404 after 3 s. `app.error` stays as
the net for anything raised outside a listener.

`guarded` also holds the outbox entries a listener commits until it has acknowledged Slack
(the runtime delivers them right after the ack), so a modal is answered before any DM goes,
and acknowledges for a listener that failed before it did: Bolt would otherwise wait out
Slack's 3 s and answer 404.
Listeners are registered only through `handlers.listen`, which applies it; `is_guarded`
tells a wrapped listener from a bare one."""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.core.errors import AorError, Malformed, SlackUnavailable
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.rules.envelope import reply_url
from bot.services.notices import tell
from handlers.replies import ephemeral

logger = logging.getLogger(__name__)

_NEEDED = ("context", "body", "ack")
_MARK = "__aor_guarded__"


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
        rt: Runtime = kwargs["context"]["rt"]
        with rt.deliveries_after_ack() as after_ack:
            ack = kwargs["ack"]
            kwargs["ack"] = after_ack(ack)
            try:
                listener(**{k: v for k, v in kwargs.items() if k in signature.parameters})
            except Exception as error:
                if ack.response is None:
                    kwargs["ack"]()
                handle_error(error, kwargs["body"], kwargs["context"])

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *extra]
    )
    wrapper.__name__ = listener.__name__
    wrapper.__doc__ = listener.__doc__
    setattr(wrapper, _MARK, True)
    return wrapper


def is_guarded(listener: Callable[..., object]) -> bool:
    """Whether `listener` is a `guarded` wrapper."""
    return getattr(listener, _MARK, False) is True


def handle_error(error: Exception, body: dict[str, Any], context: BoltContext) -> None:
    fields: dict[str, Any] = {
        "team": context.team_id,
        "user": context.user_id,
        "request": context.get("request_id"),
    }
    if isinstance(error, AorError):
        message = error.message
        # A payload that does not parse, or Slack not answering, is worth an operator's look.
        level = logging.WARNING if isinstance(error, Malformed | SlackUnavailable) else logging.INFO
        log_event(logger, "refused", level, reason=type(error).__name__, **fields)
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
    respond = context.respond  # set whenever the request carried a response_url
    if reply_url(body) and respond is not None:
        ephemeral(respond, message)
    elif body.get("type") in ("view_submission", "block_actions") and context.user_id:
        # App Home and acknowledged modals have no reply channel; the app's DM is where
        # they will look.
        tell(context["rt"], team_id=context.team_id or "", user_id=context.user_id, text=message)
