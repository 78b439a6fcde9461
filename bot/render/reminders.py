"""What a reminder says, and what the admins are told after the last one (pure)."""

from __future__ import annotations

from typing import Any

from bot.core.text import TITLE_CHARS, clip, mention
from bot.render.delegation import with_line
from bot.rules.parsing import format_minutes
from storage.models import Assignment


def _days(n: int) -> str:
    return "1 working day" if n == 1 else f"{n} working days"


def _task(a: Assignment) -> str:
    return f"*{clip(a.title, TITLE_CHARS)}* ({format_minutes(a.minutes)}, {a.cadence})"


def reminder_text(a: Assignment, *, waited: int) -> str:
    """To whoever holds the request: what waits, for how long, and where to decide it."""
    waiting = f" for {_days(waited)}" if waited else ""
    decide_for = (
        f" You decide it for {mention(a.approver_id)}, who is out of office."
        if a.delegate_id
        else ""
    )
    return (
        f"Reminder: {mention(a.requested_by)} asked {mention(a.rep_id)} to take on {_task(a)}, "
        f"and it has waited{waiting} on your decision.{decide_for} The buttons are on the "
        "request's message, and in `/aor pending`."
    )


def for_admin(
    card: dict[str, Any], a: Assignment, *, holder_id: str, pending: bool
) -> dict[str, Any]:
    """The approval card as an admin gets it after the last reminder: why it reached them and,
    while it waits, the buttons (an admin may decide any request)."""
    text = (
        f"{mention(holder_id)} was reminded {a.reminders_sent} times and has not decided. "
        "As an admin of the bot you may decide it here."
        if pending
        else f"This reached you after {mention(holder_id)} was reminded {a.reminders_sent} times."
    )
    told = with_line(card, text, keep_buttons=pending)
    return {**told, "text": f"{_task(a)} for {mention(a.rep_id)}: {text}"}
