"""Reading what people see in the fake Slack, and pressing what they would press."""

from __future__ import annotations

import json
from typing import Any

from sandbox import FakeSlack, SlackResult, SlackSide


def all_text(message: dict[str, Any]) -> str:
    """Every string a message or view shows (text fallback and blocks), for assertions."""
    return json.dumps(
        {"text": message.get("text"), "blocks": message.get("blocks")}, ensure_ascii=False
    )


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]


def press_first_button(
    slack: SlackSide, fake: FakeSlack, user_id: str, message: dict
) -> SlackResult:
    """`user_id` clicks the first button of a message in their DM with the app."""
    button = buttons(message)[0]
    return slack.click_button(
        user_id=user_id,
        channel=fake.dm_channel(user_id),
        ts=message["ts"],
        action_id=button["action_id"],
        value=button["value"],
    )


def replies(fake: FakeSlack, response_url: str | None) -> list[str]:
    """Texts posted to one command's response_url, oldest first."""
    return [r.body.get("text", "") for r in fake.responses if r.url == response_url]
