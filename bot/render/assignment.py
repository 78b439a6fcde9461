"""Block Kit for an assignment: the approver's decision DM and the rep's DM (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.core.ids import Block, decide_action_id, decide_value
from bot.core.text import TITLE_CHARS, clip, escape, mention, slack_date, truncate
from bot.render.blocks import context
from bot.render.capacity import nothing_committed, over_note
from bot.render.words import PLANNED_SHARE, asker, split_note
from bot.rules.capacity import Load
from bot.rules.parsing import format_minutes
from bot.rules.tiers import DECISION_TIER, words
from storage.enums import AssignmentStatus, Decision, DeliveryState
from storage.models import Assignment


class ApproverRoute(StrEnum):
    """Why a request went to its approver."""

    manager = "manager"  # the rep's manager of record
    admin = "admin"  # the rep has none: an admin of the bot decides


BUTTON_TEXT: dict[Decision, str] = {
    Decision.join_first: "Join AOR: first priority",
    Decision.join_second: "Join AOR: second priority",
    Decision.one_off: "One-off outside AOR",
    Decision.decline: "Decline",
}


@dataclass(frozen=True)
class AssignmentView:
    """What the messages show of an assignment (titles and details unescaped)."""

    id: int
    title: str
    details: str
    minutes: int
    cadence: str
    due: str | None  # ISO date
    rep_id: str
    requested_by: str
    approver_id: str
    status: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    tier: str | None = None
    note: str | None = None
    suggested: str | None = None  # the tier its words suggest (the activity table), if any
    rep_name: str = ""  # for plain text (headers, notifications), where a mention shows raw


def view_of(a: Assignment) -> AssignmentView:
    return AssignmentView(
        id=a.id or 0,
        title=a.title,
        details=a.details,
        minutes=a.minutes,
        cadence=a.cadence,
        due=a.due.isoformat() if a.due else None,
        rep_id=a.rep_id,
        requested_by=a.requested_by,
        approver_id=a.approver_id,
        status=a.status,
        decided_by=a.decided_by,
        decided_at=a.decided_at,
        tier=a.tier,
        note=a.note,
    )


def task_line(a: AssignmentView) -> str:
    parts = [f"estimate {format_minutes(a.minutes)}", a.cadence]
    if a.due:
        parts.append(f"due {a.due}")
    return f"*{clip(a.title, TITLE_CHARS)}* ({', '.join(parts)})"


def _hours(load: Load) -> str:
    if not load.total:
        return nothing_committed(load)
    return (
        f"{format_minutes(load.total)} of {format_minutes(load.capacity)}{split_note(load.of)}, "
        f"{PLANNED_SHARE} {load.selling_share:.0%}{over_note(load)}"
    )


def impact_text(
    rep_id: str, before: Load, after: dict[Decision, Load], *, suggested: str | None = None
) -> str:
    lines = [f"*Impact on {mention(rep_id)}'s week* (committed hours vs capacity)"]
    lines.append(f"Now: {_hours(before)}")
    for decision, load in after.items():
        result = "no change" if load == before else f"-> {_hours(load)}"
        tier = DECISION_TIER[decision]
        mark = " _(suggested)_" if tier is not None and tier == suggested else ""
        lines.append(f"• {BUTTON_TEXT[decision]}{mark}: {result}")
    return "\n".join(lines)


def _outcome(a: AssignmentView, whose: str) -> str:
    """What was decided, with the AOR named `whose` ("your", "<@U1>'s", "Rob's")."""
    return {
        AssignmentStatus.joined: f"joined {whose} AOR at "
        f"{words(a.tier).in_sentence if a.tier else 'a tier'}",
        AssignmentStatus.one_off: f"a one-off outside {whose} AOR",
        AssignmentStatus.declined: f"declined, kept out of {whose} AOR",
        AssignmentStatus.withdrawn: "withdrawn",
    }.get(AssignmentStatus(a.status), a.status)


def decided_headline(a: AssignmentView) -> str:
    """Plain text (a header, a notification), where a mention would show as raw markup."""
    whose = f"{a.rep_name or 'the rep'}'s"
    return f"Decided: {_outcome(a, whose)}"


def outcome_text(a: AssignmentView, *, reader: str | None = None) -> str:
    """The decision in one line (and its note), worded for `reader`: "you" when they decided,
    "your AOR" when it is theirs."""
    when = slack_date(a.decided_at) if a.decided_at else ""
    if a.decided_by is None:
        who = "someone"
    else:
        who = "you" if a.decided_by == reader else mention(a.decided_by)
    if a.status == AssignmentStatus.withdrawn:
        return f"*Withdrawn* by {who} {when}: nothing needs deciding."
    whose = "your" if a.rep_id == reader else f"{mention(a.rep_id)}'s"
    note = f"\nNote: {escape(a.note)}" if a.note else ""
    return f"*Decided*: {_outcome(a, whose)}, by {who} {when}.{note}"


def _details(a: AssignmentView) -> str:
    return f"\n{clip(a.details, 1500)}" if a.details else ""


def build_approval_message(
    a: AssignmentView, *, before: Load, after: dict[Decision, Load]
) -> dict[str, Any]:
    """The approver's DM: the task, who asked, the impact of each option, and the buttons
    (or the outcome once decided)."""
    asked = asker(a.requested_by, a.approver_id)
    summary = f"{asked} {mention(a.rep_id)} to take on {task_line(a)}{_details(a)}"
    pending = a.status == AssignmentStatus.pending
    header = "Decision needed: new work" if pending else truncate(_state_line(a, header=True), 150)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header}},
        {"type": "section", "text": {"type": "mrkdwn", "text": summary}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": impact_text(a.rep_id, before, after, suggested=a.suggested),
            },
        },
    ]
    if pending:
        blocks.append(
            {
                "type": "input",
                "block_id": Block.note,
                "optional": True,
                "label": {"type": "plain_text", "text": "Note for the rep"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": Block.note,
                    "max_length": 500,
                },
            }
        )
        blocks.append(decision_buttons(a.id))
    else:
        outcome = outcome_text(a, reader=a.approver_id)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": outcome}})
    return {"text": escape(f"{_state_line(a)}: {a.title}"), "blocks": blocks}


def _state_line(a: AssignmentView, *, header: bool = False) -> str:
    """What the card is now, in plain text (its header, or a notification before the title):
    never a state that is over."""
    if a.status == AssignmentStatus.pending:
        return "Decision needed"
    if a.status == AssignmentStatus.withdrawn:
        return "Withdrawn: nothing to decide" if header else "Withdrawn"
    return decided_headline(a)


def decision_buttons(assignment_id: int, block_id: str = Block.decision) -> dict[str, Any]:
    styles = {Decision.join_first: "primary", Decision.decline: "danger"}
    return {
        "type": "actions",
        "block_id": block_id,
        "elements": [
            {
                "type": "button",
                "action_id": decide_action_id(decision),
                "text": {"type": "plain_text", "text": text},
                "value": decide_value(assignment_id),
                **({"style": styles[decision]} if decision in styles else {}),
            }
            for decision, text in BUTTON_TEXT.items()
        ],
    }


def build_rep_message(a: AssignmentView) -> dict[str, Any]:
    """The rep's DM: what was asked of them and, later, what was decided."""
    asked = f"{mention(a.requested_by)} asked you to take on {task_line(a)}{_details(a)}"
    if a.status == AssignmentStatus.pending:
        status = (
            f"Waiting on {mention(a.approver_id)} to decide: join your AOR, "
            "a one-off outside it, or decline."
        )
    else:
        status = outcome_text(a, reader=a.rep_id)
    return {
        "text": escape(
            f"New request: {a.title}"
            if a.status == AssignmentStatus.pending
            else f"{decided_headline(a)}: {a.title}"
        ),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": asked}},
            context(status),
        ],
    }


