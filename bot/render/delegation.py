"""An approval card as the delegate, the absent approver and a former delegate see it (pure):
the same card, with who holds it said plainly, and the buttons only where they can be used."""

from __future__ import annotations

from typing import Any

from bot.core.text import mention
from bot.render.blocks import context

_DECIDING = ("input", "actions")


def with_line(
    card: dict[str, Any], text: str, *, keep_buttons: bool, header: str | None = None
) -> dict[str, Any]:
    """The card with `text` under its summary; without the note and buttons unless kept."""
    blocks = [b for b in card["blocks"] if keep_buttons or b["type"] not in _DECIDING]
    if header is not None and blocks and blocks[0]["type"] == "header":
        blocks[0] = {"type": "header", "text": {"type": "plain_text", "text": header}}
    # Under the header and the summary: read right after what the request is.
    return {**card, "blocks": [*blocks[:2], context(text), *blocks[2:]]}


def for_delegate(card: dict[str, Any], *, approver_id: str, pending: bool) -> dict[str, Any]:
    if pending:
        text = f"You decide this for {mention(approver_id)}, who is out of office."
    else:
        text = f"You held this for {mention(approver_id)} while they were out of office."
    return with_line(card, text, keep_buttons=True)


def for_absent_approver(card: dict[str, Any], *, delegate_id: str, pending: bool) -> dict[str, Any]:
    if not pending:
        text = f"{mention(delegate_id)} held this for you while you were out of office."
        return with_line(card, text, keep_buttons=False)
    # The buttons stay: an approver who looks in while away may still decide it themself.
    text = (
        f"{mention(delegate_id)} holds this while you are out of office; if it is still "
        "waiting when you are back, it comes back to you."
    )
    return with_line(card, text, keep_buttons=True)


def handed_back(card: dict[str, Any], *, approver_id: str) -> dict[str, Any]:
    text = f"Handed back to {mention(approver_id)}, who is back: nothing more for you to do."
    return with_line(card, text, keep_buttons=False, header="Handed back: new work")
