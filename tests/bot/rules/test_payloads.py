"""Each listener's payload read into a typed object, or refused as out of date."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.errors import Malformed
from bot.core.ids import MAX_ID, Action, Block, ItemMenu, decide_action_id, item_menu_value
from bot.core.ids import plan_check_action_id as check_id
from bot.rules.payloads import (
    parse_command,
    parse_decide_click,
    parse_menu_click,
    parse_plan_tick,
    parse_trigger,
)
from storage.enums import Decision
from tests.utils.clicks import TRIGGER, URL, click

# --- one listener's payload ----------------------------------------------------------------


def test_a_decision_click_reads_as_its_ids_and_note() -> None:
    note = {Block.note: {Block.note: {"type": "plain_text_input", "value": "Keep it short"}}}
    button = {"action_id": decide_action_id(Decision.join_second), "value": "42"}
    parsed = parse_decide_click(click(button, state={"values": note}), note_block=Block.note)
    assert (parsed.assignment_id, parsed.decision, parsed.note) == (
        42,
        Decision.join_second,
        "Keep it short",
    )
    assert parse_decide_click(click(button, state=None), note_block=Block.note).note is None


@pytest.mark.parametrize(
    "payload",
    [
        click({"action_id": decide_action_id(Decision.decline)}),  # no value
        click({"action_id": decide_action_id(Decision.decline), "value": 42}),
        click({"action_id": decide_action_id(Decision.decline), "value": "²"}),
        click({"action_id": decide_action_id(Decision.decline), "value": str(MAX_ID + 1)}),
        click({"action_id": f"{Action.decide}:maybe", "value": "42"}),
        # In `/aor pending` (ephemeral) only the response_url can answer beside it.
        {
            **click({"action_id": decide_action_id(Decision.decline), "value": "42"}),
            "container": {"is_ephemeral": True},
            "response_url": None,
        },
    ],
)
def test_a_decision_click_that_does_not_parse_is_out_of_date(payload: dict[str, Any]) -> None:
    with pytest.raises(Malformed, match="That button is out of date"):
        parse_decide_click(payload, note_block=Block.note)


def test_a_tick_reads_as_item_ids_and_when() -> None:
    options = [{"value": "7"}, {"value": "9"}]
    action = {"action_id": check_id(3, 1), "selected_options": options, "action_ts": "1.5"}
    tick = parse_plan_tick(click(action))
    assert (tick.plan_id, tick.group, tick.selected) == (3, 1, (7, 9))
    assert tick.at is not None and tick.at.timestamp() == 1.5


@pytest.mark.parametrize("stamp", ["nan", "inf", "-1", "1e400", "x", None, 7])
def test_a_tick_at_no_plausible_time_is_taken_as_now(stamp: object) -> None:
    assert parse_plan_tick(click({"action_id": check_id(3, 1), "action_ts": stamp})).at is None


@pytest.mark.parametrize("selected", [[{"value": "²"}], [{"value": 7}], ["7"], "7"])
def test_a_tick_on_items_that_are_not_ids_is_out_of_date(selected: object) -> None:
    action = {"action_id": check_id(3, 1), "selected_options": selected}
    with pytest.raises(Malformed, match="checklist is out of date"):
        parse_plan_tick(click(action))


def test_the_edit_entry_needs_a_trigger_to_open_its_form() -> None:
    option = {"value": item_menu_value(ItemMenu.edit, 5)}
    menu = {"action_id": Action.item_menu, "selected_option": option}
    assert parse_menu_click(click(menu)).item_id == 5
    for trigger in (None, "", "x", 7):
        with pytest.raises(Malformed, match="menu is out of date"):
            parse_menu_click({**click(menu), "trigger_id": trigger})
        with pytest.raises(Malformed, match="button is out of date"):
            parse_trigger({**click({"action_id": "x"}), "trigger_id": trigger})


def test_a_command_reads_as_strings() -> None:
    form = {
        "command": "/aor",
        "text": "plan",
        "user_id": "UREP",
        "team_id": "T0001",
        "response_url": URL,
        "trigger_id": TRIGGER,
    }
    assert parse_command(form).text == "plan"
    with pytest.raises(Malformed, match="arrived incomplete"):
        parse_command({**form, "user_id": ""})
