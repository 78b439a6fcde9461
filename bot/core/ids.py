"""Every action_id, block_id and callback_id, defined once (the manifest shares none of them,
but handlers, builders and tests all import these).

Fixed ids are enum members. Ids built on the fly (and the option values that carry an id) each
have their encoder and decoder side by side here, and, where a listener matches on them, the
pattern it registers with. A decoder raises Malformed on anything it did not encode. A database
id is read only as plain ASCII digits no larger than an id column holds: `str.isdigit()` passes
"²", `int()` takes " 7", "+7" and "7_0", and neither stops where the database does."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.core.errors import Malformed
from storage.enums import Cadence, Decision, Tier


class Action(StrEnum):
    decide = "aor_decide"  # prefix of decide_action_id
    open_add_item = "aor_open_add_item"
    open_settings = "aor_open_settings"
    send_plan = "aor_send_plan"
    item_menu = "aor_item_menu"  # overflow; option values: item_menu_value
    plan_check = "aor_plan_check"  # prefix of plan_check_action_id; option value: item id
    withdraw = "aor_withdraw"  # value: the assignment id
    pushback = "aor_pushback"  # value: the assignment id
    choose_tier = "aor_choose_tier"  # prefix of choose_tier_action_id; value: tier_choice_value


class Callback(StrEnum):
    add_task = "aor_add_task"
    add_item = "aor_add_item"
    edit_item = "aor_edit_item_view"
    settings = "aor_settings"
    pushback = "aor_pushback_view"
    position = "aor_position"
    kpis = "aor_kpis"


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
    holidays = "holidays"
    pushback_why = "pushback_why"
    pushback_drop = "pushback_drop"
    pushback_estimate = "pushback_estimate"
    decision = "decision"  # the decision buttons of an approval message
    position_title = "position_title"
    purpose = "purpose"
    outcomes = "outcomes"
    indicators = "indicators"
    kpis = "kpis"
    values = "values"
    learning = "learning"
    feedback = "feedback"
    change = "change"
    cadence_weeks = "cadence_weeks"


# The largest id a row can have: id columns are INTEGER, a signed 32-bit integer on PostgreSQL
# (64-bit on SQLite); a larger one makes PostgreSQL fail the query ("integer out of range").
MAX_ID = 2**31 - 1
_ID = re.compile(r"[1-9][0-9]{0,9}")
_INDEX = re.compile(r"0|[1-9][0-9]{0,2}")


def parse_id(text: object) -> int | None:
    """A database id written by an encoder here (decimal digits, 1 to MAX_ID), else None."""
    if not isinstance(text, str) or not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def _parse_index(text: str) -> int | None:
    """A small position (0 to 999) written by an encoder here, else None."""
    return int(text) if _INDEX.fullmatch(text) else None


# --- decision buttons ----------------------------------------------------------------------

DECIDE_ACTION = re.compile(rf"^{Action.decide}:")
STALE_BUTTON = (
    "That button is out of date, so nothing was done. Run `/aor pending` for the requests "
    "waiting on you."
)


def decide_action_id(decision: Decision) -> str:
    """Slack wants action_ids unique within a block, so the decision rides in the id."""
    return f"{Action.decide}:{decision}"


def decide_value(assignment_id: int) -> str:
    """A decision button's value: the assignment it decides."""
    return str(assignment_id)


def parse_decide(action_id: str, value: str) -> tuple[int, Decision]:
    """The assignment id (button value) and the decision (action_id suffix)."""
    _, _, suffix = action_id.partition(":")
    assignment_id = parse_id(value)
    if assignment_id is None or suffix not in set(Decision):
        raise Malformed(STALE_BUTTON)
    return assignment_id, Decision(suffix)


def decide_block_id(assignment_id: int) -> str:
    """The actions block of one request in a list of them (App Home, `/aor pending`)."""
    return f"decide-{assignment_id}"


# --- checklist groups ----------------------------------------------------------------------

