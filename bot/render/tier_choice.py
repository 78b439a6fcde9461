"""The question `/aor add` asks when no tier was typed: which priority, the suggested one
first (pure). Nothing is saved until a button is pressed."""

from __future__ import annotations

from typing import Any

from bot.core.ids import choose_tier_action_id, tier_choice_value
from bot.core.text import TITLE_CHARS, clip, escape, mention
from bot.rules.activity import Suggestion, tier_order
from bot.rules.parsing import format_minutes
from bot.rules.tiers import TIER_ORDER, words
from storage.enums import Cadence, Tier

# The outside tier is the manager's to accept: the rep's button asks them.
_BUTTON: dict[Tier, str] = {
    Tier.first: "First priority",
    Tier.second: "Second priority",
    Tier.outside: "Outside the role: ask your manager",
}


def suggestion_text(suggestion: Suggestion | None) -> str:
    if suggestion is None:
        return "No suggestion: its words match nothing in the activity table."
    return (
        f"Suggested: *{words(suggestion.tier).in_sentence}*, because it mentions "
        f"“{escape(suggestion.phrase)}”."
    )


def build_tier_choice(
    *, title: str, minutes: int, cadence: Cadence, suggestion: Suggestion | None
) -> dict[str, Any]:
    """The ephemeral answer to `/aor add TITLE DURATION` without a tier."""
    item = f"*{clip(title, TITLE_CHARS)}* ({format_minutes(minutes)} {cadence})"
    suggested = suggestion.tier if suggestion else None
    value = tier_choice_value(minutes=minutes, cadence=cadence, title=title)
    buttons = [
        {
            "type": "button",
            "action_id": choose_tier_action_id(tier),
            "text": {
                "type": "plain_text",
                "text": f"{_BUTTON[tier]} (suggested)" if tier == suggested else _BUTTON[tier],
            },
            "value": value,
            **({"style": "primary"} if tier == suggested else {}),
        }
        for tier in tier_order(suggested, TIER_ORDER)
    ]
    return {
        "text": f"Which priority is {escape(title)}?",
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"Which priority is {item}?\n{suggestion_text(suggestion)}",
                },
            },
            {"type": "actions", "elements": buttons},
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": "Nothing is added to your AOR until you choose."}
                ],
            },
        ],
    }


def added_text(title: str, tier: str, minutes: int, cadence: str) -> str:
    return (
        f"Added to your AOR at {words(tier).in_sentence}: *{escape(title)}* "
        f"({format_minutes(minutes)} {cadence})."
    )


def asked_outside_text(
    *, title: str, minutes: int, cadence: str, approver_id: str, reader: str, landed: bool
) -> str:
    """The rep chose "outside the role" for their own item: a request for their approver."""
    item = f"*{escape(title)}* ({format_minutes(minutes)} {cadence})"
    if approver_id == reader:
        return f"Saved as a request: {item}. It is yours to decide: the buttons are in your DM."
    sent = "Sent" if landed else "Queued (Slack did not take it yet; it is retried)"
    return (
        f"{sent} to {mention(approver_id)} for a decision: {item}. Outside-the-role work "
        "joins your AOR only if they accept it."
    )
