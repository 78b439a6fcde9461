"""Text helpers for Slack mrkdwn."""

from __future__ import annotations

from datetime import datetime


def escape(text: str) -> str:
    """Escape user text so Slack shows it literally: no pings, no links (`&` first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_date(at: datetime) -> str:
    """A time each reader sees in their own time zone (Slack's date formatting)."""
    stamp = int(at.timestamp())
    fallback = at.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>"
