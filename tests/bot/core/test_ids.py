"""Ids built on the fly: each decoder reads back what its encoder wrote, and refuses junk."""

from __future__ import annotations

import pytest

from bot.core.errors import Malformed
from bot.core.ids import (
    DECIDE_ACTION,
    MAX_ID,
    PLAN_CHECK_ACTION,
    Action,
    ItemMenu,
    decide_action_id,
    decide_value,
    item_menu_value,
    parse_decide,
    parse_id,
    parse_item_menu_value,
    parse_plan_check_action_id,
    plan_check_action_id,
)
from storage.enums import Decision

# What `str.isdigit()` or `int()` would let through, and ids no database row can have.
JUNK_IDS = [
    "²",
    "٣",
    "7²",
    " 7",
    "7 ",
    "+7",
    "-7",
    "7_0",
    "07",
    "0",
    "7\n",
    "1.5",
    "",
    "x",
    str(MAX_ID + 1),  # past PostgreSQL's INTEGER id columns
    str(2**63),  # past any 64-bit integer
    "9" * 40,
]


def test_ids_are_plain_digits_no_larger_than_an_id_column_holds() -> None:
    assert parse_id("7") == 7
    assert parse_id(str(MAX_ID)) == MAX_ID
    for junk in [*JUNK_IDS, None, 7, 7.0, ["7"]]:
        assert parse_id(junk) is None, junk


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
        *((decide_action_id(Decision.decline), junk) for junk in JUNK_IDS),
    ],
)
def test_unknown_decision_buttons_are_refused(action_id: str, value: str) -> None:
    with pytest.raises(Malformed, match="That button is out of date"):
        parse_decide(action_id, value)


def test_checklist_groups_round_trip() -> None:
    action_id = plan_check_action_id(7, 3)
    assert PLAN_CHECK_ACTION.search(action_id)
    assert not DECIDE_ACTION.search(action_id)
    assert parse_plan_check_action_id(action_id) == (7, 3)


@pytest.mark.parametrize(
    "action_id",
    [
        f"{Action.plan_check}:x",
        f"{Action.plan_check}:7",
        f"{Action.plan_check}:7:²",
        f"{Action.plan_check}:7:0:1",
        f"{Action.plan_check}:{MAX_ID + 1}:0",
        f"{Action.plan_check}:7:1000",
        f"{Action.decide}:7:0",
        "junk",
    ],
)
def test_unknown_checklists_are_refused(action_id: str) -> None:
    with pytest.raises(Malformed, match="That checklist is out of date"):
        parse_plan_check_action_id(action_id)


@pytest.mark.parametrize("choice", list(ItemMenu))
def test_item_menu_values_round_trip(choice: ItemMenu) -> None:
    assert parse_item_menu_value(item_menu_value(choice, 12)) == (choice, 12)


@pytest.mark.parametrize(
    "value",
    ["", "edit:", "retire:x", "delete:12", "12", *(f"edit:{junk}" for junk in JUNK_IDS)],
)
def test_unknown_item_menu_values_are_refused(value: str) -> None:
    with pytest.raises(Malformed, match="That menu is out of date"):
        parse_item_menu_value(value)
