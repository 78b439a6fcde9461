"""The rep's voice on a request (pure): their DM with what it does to their week and the
Push back button, the push-back modal and its reading, and the push-back on the approver's
card above the buttons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.errors import InvalidInput
from bot.core.ids import Action, Block, Callback, decide_value
from bot.core.text import TITLE_CHARS, clip, escape, mention, slack_date
from bot.render.assignment import BUTTON_TEXT, AssignmentView, build_rep_message
from bot.render.blocks import context
from bot.render.capacity import nothing_committed, over_note
from bot.render.forms import FieldErrors, submitted
from bot.render.modals import DURATION_HINT, ModalMeta, input_block, modal_view, text_element
from bot.rules.capacity import Load
from bot.rules.parsing import format_minutes, parse_duration
from storage.enums import AssignmentStatus, Decision

NOTE_CHARS = 500
MAX_OPTIONS = 100  # a static select's limit
OPTION_CHARS = 75


@dataclass(frozen=True)
class Pushback:
    note: str
    item_title: str | None  # the rep's item that would drop or slip
    minutes: int | None  # the rep's own estimate, when it differs
    at: datetime | None = None


@dataclass(frozen=True)
class PushbackForm:
    note: str
    item_id: int | None
    minutes: int | None


def _week(load: Load) -> str:
    if not load.total:
        return nothing_committed(load)
    return f"{format_minutes(load.total)} of {format_minutes(load.capacity)}{over_note(load)}"


def _impact_lines(before: Load, after: Mapping[Decision, Load]) -> list[str]:
    lines = [f"Now: {_week(before)}"]
    for decision, load in after.items():
        lines.append(f"• {BUTTON_TEXT[decision]}: {'no change' if load == before else _week(load)}")
    return lines


def pushback_button(assignment_id: int, *, edit: bool) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": Action.pushback,
        "elements": [
            {
                "type": "button",
                "action_id": Action.pushback,
                "text": {"type": "plain_text", "text": "Push back (edit)" if edit else "Push back"},
                "value": decide_value(assignment_id),
            }
        ],
    }


def _said(p: Pushback, *, heading: str, whose: str) -> str:
    """The push-back in a few lines, under `heading` ("Your push-back", "@rob pushed back")."""
    lines = [f"*{heading}*{f' {slack_date(p.at)}' if p.at else ''}: {escape(p.note)}"]
    if p.item_title:
        lines.append(f"Would drop or slip: *{clip(p.item_title, TITLE_CHARS)}*")
    if p.minutes is not None:
        lines.append(f"{whose} estimate: {format_minutes(p.minutes)}")
    return "\n".join(lines)


def build_rep_request(
    a: AssignmentView,
    *,
    before: Load,
    after: Mapping[Decision, Load],
    pushback: Pushback | None,
    waiting_since: datetime | None = None,
    reminders: int = 0,
    delegate_id: str | None = None,
) -> dict[str, Any]:
    """The rep's DM: the request, what each decision does to their week, and while it waits
    how long it has waited and the Push back button (or, once they pushed back, what they
    said and an edit button)."""
    message = build_rep_message(a)
    heading = "*What this does to your week* (committed hours vs capacity)"
    week = "\n".join([heading, *_impact_lines(before, after)])
    blocks = [message["blocks"][0], {"type": "section", "text": {"type": "mrkdwn", "text": week}}]
    if pushback is not None:
        said = _said(pushback, heading="Your push-back", whose="Your")
        sent = (
            f"{said}\nSent to {mention(a.approver_id)}"
            if a.status == AssignmentStatus.pending
            else said
        )
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": sent}})
    blocks.extend(message["blocks"][1:])
    if a.status == AssignmentStatus.pending:
        if delegate_id is not None:
            who = f"{mention(delegate_id)} decides it while {mention(a.approver_id)}"
            blocks.append(context(f"{who} is out of office."))
        if waiting_since is not None:
            blocks.append(context(_waiting(waiting_since, reminders)))
        blocks.append(pushback_button(a.id, edit=pushback is not None))
    return {**message, "blocks": blocks}


def _waiting(since: datetime, reminders: int) -> str:
    chased = {0: "", 1: "; reminded once"}.get(reminders, f"; reminded {reminders} times")
    return f"Waiting since {slack_date(since)}{chased}."


def with_pushback(
    card: dict[str, Any],
    a: AssignmentView,
    pushback: Pushback | None,
    *,
    estimate_after: Mapping[Decision, Load] | None,
    before: Load,
) -> dict[str, Any]:
    """The approver's card with the rep's push-back above the note and buttons, and what the
    rep's own estimate would do to their week."""
    if pushback is None:
        return card
    text = _said(pushback, heading=f"{mention(a.rep_id)} pushed back", whose="Their")
    if estimate_after is not None and pushback.minutes is not None:
        lines = _impact_lines(before, estimate_after)[1:]
        text += f"\n*With their estimate of {format_minutes(pushback.minutes)}*:\n" + "\n".join(
            lines
        )
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    blocks = list(card["blocks"])
    # Above the note and buttons while pending; above the outcome once decided.
    at = next(
        (i for i, b in enumerate(blocks) if b["type"] in ("input", "actions")), len(blocks) - 1
    )
    return {**card, "blocks": [*blocks[:at], section, *blocks[at:]]}


