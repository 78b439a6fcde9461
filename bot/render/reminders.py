"""What a reminder says, and what the admins are told after the last one (pure)."""

from __future__ import annotations

from typing import Any

from bot.core.text import TITLE_CHARS, clip, mention
from bot.render.assignment import decision_buttons
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


def admins_told_text(a: Assignment, *, holder_id: str, waited: int) -> dict[str, Any]:
    """To each admin after the last reminder, with the buttons: an admin may decide it."""
    waiting = f"has waited {_days(waited)}" if waited else "is still waiting"
    text = (
        f"{_task(a)} for {mention(a.rep_id)}, asked by {mention(a.requested_by)}, {waiting}: "
        f"{mention(holder_id)} was reminded {a.reminders_sent} times and has not decided. "
        "As an admin of the bot you may decide it here."
    )
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            decision_buttons(a.id or 0),
        ],
    }
