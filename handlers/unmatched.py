"""Listeners registered last, for well-formed payloads no other listener took: a button, form,
command or event this version does not know (an old message, a stale modal, an event the app
was not meant to get). Each is acknowledged, so Slack never gets Bolt's 404; a person is told
the thing is out of date, and the log says what it was."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core.errors import Malformed
from bot.core.logs import log_event
from bot.rules.envelope import STALE_ACTION, STALE_FORM, first_input_block
from handlers import listen

logger = logging.getLogger(__name__)

ANY = re.compile(r"")  # matches every id (Bolt searches with the pattern)
OTHER_COMMAND = "I answer only `/aor`: try `/aor help`."


def register(app: App) -> None:
    listen.action(app, ANY, handle_unknown_action)
    listen.view(app, ANY, handle_unknown_view)
    listen.view_closed(app, ANY, handle_view_closed)
    listen.command(app, ANY, handle_unknown_command)
    listen.event(app, ANY, handle_other_event)


def handle_unknown_action(ack: Ack, action: dict[str, Any], context: BoltContext) -> None:
    ack()
    _log_unknown("action", action.get("action_id"), context, logging.INFO)
    # The one error path tells the person beside the click (or in their DM) and warns.
    raise Malformed(STALE_ACTION)


def handle_unknown_view(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    block_id = first_input_block(view)
    if block_id is None:
        ack()  # nothing in it could show the problem: the modal closes
    else:
        ack(response_action="errors", errors={block_id: STALE_FORM})
    _log_unknown("view", view.get("callback_id"), context)


def handle_view_closed(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ack()  # this app's modals do not ask to hear about closing: nothing to do
    log_event(logger, "view.closed", callback=str(view.get("callback_id"))[:80])


def handle_unknown_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    ack(response_type="ephemeral", text=OTHER_COMMAND)
    _log_unknown("command", command.get("command"), context)


def handle_other_event(event: dict[str, Any], context: BoltContext) -> None:
    # Acknowledged by Bolt already (events are); Slack would retry a 404 and in time disable
    # the event subscription.
    log_event(logger, "event.ignored", type=str(event.get("type"))[:80], team=context.team_id)


def _log_unknown(
    what: str, name: object, context: BoltContext, level: int = logging.WARNING
) -> None:
    log_event(
        logger,
        f"{what}.unknown",
        level,
        unknown=str(name)[:80],
        team=context.team_id,
        user=context.user_id,
        request=context.get("request_id"),
    )