def _option(item_id: int, title: str) -> dict[str, Any]:
    return {
        "text": {"type": "plain_text", "text": clip(title, OPTION_CHARS)},
        "value": str(item_id),
    }


def build_pushback_modal(
    a: AssignmentView,
    items: Sequence[tuple[int, str]],
    current: Pushback | None,
    *,
    current_item_id: int | None,
) -> dict[str, Any]:
    """Why (required), which of their items would drop or slip, their own estimate."""
    why = text_element(current.note if current else None, multiline=True, max_length=NOTE_CHARS)
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"{mention(a.requested_by)} asked you to take on "
                f"*{clip(a.title, TITLE_CHARS)}* ({format_minutes(a.minutes)}, {a.cadence}). "
                f"{mention(a.approver_id)} sees your answer before deciding.",
            },
        },
        input_block(Block.pushback_why, "Why", why, hint="What it would cost you, plainly."),
    ]
    options = [_option(i, t) for i, t in items[:MAX_OPTIONS]]
    if options:
        drop: dict[str, Any] = {"type": "static_select", "options": options}
        chosen = next((o for o in options if o["value"] == str(current_item_id)), None)
        if chosen is not None:
            drop["initial_option"] = chosen
        blocks.append(
            input_block(Block.pushback_drop, "What would drop or slip", drop, optional=True)
        )
    estimate = text_element(
        format_minutes(current.minutes) if current and current.minutes else None, max_length=10
    )
    blocks.append(
        input_block(
            Block.pushback_estimate,
            "Your estimate, if it differs",
            estimate,
            optional=True,
            hint=DURATION_HINT,
        )
    )
    return modal_view(Callback.pushback, "Push back", "Send", blocks, ModalMeta(assignment_id=a.id))


def read_pushback_form(values: Mapping[str, Any]) -> PushbackForm:
    errors: dict[str, str] = {}
    note = (submitted(values, Block.pushback_why) or "").strip()
    if not note:
        errors[Block.pushback_why] = "Say why, e.g. 'Takes 5h, not 5 minutes: my calls slip.'"
    raw_item = submitted(values, Block.pushback_drop)
    item_id = int(raw_item) if raw_item and raw_item.isascii() and raw_item.isdigit() else None
    minutes = None
    raw = submitted(values, Block.pushback_estimate)
    if raw:
        try:
            minutes = parse_duration(raw)
        except InvalidInput as exc:
            errors[Block.pushback_estimate] = exc.message
    if errors:
        raise FieldErrors(errors)
    return PushbackForm(note=note[:NOTE_CHARS], item_id=item_id, minutes=minutes)
