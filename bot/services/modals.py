"""Opening a modal: the one Slack call a listener makes before anything is saved, within the
3 s a trigger_id lives. What a failure means is said plainly, never as "something went wrong"."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.errors import InvalidInput, SlackUnavailable
from bot.core.runtime import Runtime
from bot.delivery.client import slack_unavailable

# Slack refuses a trigger_id used late (after 3 s), twice, or never issued.
TRIGGER_ERRORS = frozenset({"expired_trigger_id", "exchanged_trigger_id", "invalid_trigger_id"})
LATE = "That took too long for Slack to open the form, so nothing was done. Please try again."
NOT_OPENED = "Slack is not answering right now, so the form did not open. Try again in a minute."


def open_modal(rt: Runtime, *, team_id: str, trigger_id: str, view: dict[str, Any]) -> None:
    try:
        rt.client_for(team_id).views_open(trigger_id=trigger_id, view=view)
    except (SlackClientError, OSError) as exc:
        if isinstance(exc, SlackApiError) and exc.response.get("error") in TRIGGER_ERRORS:
            raise InvalidInput(LATE) from None
        if slack_unavailable(exc):
            raise SlackUnavailable(NOT_OPENED) from None
        raise
