"""Block Kit limits Slack enforces server-side (it answers `invalid_blocks`/`invalid_arguments`).

Checked here so a test fails with a readable reason instead of a production-only error. Limits
are from Slack's Block Kit reference; only the ones our messages and views can plausibly hit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

RESPONSE_URL = "response_url"  # pseudo-method name for posts to a response_url
MESSAGE_METHODS = frozenset(
    {"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage", RESPONSE_URL}
)
VIEW_METHODS = frozenset({"views.open", "views.update", "views.push", "views.publish"})

MAX_MESSAGE_TEXT = 40_000
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELD = 2000
MAX_SECTION_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_OPTIONS = 10  # checkboxes and radio_buttons
MAX_SELECT_OPTIONS = 100  # static_select
MAX_OVERFLOW_OPTIONS = 5
MAX_OPTION_TEXT = 75  # an option's text and description
MAX_OPTION_VALUE = 150
MAX_VIEW_TITLE = 24  # also submit and close
MAX_ID = 255  # action_id, block_id, callback_id
MAX_PRIVATE_METADATA = 3000


def block_kit_violations(method: str, args: Mapping[str, Any]) -> list[str]:
    """Block Kit limit violations in a call's `blocks`/`text` (messages) or `view` (views)."""
    if method in MESSAGE_METHODS:
        return _message(args)
    if method in VIEW_METHODS:
        return _view(args.get("view"))
    return []


def _message(args: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    text = args.get("text")
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        problems.append(f"text is {len(text)} chars, max {MAX_MESSAGE_TEXT}")
    if args.get("blocks") is not None:
        blocks, problems_parsing = _parsed(args["blocks"], "blocks")
        problems += problems_parsing
        if blocks is not None:
            problems += _blocks(blocks, MAX_MESSAGE_BLOCKS)
    return problems


def _view(raw: Any) -> list[str]:
    if raw is None:
        return []  # a missing view is a spec violation, reported by SlackSpec
    view, problems = _parsed(raw, "view")
    if view is None:
        return problems
    if not isinstance(view, dict):
        return ["view must be a JSON object"]
    if not view.get("type"):
        problems.append("view has no type")
    for key in ("title", "submit", "close"):
        problems += _too_long(f"view {key}", _text(view.get(key)), MAX_VIEW_TITLE)
    problems += _too_long("view callback_id", view.get("callback_id"), MAX_ID)
    problems += _too_long(
        "view private_metadata", view.get("private_metadata"), MAX_PRIVATE_METADATA
    )
    return problems + _blocks(view.get("blocks", []), MAX_VIEW_BLOCKS)


def _blocks(blocks: Any, max_blocks: int) -> list[str]:
    if not isinstance(blocks, list):
        return ["blocks must be a JSON array"]
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks, max {max_blocks}")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or not block.get("type"):
            problems.append(f"blocks[{i}] is not an object with a type")
            continue
        where = f"blocks[{i}] ({block['type']})"
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in seen_ids:
                problems.append(f"{where}: duplicate block_id {block_id!r}")
            seen_ids.add(block_id)
            problems += _too_long(f"{where}: block_id", block_id, MAX_ID)
        problems += _block_texts(where, block)
        for element in _elements(block):
            problems += _element(where, element)
    return problems


def _block_texts(where: str, block: dict[str, Any]) -> list[str]:
    if block["type"] == "header":
        return _too_long(f"{where}: text", _text(block.get("text")), MAX_HEADER_TEXT)
    if block["type"] != "section":
        return []
    problems = _too_long(f"{where}: text", _text(block.get("text")), MAX_SECTION_TEXT)
    fields = block.get("fields") or []
    if len(fields) > MAX_SECTION_FIELDS:
        problems.append(f"{where}: {len(fields)} fields, max {MAX_SECTION_FIELDS}")
    for j, field in enumerate(fields):
        problems += _too_long(f"{where}: fields[{j}]", _text(field), MAX_SECTION_FIELD)
    return problems


def _elements(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Interactive elements: `actions` elements, a section `accessory`, an input `element`."""
    if block["type"] == "actions":
        yield from (e for e in block.get("elements", []) if isinstance(e, dict))
    for key in ("accessory", "element"):
        if isinstance(block.get(key), dict):
            yield block[key]


def _element(where: str, element: dict[str, Any]) -> list[str]:
    kind = element.get("type")
    problems = _too_long(f"{where}: {kind} action_id", element.get("action_id"), MAX_ID)
    if kind == "button":
        problems += _too_long(f"{where}: button text", _text(element.get("text")), MAX_BUTTON_TEXT)
        problems += _too_long(f"{where}: button value", element.get("value"), MAX_BUTTON_VALUE)
    options = element.get("options") or []
    most = {
        "checkboxes": MAX_OPTIONS,
        "radio_buttons": MAX_OPTIONS,
        "static_select": MAX_SELECT_OPTIONS,
        "overflow": MAX_OVERFLOW_OPTIONS,
    }.get(str(kind))
    if most is not None and len(options) > most:
        problems.append(f"{where}: {kind} has {len(options)} options, max {most}")
    for option in options:
        if isinstance(option, dict):
            problems += _too_long(
                f"{where}: option text", _text(option.get("text")), MAX_OPTION_TEXT
            )
            problems += _too_long(
                f"{where}: option description", _text(option.get("description")), MAX_OPTION_TEXT
            )
            problems += _too_long(f"{where}: option value", option.get("value"), MAX_OPTION_VALUE)
    return problems


def _parsed(value: Any, name: str) -> tuple[Any, list[str]]:
    """Slack takes blocks/view as JSON strings in forms and as objects in JSON bodies."""
    if isinstance(value, str | bytes):
        try:
            return json.loads(value), []
        except ValueError:
            return None, [f"{name} is not valid JSON"]
    return value, []


def _text(obj: Any) -> str | None:
    return obj.get("text") if isinstance(obj, dict) else None


def _too_long(what: str, value: Any, limit: int) -> list[str]:
    if isinstance(value, str) and len(value) > limit:
        return [f"{what} is {len(value)} chars, max {limit}"]
    return []
