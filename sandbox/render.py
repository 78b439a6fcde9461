"""Block Kit as readable text: what a person would see, for the demo and for debugging."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

Json = dict[str, Any]
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"<!date\^[^|>]*\|([^>]*)>|<!(here|channel|everyone)>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def plain(text: str, names: Mapping[str, str]) -> str:
    """mrkdwn as a reader sees it: mentions as @name, dates as their fallback, no escapes."""
    text = _MENTION.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), text)
    text = _SPECIAL.sub(lambda m: m.group(1) or "@" + m.group(2), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: Any, names: Mapping[str, str]) -> str:
    return plain(obj.get("text", ""), names) if isinstance(obj, dict) else ""


def _element(element: Json, names: Mapping[str, str]) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[ {_text(element.get('text'), names)} ]"
    if kind == "overflow":
        return (
            "[ … "
            + " | ".join(_text(o.get("text"), names) for o in element.get("options", []))
            + " ]"
        )
    if kind in ("checkboxes", "radio_buttons"):
        chosen = {o.get("value") for o in element.get("initial_options", [])}
        if element.get("initial_option"):
            chosen.add(element["initial_option"].get("value"))
        return "\n".join(
            f"{'[x]' if o.get('value') in chosen else '[ ]'} {_text(o.get('text'), names)}"
            for o in element.get("options", [])
        )
    if kind == "static_select":
        initial = element.get("initial_option")
        return f"[ {_text(initial.get('text'), names) if initial else 'choose…'} ▾ ]"
    if kind == "users_select":
        user = element.get("initial_user")
        return f"[ {'@' + names.get(user, user) if user else 'choose a person…'} ▾ ]"
    if kind in ("plain_text_input", "datepicker", "timepicker"):
        value = (
            element.get("initial_value")
            or element.get("initial_date")
            or element.get("initial_time")
        )
        return f"[ {value or '_' * 12} ]"
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    return f"[{kind}]"


def _block(block: Json, names: Mapping[str, str]) -> str:
    kind = block.get("type")
    if kind == "header":
        return f"== {_text(block.get('text'), names)} =="
    if kind == "divider":
        return "-" * 40
    if kind == "section":
        parts = [_text(block.get("text"), names)]
        parts += [_text(f, names) for f in block.get("fields", [])]
        if block.get("accessory"):
            parts.append(_element(block["accessory"], names))
        return "\n".join(p for p in parts if p)
    if kind == "context":
        return "  " + "  ".join(
            _text(e, names) if e.get("type") != "image" else _element(e, names)
            for e in block.get("elements", [])
        )
    if kind == "actions":
        elements = [_element(e, names) for e in block.get("elements", [])]
        joiner = "\n" if any("\n" in e for e in elements) else "  "
        return joiner.join(elements)
    if kind == "input":
        optional = " (optional)" if block.get("optional") else ""
        field = _element(block.get("element", {}), names)
        return f"{_text(block.get('label'), names)}{optional}: {field}"
    return f"[{kind} block]"


def render_blocks(blocks: list[Json], names: Mapping[str, str]) -> str:
    return "\n".join(_block(b, names) for b in blocks)


def render_message(message: Json, names: Mapping[str, str]) -> str:
    blocks = message.get("blocks")
    return render_blocks(blocks, names) if blocks else plain(message.get("text", ""), names)


def render_view(view: Json, names: Mapping[str, str]) -> str:
    title = _text(view.get("title"), names) or ("App Home" if view.get("type") == "home" else "")
    body = render_blocks(view.get("blocks", []), names)
    return f"┌ {title} ┐\n{body}" if title else body
