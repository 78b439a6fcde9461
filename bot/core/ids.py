"""Every action_id, block_id and callback_id, defined once (the manifest shares none of them,
but handlers, builders and tests all import these).

Fixed ids are enum members. Ids built on the fly (and the option values that carry an id) each
have their encoder and decoder side by side here, and, where a listener matches on them, the
pattern it registers with. A decoder raises InvalidInput on anything it did not encode."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.core.errors import InvalidInput
from storage.enums import Decision


class Action(StrEnum):
    decide = "aor_decide"  # prefix of decide_action_id
    open_add_item = "aor_open_add_item"
    open_settings = "aor_open_settings"
    send_plan = "aor_send_plan"
    item_menu = "aor_item_menu"  # overflow; option values: item_menu_value
    plan_check = "aor_plan_check"  # prefix of plan_check_action_id; option value: item id


class Callback(StrEnum):
    add_task = "aor_add_task"
    add_item = "aor_add_item"
    edit_item = "aor_edit_item_view"
    settings = "aor_settings"


class Block(StrEnum):
    """Input block ids of modals (their one element's action_id is the same string);
    view_submission errors are keyed by these."""

    rep = "rep"
    title_text = "title"  # not `title`: that would shadow str.title on every member
    details = "details"
    duration = "duration"
    cadence = "cadence"
    due = "due"
    tier = "tier"
    note = "note"
    plan_time = "plan_time"
    workdays = "workdays"
    capacity = "capacity"
    tz = "tz"
    decision = "decision"  # the decision buttons of an approval message


# --- decision buttons ----------------------------------------------------------------------

DECIDE_ACTION = re.compile(rf"^{Action.decide}:")
_UNKNOWN_BUTTON = "That button is not one I know; it may be from an old version."


def decide_action_id(decision: Decision) -> str:
    """Slack wants action_ids unique within a block, so the decision rides in the id."""
    return f"{Action.decide}:{decision}"


def decide_value(assignment_id: int) -> str:
    """A decision button's value: the assignment it decides."""
    return str(assignment_id)


def parse_decide(action_id: str, value: str) -> tuple[int, Decision]:
    """The assignment id (button value) and the decision (action_id suffix)."""
    _, _, suffix = action_id.partition(":")
    try:
        return int(value), Decision(suffix)
    except ValueError:
        raise InvalidInput(_UNKNOWN_BUTTON) from None


def decide_block_id(assignment_id: int) -> str:
    """The actions block of one request in a list of them (App Home, `/aor pending`)."""
    return f"decide-{assignment_id}"


# --- checklist groups ----------------------------------------------------------------------

PLAN_CHECK_ACTION = re.compile(rf"^{Action.plan_check}:")


def plan_check_action_id(plan_id: int, group: int) -> str:
    """One checkboxes element of a plan's checklist: the plan and the group's index."""
    return f"{Action.plan_check}:{plan_id}:{group}"


def parse_plan_check_action_id(action_id: str) -> tuple[int, int]:
    """(plan id, group index) from a checkboxes action_id."""
    _, plan, group = [*action_id.split(":"), "", ""][:3]
    if not (_is_number(plan) and _is_number(group)):
        raise InvalidInput("That checklist is not one I know.")
    return int(plan), int(group)


def plan_check_block_id(plan_id: int, group: int) -> str:
    return f"plan-{plan_id}-{group}"


# --- the item menu -------------------------------------------------------------------------


class ItemMenu(StrEnum):
    """The entries of the overflow menu beside an item."""

    edit = "edit"
    retire = "retire"


def item_menu_value(choice: ItemMenu, item_id: int) -> str:
    return f"{choice}:{item_id}"


def parse_item_menu_value(value: str) -> tuple[ItemMenu, int]:
    """(entry, item id) from the selected option's value."""
    choice, _, raw_id = value.partition(":")
    if choice not in set(ItemMenu) or not _is_number(raw_id):
        raise InvalidInput("That menu entry is not one I know.")
    return ItemMenu(choice), int(raw_id)


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()
