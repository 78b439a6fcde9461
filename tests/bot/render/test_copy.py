"""STYLE "Copy" on the pure builders: the reader addressed as "you", names in plain text,
plurals right, no zero filler, and each selling share named for what it measures."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from bot.render.assignment import AssignmentView, build_approval_message, build_rep_message
from bot.render.doc import AorDoc, ItemRow, doc_blocks
from bot.render.home import HomeData, TeamRow, build_home
from bot.render.report import report_blocks
from bot.render.words import plural
from bot.rules.capacity import Load
from bot.rules.day_plan import PlanItem, PlanView
from bot.rules.report import build_report
from storage.enums import Decision
from tests.utils.slack_text import all_text

ZERO = re.compile(r"(?<![\dh])0m\b")  # "0m" alone; "30m" and "1h0m" are other figures
MONDAY = date(2026, 11, 30)


def _item(n: int, tier: str = "first") -> ItemRow:
    return ItemRow(
        id=n,
        title=f"Item {n}",
        tier=tier,
        minutes=60,
        cadence="weekly",
        due=None,
        origin="role",
        requested_by=None,
        since=datetime(2026, 11, 30, tzinfo=UTC),
        since_day=MONDAY,
        weekly=60,
    )


def _doc(user: str, items: tuple[ItemRow, ...] = ()) -> AorDoc:
    load = Load(first=60 * len(items), capacity=2400)
    return AorDoc(rep_id=user, rep_name=user.title(), load=load, items=items, pending=())


def _request(**changes: Any) -> AssignmentView:
    view = AssignmentView(
        id=7,
        title="Update the landing page",
        details="",
        minutes=180,
        cadence="weekly",
        due=None,
        rep_id="UROB",
        requested_by="UMARIA",
        approver_id="UMARIA",
        status="pending",
        rep_name="Rob",
    )
    return replace(view, **changes)


def _home(doc: AorDoc, **changes: Any) -> list[str]:
    data = HomeData(
        user_id="UMARIA",
        name="Maria",
        tz="America/New_York",
        manager_id=None,
        is_admin=False,
        doc=doc,
        approvals=(_request(),),
        team=(TeamRow("UROB", Load(capacity=2400), 0, 0, 0),),
    )
    blocks = build_home(replace(data, **changes))["blocks"]
    return [all_text(b) for b in blocks]


def _first(texts: list[str], needle: str) -> int:
    return next(n for n, text in enumerate(texts) if needle in text)


def test_a_managers_home_leads_with_the_queue_and_the_team_and_skips_an_empty_aor() -> None:
    texts = _home(_doc("UMARIA"))
    shown = "\n".join(texts)

    assert _first(texts, "Waiting on your decision") < _first(texts, "*Your team* (1 rep)")
    assert "No manager of record" not in shown and "Your own Area of Responsibility" not in shown
    assert "You asked <@UROB>: *Update the landing page*" in shown
    assert "<@UMARIA>" not in shown  # the reader is "you", never her own mention
    assert "<@UROB>: nothing committed yet" in shown
    assert not ZERO.search(shown) and "no ticks" not in shown


def test_a_managers_own_aor_comes_after_her_team() -> None:
    texts = _home(_doc("UMARIA", (_item(1),)))

    assert _first(texts, "*Your team*") < _first(texts, "Your own Area of Responsibility")
    assert _first(texts, "Your own Area of Responsibility") < _first(texts, "Item 1")


def test_the_team_row_names_both_selling_shares() -> None:
    row = TeamRow("UROB", Load(first=600, second=180, capacity=2400), 180, 180, 90)
    shown = "\n".join(_home(_doc("UMARIA"), team=(row,)))

    assert (
        "<@UROB>: 13h of 40h committed · planned selling share 77% · "
        "done selling share this week 100% · outside-role work accepted this month 1h30m"
    ) in shown


def test_a_rep_without_a_manager_is_told_how_to_name_one() -> None:
    shown = "\n".join(_home(_doc("UROB"), user_id="UROB", approvals=(), team=()))

    assert "No manager of record yet" in shown and "Nothing committed yet" in shown


def test_the_doc_counts_items_with_the_right_plural() -> None:
    shown = all_text({"blocks": doc_blocks(_doc("UROB", (_item(1),)))})

    assert "(1 item, 1h a week)" in shown and "1 items" not in shown
    assert (plural(1, "rep"), plural(2, "rep"), plural(0, "item")) == ("1 rep", "2 reps", "0 items")


def test_a_decided_card_says_what_happened_to_each_reader() -> None:
    decided = _request(
        status="joined",
        tier="second",
        decided_by="UMARIA",
        decided_at=datetime(2026, 11, 30, 15, tzinfo=UTC),
    )
    approver = build_approval_message(decided, before=Load(capacity=2400), after={})
    rep = build_rep_message(decided)

    headline = "Decided: joined Rob's AOR at second priority"
    assert approver["blocks"][0]["text"]["text"] == headline
    assert approver["text"] == f"{headline}: Update the landing page"
    assert "You asked <@UROB>" in all_text(approver) and "by you" in all_text(approver)
    assert "Decision needed" not in all_text(approver) + all_text(rep)
    assert "joined your AOR at second priority, by <@UMARIA>" in all_text(rep)


def test_the_impact_leaves_out_empty_tiers_and_names_the_planned_share() -> None:
    before = Load(capacity=2400)
    after = {Decision.join_second: Load(second=180, capacity=2400), Decision.decline: before}
    shown = all_text(build_approval_message(_request(), before=before, after=after))

    assert "Now: nothing committed yet, 40h available" in shown
    assert "-> 3h of 40h (all second), planned selling share 0%" in shown
    assert not ZERO.search(shown)


def test_the_report_starts_at_the_reps_first_week_without_zero_filler() -> None:
    call = PlanItem(id=1, title="Calls", tier="first", minutes=120, cadence="daily")
    site = PlanItem(id=2, title="Site", tier="second", minutes=180, cadence="weekly")
    report = build_report(
        rep_id="UROB",
        rep_name="Rob",
        week=MONDAY,
        plans=[PlanView(1, MONDAY, 480, (call, site), frozenset({1}))],
        requests=[],
        target_pct=60,
        today=MONDAY,
        first_week=MONDAY,
    )
    shown = all_text({"blocks": report_blocks(report)})

    assert [w.start for w in report.trend] == [MONDAY]
    assert "*Trend since Mon 30 Nov 2026* (1 week, planned vs done)" in shown
    assert "Done selling share*: 100% of ticked time" in shown
    assert "planned selling share" not in shown  # committed hours: App Home and the team
    assert "Second priority: 3h planned, none done yet" in shown
    assert "Outside the role" not in shown and not ZERO.search(shown) and "n/a" not in shown
    assert "The chart is the picture right under this message" in shown
