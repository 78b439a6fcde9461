"""Reading people out of command text."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.rules.parsing import parse_mention


def mentions(text: str) -> list[str]:
    return [user for token in text.split() if (user := parse_mention(token))]


def target_rep(text: str, *, default: str) -> str:
    """The one @rep a command names, or the person typing it."""
    found = mentions(text)
    if len(found) > 1:
        raise InvalidInput("Name one rep at a time.")
    if not found and text.strip().startswith("@"):
        raise InvalidInput("Pick the rep from Slack's @-autocomplete so I know who you mean.")
    return found[0] if found else default
