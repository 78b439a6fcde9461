"""Whether a payload Slack signed can reach this app's listeners at all: what Bolt reads
before any listener (`envelope_problem`; a body failing it would raise inside Bolt, so the
transport answers 400 first), and what Bolt reads to work out listener arguments and match
listeners, plus what every listener of ours needs (`routing_problem`: a `block_actions` with a
first action that has an `action_id`, a view with a `callback_id` and a `type`, an event with
a `type`, who sent it and from which workspace). The gate middleware answers a payload failing
the second itself: acknowledged at once, the person told where Slack gives a way.
`bot.rules.payloads` then reads each listener's payload into a typed object."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

Json = Mapping[str, Any]

# Slack's ids: users (U/W), teams (T), channels (C/D/G), enterprises (E); upper-case letters
# and digits, at most 32 (the width of every id column).
SLACK_ID = re.compile(r"[A-Z][A-Z0-9]{1,31}")
MAX_ACTION_ID = 255  # Slack's limit for action_id and block_id
# "13345224609.738474920.8088930838d88f008e0": what Slack issues to open a modal with.
TRIGGER_ID = re.compile(r"[0-9]{1,20}\.[A-Za-z0-9]{1,40}\.[0-9a-f]{1,64}")
STALE_FORM = "This form is out of date, so nothing was saved: close it and open it again."
STALE_ACTION = (
    "That button is out of date, so nothing was done. Open the bot's App Home, or run "
    "`/aor pending` for the requests waiting on you."
)
INCOMPLETE_COMMAND = "That command arrived incomplete, so nothing was done. Please try again."

# --- what Bolt reads before any listener ---------------------------------------------------

# Keys whose value Bolt copies into the request context as an id (`user`, `team`, `channel`,
# `enterprise` may also be objects holding an `id`), and the objects it looks inside for them.
_ID_OBJECTS = ("user", "team", "channel", "enterprise")
_ID_STRINGS = (
    "user_id",
    "team_id",
    "channel_id",
    "enterprise_id",
    "app_installed_team_id",
    "response_url",
)
_NESTED = ("event", "message", "previous_message", "item", "assistant_thread", "view")
_MAX_DEPTH = 4


def envelope_problem(body: object) -> str | None:
    """Why Bolt could not read this body without raising, or None when it can."""
    if not isinstance(body, Mapping):
        return "body is not a JSON object"
    if "event" in body and not isinstance(body["event"], Mapping):
        return "event is not an object"
    if "response_urls" in body:
        urls = body["response_urls"]
        if not isinstance(urls, list):
            return "response_urls is not a list"
        if len(urls) > 1:  # Bolt then logs through a context that has no logger yet, and raises
            return "response_urls has more than one entry (this app's modals ask for none)"
        if urls and not (
            isinstance(urls[0], Mapping) and _str_or_none(urls[0].get("response_url"))
        ):
            return "response_urls[0] is not an object with a response_url string"
    return _ids_problem(body, "body")


def _ids_problem(level: Mapping[str, Any], where: str, depth: int = 0) -> str | None:
    authorizations = level.get("authorizations")
    if authorizations is not None:  # read (its first entry) at any level Bolt looks into
        if not isinstance(authorizations, list):
            return f"{where}.authorizations is not a list"
        first = authorizations[0] if authorizations else {}
        if not isinstance(first, Mapping):
            return f"{where}.authorizations[0] is not an object"
        if depth < _MAX_DEPTH and (
            problem := _ids_problem(first, f"{where}.authorizations[0]", depth + 1)
        ):
            return problem
    for key in _ID_OBJECTS:
        value = level.get(key)
        if isinstance(value, Mapping):
            if not _str_or_none(value.get("id")):
                return f"{where}.{key}.id is not a string"
        elif not _str_or_none(value):
            return f"{where}.{key} is neither a string nor an object"
    for key in _ID_STRINGS:
        if not _str_or_none(level.get(key)):
            return f"{where}.{key} is not a string"
    if depth < _MAX_DEPTH:
        for key in _NESTED:
            nested = level.get(key)
            if isinstance(nested, Mapping) and (
                problem := _ids_problem(nested, f"{where}.{key}", depth + 1)
            ):
                return problem
    return None


def _str_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


# --- what every listener of ours needs -----------------------------------------------------

# The payload types this app has listeners for (Bolt answers url_verification and ssl_check).
INTERACTIONS = ("block_actions", "view_submission", "view_closed")


def kind_of(body: Json) -> str:
    """`slash_command`, `event_callback`, an interaction type, or what else the body says."""
    if "command" in body:
        return "slash_command"
    kind = body.get("type")
    return kind if isinstance(kind, str) else "unknown"


def routing_problem(body: Json) -> str | None:
    """Why no listener of this app can take this payload, or None when one can."""
    if _has_unstorable_text(body):
        return "a string holds a NUL character or a lone surrogate"
    kind = kind_of(body)
    if kind == "slash_command":
        return command_problem(body)
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, Mapping) or not isinstance(event.get("type"), str):
            return "event has no type"
        return None if is_slack_id(body.get("team_id")) else "event has no team_id"
    if kind not in INTERACTIONS:
        return f"no listener for payloads of type {kind[:40]!r}"
    if not is_slack_id(_user_id(body)):
        return "user.id is missing or not a Slack id"
    if not is_slack_id(_team_id(body)):
        return "team.id is missing or not a Slack id"
    if kind == "block_actions":
        return first_action_problem(body.get("actions"))
    view = body.get("view")
    if not isinstance(view, Mapping) or not isinstance(view.get("callback_id"), str):
        return "view is missing or has no callback_id"
    if not isinstance(view.get("type"), str):
        return "view has no type"  # Bolt reads it (workflow steps) for every view payload
    return None


def _has_unstorable_text(value: object, depth: int = 0) -> bool:
    """A string no database column can hold (NUL; a lone UTF-16 surrogate, which JSON's
    `\\ud800` escapes allow): Slack never sends one."""
    if isinstance(value, str):
        return "\x00" in value or (not value.isascii() and not _encodes(value))
    if depth > 32:
        return True  # deeper than any payload Slack sends
    if isinstance(value, Mapping):
        items: list[object] = [*value.keys(), *value.values()]
        return any(_has_unstorable_text(v, depth + 1) for v in items)
    if isinstance(value, list):
        return any(_has_unstorable_text(v, depth + 1) for v in value)
    return False


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def command_problem(body: Json) -> str | None:
    for key in ("command", "text", "user_id", "team_id", "response_url", "trigger_id"):
        if not isinstance(body.get(key, ""), str):
            return f"command field {key} is not a string"
    if not is_slack_id(body.get("user_id")) or not is_slack_id(body.get("team_id")):
        return "command has no user_id or team_id"
    if reply_url(body) is None:
        return "command has no response_url"
    if not is_trigger_id(body.get("trigger_id")):
        return "command has no trigger_id"
    return None


def first_action_problem(actions: object) -> str | None:
    if not isinstance(actions, list) or not actions:
        return "actions is not a non-empty list"
    first = actions[0]
    if not isinstance(first, Mapping):
        return "actions[0] is not an object"
    action_id = first.get("action_id")
    if not isinstance(action_id, str) or not 0 < len(action_id) <= MAX_ACTION_ID:
        return "actions[0].action_id is missing or not a string"
    return None


def _user_id(body: Json) -> object:
    user = body.get("user")
    return user.get("id") if isinstance(user, Mapping) else None


def _team_id(body: Json) -> object:
    """Where Bolt finds the workspace of an interaction (`team`, else the user's team)."""
    team = body.get("team")
    if isinstance(team, Mapping):
        return team.get("id")
    user = body.get("user")
    return user.get("team_id") if isinstance(user, Mapping) else None


def is_trigger_id(value: object) -> bool:
    return isinstance(value, str) and TRIGGER_ID.fullmatch(value) is not None


def is_slack_id(value: object) -> bool:
    return isinstance(value, str) and SLACK_ID.fullmatch(value) is not None


def reply_url(body: Json) -> str | None:
    """The response_url Slack signed into this payload, if it is a URL at all."""
    url = body.get("response_url")
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    return url if parts.scheme in ("https", "http") and parts.hostname else None


def first_input_block(view: object) -> str | None:
    """The block id of a view's first input block: where a form-wide error can show."""
    blocks = view.get("blocks") if isinstance(view, Mapping) else None
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, Mapping) and block.get("type") == "input":
            block_id = block.get("block_id")
            if isinstance(block_id, str) and block_id:
                return block_id
    return None
