"""Ids built on the fly: each decoder reads back what its encoder wrote, and refuses junk."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.core.ids import (
    DECIDE_ACTION,
    PLAN_CHECK_ACTION,
    Action,
    ItemMenu,
    decide_action_id,
    decide_value,
    item_menu_value,
    parse_decide,
    parse_item_menu_value,
    parse_plan_check_action_id,
    plan_check_action_id,
)
from storage.enums import Decision


@pytest.mark.parametrize("decision", list(Decision))
def test_decision_buttons_round_trip(decision: Decision) -> None:
    action_id = decide_action_id(decision)
    assert DECIDE_ACTION.search(action_id)
    assert parse_decide(action_id, decide_value(42)) == (42, decision)


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        (f"{Action.decide}:maybe", "42"),
        (Action.decide.value, "42"),
        (decide_action_id(Decision.decline), "forty-two"),
        (decide_action_id(Decision.decline), ""),
    ],
)
def test_unknown_decision_buttons_are_refused(action_id: str, value: str) -> None:
    with pytest.raises(InvalidInput, match="That button is not one I know"):
        parse_decide(action_id, value)


def test_checklist_groups_round_trip() -> None:
    action_id = plan_check_action_id(7, 3)
    assert PLAN_CHECK_ACTION.search(action_id)
    assert not DECIDE_ACTION.search(action_id)
    assert parse_plan_check_action_id(action_id) == (7, 3)


@pytest.mark.parametrize(
    "action_id",
    [f"{Action.plan_check}:x", f"{Action.plan_check}:7", f"{Action.plan_check}:7:²", "junk"],
)
def test_unknown_checklists_are_refused(action_id: str) -> None:
    with pytest.raises(InvalidInput, match="That checklist is not one I know"):
        parse_plan_check_action_id(action_id)


@pytest.mark.parametrize("choice", list(ItemMenu))
def test_item_menu_values_round_trip(choice: ItemMenu) -> None:
    assert parse_item_menu_value(item_menu_value(choice, 12)) == (choice, 12)


@pytest.mark.parametrize("value", ["", "edit:", "retire:x", "delete:12", "12"])
def test_unknown_item_menu_values_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput, match="That menu entry is not one I know"):
        parse_item_menu_value(value)
