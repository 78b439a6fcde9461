"""App Home: the AOR document by tier, editable items, and the manager's queue."""

from __future__ import annotations

import re
import time

import pytest
from sqlmodel import col, select

from bot.core.clock import local_date
from bot.core.ids import Action, Block, Callback, ItemMenu, item_menu_value
from sandbox import FakeSlack, SlackSide
from storage import audit
from storage.enums import AssignmentStatus, Cadence, ItemStatus, Origin, PlanStatus, Tier
from storage.models import Assignment, DailyPlan, Member, PlanCheck, Responsibility
from storage.types import utcnow
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, replies
from tests.utils.wait import eventually

TEAM = "T0001"


def _home_text(fake: FakeSlack, user: str) -> str:
    return all_text(eventually(lambda: fake.home(user)))


def _seed(running: RunningApp, *rows: object) -> None:
    with running.rt.db.transaction() as session:
        session.add_all(rows)


def test_add_edit_and_retire_from_app_home(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.app_home_opened("UREP")
    home = eventually(lambda: fake.home("UREP"))
    button = next(
        e
        for b in home["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == Action.open_add_item
    )
    slack.block_action(user_id="UREP", action={**button, "type": "button"}, view=home)
    eventually(lambda: fake.calls_to("views.open"))
    assert fake.last_view()["callback_id"] == Callback.add_item
    bad = slack.submit_view(
        user_id="UREP", answers={Block.title_text: "Cold calls", Block.duration: "nope"}
    )
    assert bad.json["response_action"] == "errors" and Block.duration in bad.json["errors"]
    good = slack.submit_view(
        user_id="UREP",
        answers={
            Block.title_text: "Cold calls",
            Block.duration: "1h",
            Block.tier: "first",
            Block.cadence: "daily",
        },
    )
    assert good.status == 200 and not good.body
    assert "Cold calls" in eventually(
        lambda: "Cold calls" in _home_text(fake, "UREP") and _home_text(fake, "UREP")
    )

    with running.rt.db.transaction() as session:
        item = session.exec(select(Responsibility)).one()
    home = fake.home("UREP")
    menu_block = next(
        b for b in home["blocks"] if b.get("accessory", {}).get("action_id") == Action.item_menu
    )
    menu = menu_block["accessory"]
    edit = next(o for o in menu["options"] if o["value"] == item_menu_value(ItemMenu.edit, item.id))
    slack.block_action(
        user_id="UREP",
        action={
            **menu,
            "type": "overflow",
            "selected_option": edit,
            "block_id": menu_block["block_id"],
        },
        view=home,
    )
    eventually(lambda: len(fake.calls_to("views.open")) == 2)
    edit_view = fake.last_view()
    assert edit_view["callback_id"] == Callback.edit_item
    saved = slack.submit_view(
        user_id="UREP",
        answers={
            Block.title_text: "Cold calls",
            Block.duration: "45m",
            Block.tier: "first",
            Block.cadence: "daily",
        },
    )
    assert saved.status == 200 and not saved.body
    eventually(lambda: "45m daily" in _home_text(fake, "UREP"))

    retire = next(
        o for o in menu["options"] if o["value"] == item_menu_value(ItemMenu.retire, item.id)
    )
    slack.block_action(
        user_id="UREP",
        action={
            **menu,
            "type": "overflow",
            "selected_option": retire,
            "block_id": menu_block["block_id"],
        },
        view=fake.home("UREP"),
    )
    eventually(lambda: "Cold calls" not in _home_text(fake, "UREP"))
    with running.rt.db.transaction() as session:
        assert session.get(Responsibility, item.id).status == ItemStatus.retired
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="item", subject_id=item.id
        )
    assert [e.action for e in events] == ["item.added", "item.edited", "item.retired"]
    assert events[1].before["minutes"] == 60 and events[1].after["minutes"] == 45


def _menu(choice: ItemMenu, item_id: int | None) -> dict:
    """A pick in the overflow menu beside an item, as Slack sends it."""
    return {
        "type": "overflow",
        "action_id": Action.item_menu,
        "block_id": "x",
        "selected_option": {
            "text": {"type": "plain_text", "text": choice.title()},
            "value": item_menu_value(choice, item_id or 0),
        },
    }


def test_someone_else_cannot_retire_my_item(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.command("add Demo prep 2h first weekly", user_id="UREP")
    eventually(lambda: fake.home("UREP"))
    with running.rt.db.transaction() as session:
        item = session.exec(select(Responsibility)).one()
    slack.block_action(
        user_id="UOTHER",
        action=_menu(ItemMenu.retire, item.id),
        view={"type": "home", "id": "V1", "blocks": []},
    )
    refusal = eventually(lambda: fake.dm_messages("UOTHER"))
    assert "Only <@UREP>" in refusal[0]["text"]
    with running.rt.db.transaction() as session:
        assert session.get(Responsibility, item.id).status == ItemStatus.active


def test_rep_with_60_items_fits_app_home(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.app_home_opened("UREP")  # first contact creates the member
    eventually(lambda: fake.home("UREP"))
    tiers = [Tier.first, Tier.second, Tier.outside]
    _seed(
        running,
        *(
            Responsibility(
                team_id=TEAM,
                owner_id="UREP",
                title=f"Item number {n}",
                title_key=f"item number {n}",
                tier=tiers[n % 3],
                minutes=30,
                cadence=Cadence.weekly,
                origin=Origin.role,
            )
            for n in range(60)
        ),
    )
    slack.app_home_opened("UREP")
    eventually(lambda: len(fake.calls_to("views.publish")) == 2)
    home = fake.home("UREP")
    assert len(home["blocks"]) <= 100
    text = all_text(home)
    shown = [n for n in range(60) if f"Item number {n}*" in text]
    more = sum(int(m) for m in re.findall(r"and (\d+) more in this tier", text))
    assert len(shown) + more == 60
    assert len(shown) > 40


def test_manager_with_30_pending_requests_fits_app_home(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.app_home_opened("UMANAGER")
    eventually(lambda: fake.home("UMANAGER"))
    _seed(running, Member(team_id=TEAM, user_id="UREP", name="Rob Rep", manager_id="UMANAGER"))
    _seed(
        running,
        *(
            Assignment(
                team_id=TEAM,
                requested_by="UMANAGER",
                approver_id="UMANAGER",
                rep_id="UREP",
                title=f"Request {n}",
                minutes=60,
                cadence=Cadence.once,
                status=AssignmentStatus.pending,
            )
            for n in range(30)
        ),
    )
    slack.app_home_opened("UMANAGER")
    eventually(lambda: len(fake.calls_to("views.publish")) == 2)
    home = fake.home("UMANAGER")
    assert len(home["blocks"]) <= 100
    text = all_text(home)
    shown = [n for n in range(30) if f"Request {n}*" in text]
    assert len(shown) == 10 and "and 20 more: `/aor pending`" in text
    with running.rt.db.transaction() as session:
        ids = session.exec(select(Assignment.id).order_by(col(Assignment.id))).all()
    assert all(f'"value": "{i}"' in text for i in ids[:10])


def test_manager_sees_the_team_table(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.app_home_opened("UMANAGER")
    eventually(lambda: fake.home("UMANAGER"))
    today = local_date(utcnow(), "America/New_York")
    first = Responsibility(
        team_id=TEAM,
        owner_id="UREP",
        title="Calls",
        title_key="calls",
        tier=Tier.first,
        minutes=60,
        cadence=Cadence.daily,
        origin=Origin.role,
    )
    second = Responsibility(
        team_id=TEAM,
        owner_id="UREP",
        title="CRM",
        title_key="crm",
        tier=Tier.second,
        minutes=30,
        cadence=Cadence.weekly,
        origin=Origin.role,
    )
    _seed(
        running,
        Member(team_id=TEAM, user_id="UREP", name="Rob Rep", manager_id="UMANAGER"),
        first,
        second,
    )
    plan = DailyPlan(
        team_id=TEAM,
        user_id="UREP",
        plan_date=today,
        claimed_by="test",
        status=PlanStatus.sent,
        items=[
            {"id": first.id, "title": "Calls", "tier": "first", "minutes": 60, "cadence": "daily"},
            {"id": second.id, "title": "CRM", "tier": "second", "minutes": 30, "cadence": "weekly"},
        ],
    )
    _seed(running, plan)
    _seed(
        running,
        PlanCheck(plan_id=plan.id, item_id=first.id, checked=True),
        PlanCheck(plan_id=plan.id, item_id=second.id, checked=True),
        PlanCheck(plan_id=plan.id, item_id=second.id, checked=False),
        Assignment(
            team_id=TEAM,
            requested_by="UOTHER",
            approver_id="UMANAGER",
            rep_id="UREP",
            title="Booth",
            minutes=90,
            cadence=Cadence.once,
            status=AssignmentStatus.one_off,
            decided_at=utcnow(),
        ),
    )
    slack.app_home_opened("UMANAGER")
    eventually(lambda: len(fake.calls_to("views.publish")) == 2)
    text = all_text(fake.home("UMANAGER"))
    # Committed: 60m x 5 workdays + 30m weekly = 5h30m of 40h; ticked: only first (60m).
    assert "<@UREP>: 5h30m of 40h committed" in text
    assert "done selling share this week 100%" in text
    assert "outside-role work accepted this month 1h30m" in text


def test_a_slow_slack_does_not_fail_a_saved_modal(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    slack.command("add Warm-up calls 30m first daily", user_id="UREP")  # the rep is known
    eventually(lambda: fake.home("UREP"))
    view = {
        "type": "modal",
        "id": "VADD",
        "callback_id": Callback.add_item,
        "private_metadata": "{}",
        "blocks": [],
    }
    fake.fail("views.publish", status=500, times=3)  # the Home refresh fails, retries wait
    started = time.monotonic()
    result = slack.view_submission(
        user_id="UREP",
        view=view,
        values={
            Block.title_text: {
                Block.title_text: {"type": "plain_text_input", "value": "Referral asks"}
            },
            Block.duration: {Block.duration: {"type": "plain_text_input", "value": "20m"}},
            Block.tier: {
                Block.tier: {"type": "static_select", "selected_option": {"value": "first"}}
            },
            Block.cadence: {
                Block.cadence: {"type": "static_select", "selected_option": {"value": "daily"}}
            },
        },
    )
    assert result.status == 200 and not result.body  # the modal closes: it was saved
    assert time.monotonic() - started < 1.5  # answered before the slow refresh
    eventually(lambda: len(fake.calls_to("views.publish")) >= 4)  # then the refresh was tried
    with running.rt.db.transaction() as session:
        titles = set(session.exec(select(Responsibility.title)).all())
    assert titles == {"Warm-up calls", "Referral asks"}


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("UREP", True),  # the owner
        ("UMANAGER", True),  # the owner's manager of record
        ("UADMIN", True),  # a Slack admin
        ("UOTHER", False),  # another rep's manager
        ("UREP2", False),  # a bystander
    ],
)
def test_the_edit_menu_opens_an_item_only_for_who_may_change_it(
    actor: str, allowed: bool, slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    for text, user in [
        ("set-manager <@UREP|rob> <@UMANAGER|maria>", "UREP"),
        ("set-manager <@UREP2|rita> <@UOTHER|oscar>", "UREP2"),
        ("add Key account review 2h first weekly", "UREP"),
    ]:
        result = slack.command(text, user_id=user)
        eventually(lambda url=result.response_url: replies(fake, url))
    with running.rt.db.transaction() as session:
        item = session.exec(select(Responsibility)).one()
    slack.block_action(
        user_id=actor,
        action=_menu(ItemMenu.edit, item.id),
        view={"type": "home", "id": "V1", "blocks": []},
    )
    if allowed:
        opened = eventually(lambda: fake.calls_to("views.open"))
        assert "Key account review" in all_text(opened[0].args["view"])
        return
    refusal = eventually(lambda: fake.dm_messages(actor))
    assert "Only <@UREP>, their manager or an admin can change it" in refusal[-1]["text"]
    assert fake.calls_to("views.open") == []  # nothing of the item was shown