PLAN_CHECK_ACTION = re.compile(rf"^{Action.plan_check}:")
STALE_CHECKLIST = "That checklist is out of date, so nothing was ticked: `/aor plan` shows today's."


def plan_check_action_id(plan_id: int, group: int) -> str:
    """One checkboxes element of a plan's checklist: the plan and the group's index."""
    return f"{Action.plan_check}:{plan_id}:{group}"


def parse_plan_check_action_id(action_id: str) -> tuple[int, int]:
    """(plan id, group index) from a checkboxes action_id."""
    prefix, plan, group = [*action_id.split(":"), "", ""][:3]
    plan_id, index = parse_id(plan), _parse_index(group)
    if prefix != Action.plan_check or plan_id is None or index is None or action_id.count(":") != 2:
        raise Malformed(STALE_CHECKLIST)
    return plan_id, index


def plan_check_block_id(plan_id: int, group: int) -> str:
    return f"plan-{plan_id}-{group}"


# --- the item menu -------------------------------------------------------------------------


STALE_MENU = "That menu is out of date, so nothing was changed: open the bot's App Home again."


class ItemMenu(StrEnum):
    """The entries of the overflow menu beside an item."""

    edit = "edit"
    retire = "retire"


def item_menu_value(choice: ItemMenu, item_id: int) -> str:
    return f"{choice}:{item_id}"


def parse_item_menu_value(value: str) -> tuple[ItemMenu, int]:
    """(entry, item id) from the selected option's value."""
    choice, _, raw_id = value.partition(":")
    item_id = parse_id(raw_id)
    if choice not in set(ItemMenu) or item_id is None:
        raise Malformed(STALE_MENU)
    return ItemMenu(choice), item_id


# --- withdraw buttons ----------------------------------------------------------------------


def withdraw_block_id(assignment_id: int) -> str:
    """One block per listed request: block ids are unique within a message."""
    return f"{Action.withdraw}:{assignment_id}"


def parse_withdraw_value(value: object) -> int:
    assignment_id = parse_id(value)
    if assignment_id is None:
        raise Malformed(STALE_BUTTON)
    return assignment_id


# --- the tier of an item added without one ---------------------------------------------------

CHOOSE_TIER_ACTION = re.compile(rf"^{Action.choose_tier}:")
STALE_CHOICE = "That choice is out of date, so nothing was added: run `/aor add` again."
_ITEM_CADENCES = (Cadence.daily, Cadence.weekly)


def choose_tier_action_id(tier: Tier) -> str:
    return f"{Action.choose_tier}:{tier}"


def tier_choice_value(*, minutes: int, cadence: Cadence, title: str) -> str:
    """The item waiting for its tier, carried whole by each button (nothing is saved until
    one is pressed): `minutes:cadence:title`."""
    return f"{minutes}:{cadence}:{title}"


def parse_tier_choice(action_id: str, value: str) -> tuple[Tier, int, Cadence, str]:
    """(tier, minutes, cadence, title) from a tier button; the caller re-checks the values
    as it would typed input."""
    _, _, tier = action_id.partition(":")
    raw_minutes, _, rest = value.partition(":")
    cadence, _, title = rest.partition(":")
    minutes = parse_id(raw_minutes)
    if tier not in set(Tier) or minutes is None or cadence not in _ITEM_CADENCES or not title:
        raise Malformed(STALE_CHOICE)
    return Tier(tier), minutes, Cadence(cadence), title


# --- the KPI form: one input per KPI typed each week -----------------------------------------

KPI_BLOCK_PREFIX = "kpi_"


def kpi_block_id(key: str) -> str:
    return f"{KPI_BLOCK_PREFIX}{key}"


def kpi_key_of(block_id: str) -> str | None:
    """The KPI key of a KPI form input, None for any other block."""
    return (
        block_id.removeprefix(KPI_BLOCK_PREFIX) if block_id.startswith(KPI_BLOCK_PREFIX) else None
    )
