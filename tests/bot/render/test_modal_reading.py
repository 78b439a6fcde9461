"""A submitted modal read into typed forms: its metadata strictly, its inputs totally (any
value of the wrong shape is a field error, never an exception)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.core.errors import Malformed
from bot.core.ids import MAX_ID, Block
from bot.render.forms import FieldErrors, read_item_form, read_submission, read_task_form
from bot.render.modals import ModalMeta
from bot.render.settings_modal import read_settings_form
from storage.enums import Cadence

TODAY = date(2026, 12, 1)


def text(block: str, value: object) -> dict[str, Any]:
    return {block: {block: {"type": "plain_text_input", "value": value}}}


def select(block: str, value: object) -> dict[str, Any]:
    return {block: {block: {"type": "static_select", "selected_option": {"value": value}}}}


def view(metadata: object = "", values: object = None) -> dict[str, Any]:
    return {"private_metadata": metadata, "state": {"values": {} if values is None else values}}


@pytest.mark.parametrize(
    ("metadata", "item_id"),
    [("", None), ("{}", None), ('{"item_id": 7}', 7), ('{"response_url": "https://x"}', None)],
)
def test_metadata_holds_an_item_id_and_nothing_to_act_on(metadata: str, item_id: int) -> None:
    assert read_submission(view(metadata), field=Block.title_text).meta.item_id == item_id
    assert "response_url" not in ModalMeta.model_fields


@pytest.mark.parametrize(
    "metadata",
    [
        "not json",
        '{"item_id": 1.5}',
        '{"item_id": "7"}',
        '{"item_id": true}',
        '{"item_id": 0}',
        f'{{"item_id": {MAX_ID + 1}}}',
        "[]",
        "null",
        7,
    ],
)
def test_metadata_that_is_not_this_apps_is_an_out_of_date_form(metadata: object) -> None:
    with pytest.raises(Malformed, match="This form is out of date") as raised:
        read_submission(view(metadata), field=Block.title_text)
    assert raised.value.field == Block.title_text


@pytest.mark.parametrize("state", [None, "x", {"values": None}, {"values": []}])
def test_a_submission_without_state_is_an_out_of_date_form(state: object) -> None:
    with pytest.raises(Malformed):
        read_submission({"state": state}, field=Block.rep)


def test_a_task_form_reads_as_typed_values() -> None:
    values = {
        Block.rep: {Block.rep: {"type": "users_select", "selected_user": "UREP"}},
        **text(Block.title_text, "  Partner   webinar "),
        **text(Block.duration, "1h30m"),
        **select(Block.cadence, "weekly"),
    }
    form = read_task_form(values, today=TODAY)
    assert (form.rep_id, form.title, form.minutes, form.cadence, form.due) == (
        "UREP",
        "Partner webinar",
        90,
        Cadence.weekly,
        None,
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({Block.rep: {Block.rep: {"type": "users_select", "selected_user": 7}}}, Block.rep),
        ({Block.rep: {Block.rep: {"type": "users_select", "selected_user": "u$"}}}, Block.rep),
        ({Block.rep: "UREP"}, Block.rep),
        (text(Block.title_text, "x" * 201), Block.title_text),
        (text(Block.title_text, 7), Block.title_text),
        (text(Block.details, "d" * 3001), Block.details),
        (select(Block.cadence, "hourly"), Block.cadence),
        (
            {Block.due: {Block.due: {"type": "datepicker", "selected_date": "2026-13-45"}}},
            Block.due,
        ),
    ],
)
def test_a_task_form_value_of_the_wrong_shape_is_a_field_error(
    values: dict[str, Any], field: str
) -> None:
    complete = {
        Block.rep: {Block.rep: {"type": "users_select", "selected_user": "UREP"}},
        **text(Block.title_text, "Partner webinar"),
        **text(Block.duration, "1h"),
    }
    with pytest.raises(FieldErrors) as raised:
        read_task_form({**complete, **values}, today=TODAY)
    assert field in raised.value.errors


@pytest.mark.parametrize("tier", ["zeroth", "²", ""])
def test_an_item_form_with_no_such_tier_is_a_field_error(tier: str) -> None:
    values = {**text(Block.title_text, "Calls"), **text(Block.duration, "1h")}
    with pytest.raises(FieldErrors) as raised:
        read_item_form({**values, **select(Block.tier, tier)})
    assert set(raised.value.errors) == {Block.tier}


def test_settings_take_only_the_seven_days() -> None:
    days = [{"value": v} for v in ["0", "²", "7", "-1", "4"]]
    values = {
        Block.plan_time: {Block.plan_time: {"type": "timepicker", "selected_time": "08:30"}},
        Block.workdays: {Block.workdays: {"type": "checkboxes", "selected_options": days}},
        Block.capacity: {Block.capacity: {"type": "number_input", "value": "30"}},
    }
    assert read_settings_form(values).workdays == frozenset({0, 4})
    for capacity in ("nan", "inf", "1e400"):
        bad = {**values, **{Block.capacity: {Block.capacity: {"value": capacity}}}}
        with pytest.raises(FieldErrors):
            read_settings_form(bad)
    with pytest.raises(FieldErrors) as raised:
        read_settings_form({**values, **text(Block.tz, "E" * 300)})
    assert set(raised.value.errors) == {Block.tz}
