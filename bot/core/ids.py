"""Every action_id, block_id and callback_id, defined once (the manifest shares none of them,
but handlers, builders and tests all import these)."""

from enum import StrEnum


class Action(StrEnum):
    decide = "aor_decide"  # value: "<assignment id>:<Decision>"
    note = "aor_decision_note"
    open_add_item = "aor_open_add_item"
    open_settings = "aor_open_settings"
    send_plan = "aor_send_plan"
    item_menu = "aor_item_menu"  # overflow; option value: "edit:<id>" | "retire:<id>"
    plan_check = "aor_plan_check"  # checkboxes; option value: responsibility id
    open_doc = "aor_open_doc"


class Callback(StrEnum):
    add_task = "aor_add_task"
    add_item = "aor_add_item"
    edit_item = "aor_edit_item_view"
    settings = "aor_settings"


class Block(StrEnum):
    """Input block ids of modals (their one element's action_id is the same string);
    view_submission errors are keyed by these."""

    rep = "rep"
    title = "title"
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
    decision = "decision"
