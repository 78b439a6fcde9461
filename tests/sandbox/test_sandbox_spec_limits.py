"""SlackSpec and Block Kit limit checks, without HTTP."""

from __future__ import annotations

import json

from sandbox import SlackSpec, block_kit_violations
from sandbox.spec import check_auth


def _section(text: str = "hi", **extra: object) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def test_spec_is_parsed_once_per_process() -> None:
    assert SlackSpec.load() is SlackSpec.load()


def test_scopes_come_from_the_spec_and_the_extra_methods() -> None:
    spec = SlackSpec.load()
    # The snapshot predates granular bot scopes: it names chat:write:bot, not chat:write.
    assert "chat:write:bot" in spec.scopes("chat.postMessage")
    assert spec.scopes("users.info") == ["users:read"]
    assert spec.scopes("files.getUploadURLExternal") == ["files:write"]
    assert spec.scopes("apps.connections.open") == ["connections:write"]


def test_unknown_method_and_missing_required_argument() -> None:
    spec = SlackSpec.load()
    assert spec.check("chat.nonexistent", {}) == ["unknown method 'chat.nonexistent'"]
    assert spec.check("chat.update", {"channel": "C1"}) == ["missing required argument 'ts'"]
    assert spec.check("files.completeUploadExternal", {}) == ["missing required argument 'files'"]


def test_token_argument_is_never_required_but_the_header_is() -> None:
    spec = SlackSpec.load()
    assert spec.check("auth.test", {}) == []
    assert check_auth("Bearer xoxb-1") == []
    assert check_auth(None) and check_auth("Bearer xoxp-user-token")
    # Socket Mode's connection URL takes the app-level token, and only that method does.
    assert check_auth("Bearer xapp-1", "apps.connections.open") == []
    assert check_auth("Bearer xoxb-1", "apps.connections.open")
    assert check_auth("Bearer xapp-1", "chat.postMessage")


def test_message_limits() -> None:
    assert block_kit_violations("chat.postMessage", {"blocks": [_section()] * 50}) == []
    assert block_kit_violations("chat.postMessage", {"blocks": [_section()] * 51}) == [
        "51 blocks, max 50"
    ]
    too_long = [_section("x" * 3001), {"type": "header", "text": {"text": "h" * 151}}]
    assert len(block_kit_violations("chat.update", {"blocks": json.dumps(too_long)})) == 2
    assert block_kit_violations("response_url", {"text": "x" * 40_001})
    fields = {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}
    assert block_kit_violations("chat.postEphemeral", {"blocks": [fields]})


def test_element_limits_and_unique_block_ids() -> None:
    button = {
        "type": "button",
        "action_id": "a" * 256,
        "text": {"type": "plain_text", "text": "b" * 76},
    }
    options = [{"text": {"type": "plain_text", "text": str(i)}, "value": str(i)} for i in range(11)]
    blocks = [
        {"type": "actions", "block_id": "same", "elements": [button]},
        _section(block_id="same", accessory={"type": "checkboxes", "options": options}),
    ]
    problems = block_kit_violations("chat.postMessage", {"blocks": blocks})
    assert len(problems) == 4, problems
    assert any("duplicate block_id 'same'" in p for p in problems)


def test_view_limits() -> None:
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "t" * 24}, "blocks": []}
    assert block_kit_violations("views.open", {"view": modal}) == []
    assert block_kit_violations("views.open", {"view": json.dumps(modal)}) == []
    long_title = modal | {"title": {"type": "plain_text", "text": "t" * 25}}
    assert block_kit_violations("views.push", {"view": long_title})
    assert block_kit_violations("views.update", {"view": {"blocks": []}}) == ["view has no type"]
    home = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    assert block_kit_violations("views.publish", {"view": home}) == ["101 blocks, max 100"]
    assert block_kit_violations("users.info", {"blocks": "not checked"}) == []


def test_option_texts_values_and_counts_are_limited() -> None:
    long = "x" * 76
    checkboxes = {
        "type": "checkboxes",
        "action_id": "c",
        "options": [
            {"text": {"type": "plain_text", "text": long}, "value": "1"},
            {"text": {"type": "plain_text", "text": "ok"}, "value": "v" * 151},
        ],
    }
    overflow = {
        "type": "overflow",
        "action_id": "o",
        "options": [
            {"text": {"type": "plain_text", "text": str(n)}, "value": str(n)} for n in range(6)
        ],
    }
    blocks = [
        {"type": "actions", "block_id": "a", "elements": [checkboxes]},
        {
            "type": "section",
            "block_id": "s",
            "text": {"type": "mrkdwn", "text": "t"},
            "accessory": overflow,
        },
    ]
    problems = block_kit_violations("chat.postMessage", {"channel": "D1", "blocks": blocks})
    assert any("option text is 76 chars, max 75" in p for p in problems)
    assert any("option value is 151 chars, max 150" in p for p in problems)
    assert any("overflow has 6 options, max 5" in p for p in problems)
