"""Answering beside what the person clicked or typed, through the response_url Slack signed
into that very payload (never one carried in a modal's private_metadata). The action is done
by then: a response_url that takes nothing (expired, used up, not a URL at all) is a warning,
not a failure of the action."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk.errors import SlackClientError

from bot.core.logs import log_event

logger = logging.getLogger(__name__)


def reply(respond: Respond, **message: Any) -> bool:
    """Post `message` to the response_url; False (and a warning) when it took nothing."""
    try:
        response = respond(**message)
    except (SlackClientError, OSError, ValueError) as error:
        log_event(logger, "reply.undelivered", logging.WARNING, error=type(error).__name__)
        return False
    if response.status_code != 200:
        log_event(logger, "reply.undelivered", logging.WARNING, status=response.status_code)
        return False
    return True


def ephemeral(respond: Respond, text: str) -> bool:
    """`text` for the person only, beside what they clicked or typed."""
    return reply(respond, text=text, response_type="ephemeral", replace_original=False)
