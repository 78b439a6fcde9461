"""The checklist: what goes on a day's plan, and its rendering within Block Kit's limits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest

from bot.core.errors import InvalidInput
from bot.core.ids import Action, parse_plan_check_action_id, plan_check_action_id
from bot.render.checklist import MAX_BLOCKS, build_checklist, checkbox_groups
from bot.rules.day_plan import PlanItem, PlanView, choose_items, daily_budget, progress_of
from sandbox import block_kit_violations

TODAY = date(2026, 3, 6)


@dataclass
class Item:
    id: int
    title: str
    tier: str
    minutes: int
    cadence: str
    due: date | None = None


def _items(count: int) -> list[PlanItem]:
    tiers = ("first", "second", "outside")
    return [
        PlanItem(id=n, title=f"Task {n}", tier=tiers[n % 3], minutes=30, cadence="daily")
        for n in range(1, count + 1)
    ]


def _view(items: list[PlanItem], checked: frozenset[int] = frozenset()) -> PlanView:
    return PlanView(
        plan_id=7, plan_date=TODAY, budget_minutes=480, items=tuple(items), checked=checked
    )


def _options(message: dict) -> list[dict]:
    return [
        option
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        for option in element["options"]
    ]


def test_daily_every_day_weekly_until_ticked_once_until_done_overdue_first() -> None:
    items = [
        Item(1, "CRM hygiene", "second", 30, "daily"),
        Item(2, "Prospecting calls", "first", 120, "daily"),
        Item(3, "Pipeline review", "first", 60, "weekly"),
        Item(4, "Weekly report", "second", 45, "weekly"),
        Item(5, "Website update", "outside", 90, "once", due=date(2026, 3, 1)),
        Item(6, "Proposal for Acme", "first", 60, "once", due=date(2026, 3, 5)),
    ]
    chosen = choose_items(items, today=TODAY, ticked_this_week={4}, budget=240)
    assert [i.id for i in chosen] == [6, 2, 3, 1, 5]  # tier order, overdue first in a tier
    assert chosen[0].overdue and chosen[-1].overdue and not chosen[1].overdue
    # 60 + 120 + 60 = 240 fits; the second-tier 30 and the outside 90 do not.
    assert [i.fits for i in chosen] == [True, True, True, False, False]


def test_budget_is_the_days_share_of_weekly_capacity() -> None:
    assert daily_budget(2400, 5) == 480
    assert daily_budget(2400, 4) == 600
    assert daily_budget(2400, 0) == 0


def test_twenty_five_items_fit_block_kit_with_every_item_present() -> None:
    items = _items(25)
    message = build_checklist(_view(items))
    assert block_kit_violations("chat.postMessage", message) == []
    assert sorted(int(o["value"]) for o in _options(message)) == [i.id for i in items]
    assert all(len(o["text"]["text"]) <= 75 for o in _options(message))
    for block in message["blocks"]:
        if block["type"] == "actions":
            assert len(block["elements"][0]["options"]) <= 10


def test_hundreds_of_items_are_summarised_with_a_pointer_to_app_home() -> None:
    items = _items(700)
    message = build_checklist(_view(items))
    assert block_kit_violations("chat.postMessage", message) == []
    assert len(message["blocks"]) <= MAX_BLOCKS
    shown = len(_options(message))
    summary = message["blocks"][-1]["text"]["text"]
    assert f"…and {700 - shown} more items" in summary and "App Home" in summary
    assert "Done 0/700" in json.dumps(message)


def test_long_titles_and_flags_stay_within_option_limits() -> None:
    item = PlanItem(
        id=1,
        title="x" * 200,
        tier="outside",
        minutes=90,
        cadence="once",
        due=date(2026, 3, 1),
        overdue=True,
        fits=False,
    )
    [option] = _options(build_checklist(_view([item])))
    assert len(option["text"]["text"]) == 75 and option["text"]["text"].endswith(" · 1h30m")
    assert "OVERDUE" in option["description"]["text"]
    assert len(option["description"]["text"]) <= 75


def test_progress_counts_ticks_and_minutes_by_tier() -> None:
    items = _items(6)  # ids 1..6: tiers second, outside, first, second, outside, first
    progress = progress_of(items, {3, 4, 6})
    assert (progress.done, progress.total) == (3, 6)
    assert progress.done_minutes == {"first": 60, "second": 30, "outside": 0}
    message = build_checklist(_view(items, frozenset({3, 4, 6})))
    text = json.dumps(message)
    assert "Done 3/6" in text and "first 1h" in text and "second 30m" in text
    ticked = [
        o["value"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for o in block["elements"][0].get("initial_options", [])
    ]
    assert sorted(ticked) == ["3", "4", "6"]


def test_groups_split_tiers_in_tens_and_ids_round_trip() -> None:
    groups = checkbox_groups(_items(45))  # 15 per tier
    assert [(g.tier, len(g.items)) for g in groups] == [
        ("first", 10),
        ("first", 5),
        ("second", 10),
        ("second", 5),
        ("outside", 10),
        ("outside", 5),
    ]
    assert parse_plan_check_action_id(plan_check_action_id(7, 3)) == (7, 3)
    with pytest.raises(InvalidInput):
        parse_plan_check_action_id(f"{Action.plan_check}:x")


def test_snapshot_round_trips_through_json() -> None:
    item = PlanItem(1, "Call", "first", 30, "once", due=date(2026, 3, 9), overdue=False)
    assert PlanItem.from_json(json.loads(json.dumps(item.to_json()))) == item
