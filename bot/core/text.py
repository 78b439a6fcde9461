"""Text helpers for Slack mrkdwn."""

from __future__ import annotations

from datetime import datetime

# A title (at most 200 characters typed) shown in a list line: generous enough that escaping
# never cuts a real title, small enough that a section of such lines stays under 3000.
TITLE_CHARS = 400


def escape(text: str) -> str:
    """Escape user text so Slack shows it literally: no pings, no links (`&` first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """User text escaped for Slack and cut to at most `limit` characters. Escaping comes first
    because it lengthens text (`<` is 4 characters escaped), and a cut never splits an entity."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_date(at: datetime) -> str:
    """A time each reader sees in their own time zone (Slack's date formatting)."""
    stamp = int(at.timestamp())
    fallback = at.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>"
