"""Block Kit blocks the messages share (pure)."""

from __future__ import annotations

from typing import Any


def context(text: str) -> dict[str, Any]:
    """A line of small grey mrkdwn under what it qualifies."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