def _route_note(a: AssignmentView, route: ApproverRoute) -> str:
    """Why this approver: said when it is not simply the rep's manager of record."""
    if route == ApproverRoute.admin:
        return f" {mention(a.rep_id)} has no manager of record, so an admin of the bot decides."
    return ""


def created_text(
    a: AssignmentView, state: DeliveryState, *, route: ApproverRoute = ApproverRoute.manager
) -> str:
    """The requester's answer once the approver's DM has been tried: who decides (the
    requester themself when they are the rep's manager of record or an admin) and why."""
    line = f"{task_line(a)} for {mention(a.rep_id)}"
    yours = a.requested_by == a.approver_id
    note = _route_note(a, route)
    if yours:
        role = (
            f"{mention(a.rep_id)}'s manager of record"
            if route == ApproverRoute.manager
            else "an admin of the bot"
        )
        note = f" It is yours to decide, as {role}."
    if state == DeliveryState.landed:
        if yours:
            return f"Saved: {line}.{note} The buttons are in your DM with me."
        return (
            f"Sent to {mention(a.approver_id)} for a decision: {line}.{note} "
            f"{mention(a.approver_id)} chooses to join the AOR, make it a one-off outside it, "
            "or decline; you'll hear which."
        )
    to, they = ("you", "You") if yours else (mention(a.approver_id), "They")
    if state == DeliveryState.dead:
        return (
            f"Saved request #{a.id}: {line}, but Slack would not deliver the DM to "
            f"{to}.{note} {they} can still decide it from `/aor pending` or the "
            "bot's App Home; whoever runs the bot can see why in its logs."
        )
    return (
        f"Saved request #{a.id}: {line}.{note} The DM to {to} is delayed (Slack "
        "did not take it); it is queued and will be retried automatically."
    )


def decided_text(a: AssignmentView, update: DeliveryState, *, in_list: bool) -> str | None:
    """What the person who decided is told: nothing when the approval message they clicked in
    now shows the outcome; otherwise the outcome, and whether that message shows it yet."""
    outcome = outcome_text(a, reader=a.decided_by)
    if update == DeliveryState.landed:
        return outcome if in_list else None
    if update == DeliveryState.dead:
        return (
            f"{outcome}\n(The request's message could not be updated: Slack refused the change, "
            "so it may still show the buttons. The decision stands.)"
        )
    return (
        f"{outcome}\n(The request's message will update shortly: Slack did not take the "
        "change yet.)"
    )
