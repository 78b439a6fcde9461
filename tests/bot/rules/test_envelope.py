"""Whether a payload can reach this app's listeners: what Bolt itself needs
(`envelope_problem`) and what every listener needs (`routing_problem`)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_bolt.kwargs_injection.utils import build_required_kwargs
from slack_bolt.request import BoltRequest

from bot.rules.envelope import envelope_problem, reply_url, routing_problem
from tests.utils.clicks import URL, click

# --- what Bolt reads before any listener ---------------------------------------------------


# Bodies Bolt raises on while it builds its request or runs its own middleware.
RAISING = [
    {"user": 7},
    {"team": 7},
    {"user": ["id"]},
    {"channel": {"id": None, "name": 3}, "enterprise": 5},
    {"event": "x"},
    {"event": None},
    {"event": {"type": "message", "user": 7}},
    {"event": {"type": "x", "item": {"channel": 7}}},
    {"authorizations": 7},
    {"authorizations": ["x"]},
    {"response_urls": 7},
    {"message": {"user": 7}},
]
# Bodies Bolt takes, putting a non-string where every listener expects an id or a URL.
NOT_STRINGS = [
    {"user": {"id": 7}},
    {"authorizations": [{"team_id": 7}]},
    {"response_urls": [{"response_url": 7}]},
    {"response_url": 7},
    {"view": {"app_installed_team_id": 7}},
]


@pytest.mark.parametrize("body", RAISING + NOT_STRINGS)
def test_bodies_bolt_cannot_read_safely_are_named(body: dict[str, Any]) -> None:
    assert envelope_problem(body) is not None
    if body in RAISING:
        with pytest.raises((TypeError, AttributeError)):
            _bolt_reads(body)


def _bolt_reads(body: dict[str, Any]) -> None:
    """What Bolt does with a body before the first middleware of the app runs."""
    request = BoltRequest(body=json.dumps(body), headers={"content-type": "application/json"})
    request.body.get("event", {}).get("bot_id")  # its IgnoringSelfEvents middleware
    build_required_kwargs(  # each listener argument, worked out before each middleware function
        logger=logging.getLogger(__name__),
        required_arg_names=[],
        request=request,
        response=None,
    )


KEYS = st.sampled_from(
    [
        "type",
        "user",
        "team",
        "channel",
        "enterprise",
        "event",
        "message",
        "view",
        "actions",
        "authorizations",
        "response_urls",
        "response_url",
        "callback_id",
        "action_id",
        "id",
        "team_id",
        "user_id",
        "command",
        "state",
    ]
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.sampled_from(["block_actions", "view_submission", "view_closed", "event_callback"]),
)
BODIES = st.dictionaries(
    KEYS,
    st.recursive(
        LEAVES,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner)),
        max_leaves=12,
    ),
    max_size=8,
)


@settings(max_examples=400)
@given(BODIES)
def test_a_body_both_checks_pass_never_makes_bolt_raise(body: dict[str, Any]) -> None:
    if envelope_problem(body) is None and routing_problem(body) is None:
        _bolt_reads(body)
    elif envelope_problem(body) is None:
        BoltRequest(body=json.dumps(body), headers={"content-type": "application/json"})


# --- what every listener needs -------------------------------------------------------------


def test_a_click_slack_could_send_is_routable() -> None:
    assert routing_problem(click({"action_id": "x"})) is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (click(), "actions is not a non-empty list"),
        ({**click(), "actions": None}, "actions is not a non-empty list"),
        (click({"value": "1"}), "action_id is missing"),
        (click({"action_id": 7}), "action_id is missing"),
        ({**click({"action_id": "x"}), "user": None}, "user.id"),
        ({**click({"action_id": "x"}), "user": {"id": "u$"}}, "user.id"),
        ({**click({"action_id": "x"}), "user": {"id": "U" * 40}}, "user.id"),
        ({**click({"action_id": "x"}), "team": None, "user": {"id": "UX"}}, "team.id"),
        (click({"action_id": "x\x00"}), "NUL"),
        (click({"action_id": "\ud800"}), "surrogate"),
        ({"type": "view_submission", "user": {"id": "UX"}, "team": {"id": "TX"}}, "view"),
        ({"type": "shortcut", "callback_id": "x"}, "no listener"),
        ({"type": "event_callback", "team_id": "T1", "event": {}}, "event has no type"),
        ({"command": "/aor", "user_id": "UX", "team_id": "TX"}, "response_url"),
    ],
)
def test_what_no_listener_can_take_is_named(body: dict[str, Any], reason: str) -> None:
    problem = routing_problem(body)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    ("url", "usable"),
    [
        (URL, True),
        ("http://127.0.0.1:9/r/1", True),
        ("https://", False),
        ("ftp://x/y", False),
        ("not a url", False),
        ("http://[", False),
        (7, False),
    ],
)
def test_a_reply_url_is_a_web_address(url: object, usable: bool) -> None:
    assert (reply_url({"response_url": url}) is not None) is usable
