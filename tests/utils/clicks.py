"""A `block_actions` payload as Slack shapes it, for tests of pure code (no fake Slack)."""

from __future__ import annotations

from typing import Any

TRIGGER = "13345224609.738474920.8088930838d88f008e0"  # the shape Slack's trigger_ids have
URL = "https://hooks.slack.com/actions/T1/1/x"


def click(*actions: Any, **extra: Any) -> dict[str, Any]:
    """A click by UMANAGER in a DM message; `extra` replaces or adds top-level fields."""
    return {
        "type": "block_actions",
        "user": {"id": "UMANAGER", "team_id": "T0001"},
        "team": {"id": "T0001"},
        "trigger_id": TRIGGER,
        "response_url": URL,
        "container": {"type": "message", "is_ephemeral": False},
        "actions": list(actions),
        **extra,
    }
