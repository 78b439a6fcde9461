"""The morning plan as a rep lives it (issue 4, must show 4): `/aor plan`, ticks and unticks on
the checklist DM, `/aor settings` and `/aor ooo`, and a rep Slack says is gone."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.core.ids import Block, Callback, parse_plan_check_action_id, plan_check_action_id
from bot.jobs.scheduler import tick
from bot.render.checklist import build_checklist
from bot.rules.day_plan import PlanItem, plan_view
from bot.services.plans import record_ticks, send_plan_now
from sandbox import FakeSlack, SlackSide
from storage import audit
from storage import outbox as outbox_store
from storage import plans as plan_store
from storage.enums import Cadence, ItemStatus, OutboxKind, PlanStatus, Tier
from storage.models import DailyPlan, Member, PlanCheck, Responsibility
from storage.types import utcnow
from tests.utils.seed import item_rows, member_rows, seed
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, replies
from tests.utils.wait import eventually

TEAM = "T0001"


def _seed(running: RunningApp, user: str, items: int) -> None:
    with running.rt.db.transaction() as session:
        seed(
            session,
            member_rows(TEAM, [user], tz="America/Los_Angeles", next_plan_at=None),
            item_rows(TEAM, user, items),
        )


def _answer(slack: SlackSide, fake: FakeSlack, text: str, user: str = "UREP") -> str:
    result = slack.command(text, user_id=user)
    return eventually(lambda: replies(fake, result.response_url))[-1]


def _plan(running: RunningApp, user: str = "UREP") -> DailyPlan:
    with running.rt.db.transaction() as session:
        plan = session.exec(select(DailyPlan).where(DailyPlan.user_id == user)).one()
    return plan


def _checkbox_blocks(message: dict) -> list[dict]:
    return [b for b in message["blocks"] if b["type"] == "actions"]


def _tick(slack: SlackSide, fake: FakeSlack, message: dict, index: int, values: list[str]) -> None:
    block = _checkbox_blocks(message)[index]
    slack.check_boxes(
        user_id="UREP",
        channel=fake.dm_channel("UREP"),
        ts=message["ts"],
        action_id=block["elements"][0]["action_id"],
        block_id=block["block_id"],
        selected_values=values,
    )


def test_twenty_five_items_tick_and_untick_round_trip_with_progress(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _seed(running, "UREP", 25)
    assert "is in your DM with me" in _answer(slack, fake, "plan")
    [message] = fake.dm_messages("UREP")
    shown = all_text(message)
    for n in range(1, 26):
        assert f"UREP task {n} ·" in shown  # every item present (25 fit one message)
    assert "Done 0/25" in shown
    plan = _plan(running)
    first = _checkbox_blocks(message)[0]["elements"][0]
    assert first["action_id"] == plan_check_action_id(plan.id or 0, 0)
    two = [o["value"] for o in first["options"][:2]]

    _tick(slack, fake, message, 0, two)
    updated = eventually(
        lambda: next((m for m in fake.dm_messages("UREP") if "Done 2/25" in all_text(m)), None)
    )
    assert updated["ts"] == message["ts"]  # the same DM, updated in place
    assert "Done 2/25*: 1h45m (all first)" in all_text(updated)  # 60m + 45m of first priority
    _tick(slack, fake, updated, 0, two[1:])  # untick the first one
    eventually(lambda: "Done 1/25" in all_text(fake.dm_messages("UREP")[0]))

    with running.rt.db.transaction() as session:
        checks = session.exec(select(PlanCheck).order_by(col(PlanCheck.id))).all()
    assert [(str(c.item_id), c.checked) for c in checks] == [
        (two[0], True),
        (two[1], True),
        (two[0], False),
    ]
    assert len(fake.dm_messages("UREP")) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_ticking_a_one_off_marks_it_done_and_unticking_reopens_it(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _seed(running, "UREP", 6)  # the sixth item of the seed mix is a one-off, outside the role
    _answer(slack, fake, "plan")
    [message] = fake.dm_messages("UREP")
    outside = _checkbox_blocks(message)[-1]["elements"][0]
    [one_off] = [o["value"] for o in outside["options"]]
    _tick(slack, fake, message, -1, [one_off])

    def item() -> Responsibility | None:
        with running.rt.db.transaction() as session:
            return session.get(Responsibility, int(one_off))

    eventually(lambda: (found := item()) is not None and found.status == ItemStatus.done)
    done = item()
    assert done is not None and done.cadence == Cadence.once and done.tier == Tier.outside
    assert done.done_at is not None
    _tick(slack, fake, fake.dm_messages("UREP")[0], -1, [])
    eventually(lambda: (found := item()) is not None and found.status == ItemStatus.active)
    with running.rt.db.transaction() as session:
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="item", subject_id=one_off
        )
    assert [e.action for e in events] == ["item.done", "item.reopened"]


def test_plan_now_then_the_morning_tick_sends_nothing_more(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _seed(running, "UREP", 3)
    assert "sent" in _answer(slack, fake, "plan")
    assert "brought up to date" in _answer(slack, fake, "plan")
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert len(fake.calls_to("chat.update")) == 1
    # Make today's scheduled plan due: the tick finds the day claimed and moves on.
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, "UREP"))
        assert member is not None
        member.next_plan_at = utcnow() - timedelta(minutes=1)
        session.add(member)
    report = tick(running.rt)
    assert report.plans.lost == 1 and report.plans.queued == 0
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert _plan(running).status == PlanStatus.sent


def _waiting_on_a_lock(running: RunningApp) -> bool:
    with running.rt.db.transaction() as session:
        waiting = session.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return bool(waiting)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_plan_now_waits_for_a_tick_in_flight_and_never_undoes_it(
    fake: FakeSlack, running: RunningApp
) -> None:
    _seed(running, "UREP", 3)
    send_plan_now(running.rt, team_id=TEAM, user_id="UREP")
    plan = _plan(running)
    item = PlanItem.from_json(plan.items[0]).id
    refresh = threading.Thread(
        target=send_plan_now, kwargs={"rt": running.rt, "team_id": TEAM, "user_id": "UREP"}
    )
    # A tick in flight, as `record_ticks` does it: plan locked, check recorded, DM queued.
    with running.rt.db.transaction() as session:
        locked = plan_store.lock_plan(session=session, plan_id=plan.id or 0)
        assert locked is not None
        plan_store.record_checks(
            session=session, plan_id=locked.id or 0, changes={item: True}, at=utcnow()
        )
        outbox_store.enqueue(
            session=session,
            team_id=TEAM,
            kind=OutboxKind.message,
            user_id="UREP",
            payload=build_checklist(plan_view(locked, {item})),
            message_key=plan_store.plan_key(locked.id or 0),
        )
        refresh.start()
        eventually(lambda: _waiting_on_a_lock(running))  # `/aor plan` waits for the tick
    refresh.join(timeout=10)
    tick(running.rt)  # whatever is still queued
    assert "Done 1/3" in all_text(fake.dm_messages("UREP")[0])


def test_plan_with_nothing_to_do_says_so(slack: SlackSide, fake: FakeSlack) -> None:
    assert "Nothing to plan today" in _answer(slack, fake, "plan")
    assert fake.dm_messages("UREP") == []


def test_someone_else_cannot_tick_a_reps_plan(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _seed(running, "UREP", 2)
    _answer(slack, fake, "plan")
    [message] = fake.dm_messages("UREP")
    block = _checkbox_blocks(message)[0]
    result = slack.check_boxes(
        user_id="UOTHER",
        channel=fake.dm_channel("UREP"),
        ts=message["ts"],
        action_id=block["elements"][0]["action_id"],
        block_id=block["block_id"],
        selected_values=[block["elements"][0]["options"][0]["value"]],
    )
    eventually(lambda: any("only they can tick" in t for t in replies(fake, result.response_url)))
    with running.rt.db.transaction() as session:
        assert session.exec(select(PlanCheck)).all() == []


def test_settings_modal_saves_and_recomputes_the_next_plan(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.command("settings", user_id="UREP")
    view = eventually(lambda: fake.calls_to("views.open") and fake.last_view())
    assert view["callback_id"] == Callback.settings
    bad = slack.submit_view(
        user_id="UREP",
        answers={Block.plan_time: "07:15", Block.workdays: [], Block.capacity: "500"}
        | {Block.tz: "Mars/Olympus"},
    )
    assert bad.json["response_action"] == "errors"
    assert set(bad.json["errors"]) == {Block.workdays, Block.capacity, Block.tz}

    good = slack.submit_view(
        user_id="UREP",
        answers={
            Block.plan_time: "07:15",
            Block.workdays: ["0", "2", "4"],
            Block.capacity: "30",
            Block.tz: "Europe/Berlin",
        },
    )
    assert good.status == 200 and not good.body
    # The modal is gone: the answer waits in the rep's DM (no URL rides in the modal).
    reply = eventually(lambda: fake.dm_messages("UREP"))[-1]["text"]
    assert "07:15 on Mon, Wed, Fri (Europe/Berlin)" in reply and "10h a day" in reply
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, "UREP"))
    assert member is not None and member.next_plan_at is not None
    local = member.next_plan_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.hour, local.minute, local.weekday() in (0, 2, 4)) == (7, 15, True)
    assert member.capacity_minutes == 1800


def _home_publishes(fake: FakeSlack, user: str) -> int:
    return sum(1 for c in fake.calls_to("views.publish") if c.args.get("user_id") == user)


def test_settings_and_ooo_republish_the_app_home(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _seed(running, "UREP", 2)  # 1h + 45m daily: 8h45m a week
    with running.rt.db.transaction() as session:
        seed(session, member_rows(TEAM, ["UMANAGER"], tz="America/New_York", next_plan_at=None), [])
        rep = session.get(Member, (TEAM, "UREP"))
        assert rep is not None
        rep.manager_id = "UMANAGER"
        session.add(rep)
    slack.command("settings", user_id="UREP")
    eventually(lambda: fake.calls_to("views.open"))
    slack.submit_view(
        user_id="UREP",
        answers={
            Block.plan_time: "08:30",
            Block.workdays: ["0", "1", "2", "3", "4"],
            Block.capacity: "30",
            Block.tz: "",
        },
    )
    eventually(lambda: "8h45m of 30h a week" in all_text(fake.home("UREP") or {}))
    # The manager's team table shows the rep's load against the new capacity (the manager's
    # Home is rendered and sent right after the rep's).
    eventually(lambda: "<@UREP>: 8h45m of 30h committed" in all_text(fake.home("UMANAGER") or {}))

    rep_homes, manager_homes = _home_publishes(fake, "UREP"), _home_publishes(fake, "UMANAGER")
    _answer(slack, fake, f"ooo {(utcnow() + timedelta(days=3)).date().isoformat()}")
    assert _home_publishes(fake, "UREP") == rep_homes + 1
    assert _home_publishes(fake, "UMANAGER") == manager_homes


def test_ooo_moves_the_next_plan_to_the_first_day_back(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    back = (utcnow() + timedelta(days=20)).date()
    reply = _answer(slack, fake, f"ooo {back.isoformat()}")
    assert "Out of office" in reply
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, "UREP"))
    assert member is not None and member.ooo_until == back
    assert member.next_plan_at is not None and member.next_plan_at.date() >= back
    assert "Out of office" not in _answer(slack, fake, "ooo off")
    assert "`today` or `tomorrow`" in _answer(slack, fake, "ooo someday")
    assert "Out of office: no plans before" in _answer(slack, fake, "ooo tomorrow")


def test_a_rep_slack_says_is_gone_gets_no_more_plans(fake: FakeSlack, running: RunningApp) -> None:
    with running.rt.db.transaction() as session:
        seed(
            session,
            member_rows(
                TEAM,
                ["UREP"],
                tz="America/Los_Angeles",
                next_plan_at=utcnow() - timedelta(minutes=1),
            ),
            item_rows(TEAM, "UREP", 2),
        )
    fake.error("chat.postMessage", "account_inactive")
    report = tick(running.rt)
    assert report.plans.queued == 1 and len(report.outbox.dead) == 1
    with running.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, "UREP"))
    assert member is not None and not member.plans_enabled and member.next_plan_at is None
    plan = _plan(running)
    assert (plan.status, plan.last_error) == (PlanStatus.failed, "account_inactive")


def test_two_quick_clicks_arriving_out_of_order_settle_on_the_last_click(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _seed(running, "UREP", 3)
    _answer(slack, fake, "plan")
    [message] = fake.dm_messages("UREP")
    block = _checkbox_blocks(message)[0]
    element = block["elements"][0]
    a, b = [o["value"] for o in element["options"][:2]]
    # The person ticks a and b, then unticks b a moment later; the later click arrives first.
    later = datetime(2026, 11, 23, 17, 0, 0, 200000, tzinfo=UTC)
    slack.check_boxes(
        user_id="UREP",
        channel=fake.dm_channel("UREP"),
        ts=message["ts"],
        action_id=element["action_id"],
        block_id=block["block_id"],
        selected_values=[a],
        action_ts=f"{later.timestamp():.6f}",
    )
    eventually(lambda: "Done 1/" in all_text(fake.dm_messages("UREP")[0]))
    plan_id, group = parse_plan_check_action_id(element["action_id"])
    record_ticks(  # the earlier click's request, late: the same call its listener makes
        running.rt,
        team_id=TEAM,
        user_id="UREP",
        plan_id=plan_id,
        group=group,
        selected=[int(a), int(b)],
        now=later - timedelta(milliseconds=100),
    )
    with running.rt.db.transaction() as session:
        checks = session.exec(select(PlanCheck).order_by(col(PlanCheck.id))).all()
    assert [(str(c.item_id), c.checked, c.at) for c in checks] == [(a, True, later)]
    assert "Done 1/" in all_text(fake.dm_messages("UREP")[0])
