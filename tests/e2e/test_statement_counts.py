"""Issue 10: what one action costs the database, counted with SQLAlchemy's events on the app's
own engine, from the request until the app is idle again (its DMs and App Homes delivered
and their outcomes recorded). A change that adds round trips fails here, not in production.

The budgets are today's counts on PostgreSQL (bench/README.md explains each statement). Each
action is done once first, unmeasured, so profiles are fresh (no users.info) as they are
during a working day."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event

from bot.core.ids import decide_action_id
from sandbox import FakeSlack, SlackSide
from storage.enums import Decision
from tests.utils.people import name_manager
from tests.utils.seed import item_rows, seed
from tests.utils.server import RunningApp
from tests.utils.slack_text import replies
from tests.utils.wait import eventually

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

TEAM = "T0001"

# (statements, transactions) per action, delivery of what it caused included. The App Homes
# an action re-renders (two for add_task and decide: requester or approver, and the rep) are
# read together, each table once for all of them: 7 statements (the people and their reports,
# requests pending and this month's one-offs, items, plans, their ticks, KPI entries, the
# default position), and the workspace's settings when the unit of work has not read them.
BUDGET = {
    "add_task": (22, 4),
    "decide": (25, 3),
    "tick": (16, 2),
    "plan": (12, 3),
    "plan_again": (8, 3),
    "doc": (7, 2),
    "help": (0, 0),
}


@dataclass
class Counts:
    statements: int = 0
    transactions: int = 0


@pytest.fixture
def counted(running: RunningApp) -> Iterator[Callable[[Callable[[], object]], Counts]]:
    """Runs an action and counts what the app's engine did until the app was idle."""
    lock = threading.Lock()
    live = Counts()

    def statement(*_args: Any) -> None:
        with lock:
            live.statements += 1

    def begin(*_args: Any) -> None:
        with lock:
            live.transactions += 1

    engine = running.rt.db.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begin)

    def measure(action: Callable[[], object]) -> Counts:
        running.wait_idle()
        with lock:
            live.statements = live.transactions = 0
        action()
        running.wait_idle()
        with lock:
            return Counts(live.statements, live.transactions)

    yield measure
    event.remove(engine, "before_cursor_execute", statement)
    event.remove(engine, "begin", begin)


def _within(kind: str, counts: Counts) -> None:
    statements, transactions = BUDGET[kind]
    print(f"{kind}: {counts.statements} statements, {counts.transactions} transactions")
    assert counts.statements <= statements and counts.transactions <= transactions, (
        f"{kind}: {counts} is over its budget of {statements} statements "
        f"and {transactions} transactions"
    )


def _answered(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> None:
    url = slack.command(text, user_id=user).response_url
    eventually(lambda: replies(fake, url))


def test_each_action_stays_within_its_round_trips(
    slack: SlackSide,
    fake: FakeSlack,
    running: RunningApp,
    counted: Callable[[Callable[[], object]], Counts],
) -> None:
    name_manager(slack, fake, "UREP")
    with running.rt.db.transaction() as session:
        seed(session, [], item_rows(TEAM, "UREP", 5))

    def add_task(title: str) -> None:
        _answered(slack, fake, f"add-task <@UREP|rob> {title} 2h weekly", "UMANAGER")

    def decide(title: str) -> None:
        card = eventually(
            lambda: next((m for m in fake.dm_messages("UMANAGER") if title in str(m)), None)
        )
        value = next(
            e["value"]
            for b in card["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == decide_action_id(Decision.join_second)
        )
        slack.click_button(
            user_id="UMANAGER",
            channel=fake.dm_channel("UMANAGER"),
            ts=card["ts"],
            action_id=decide_action_id(Decision.join_second),
            value=value,
        )

    add_task("Warm-up deck")
    decide("Warm-up deck")
    running.wait_idle()
    _within("add_task", counted(lambda: add_task("Partner deck")))
    _within("decide", counted(lambda: decide("Partner deck")))

    _answered(slack, fake, "doc", "UREP")
    _within("doc", counted(lambda: _answered(slack, fake, "doc", "UREP")))
    # Help is answered in the acknowledgement itself.
    _within("help", counted(lambda: slack.command("help", user_id="UREP")))
    _within("plan", counted(lambda: _answered(slack, fake, "plan", "UREP")))
    _within("plan_again", counted(lambda: _answered(slack, fake, "plan", "UREP")))

    [plan_dm] = [m for m in fake.dm_messages("UREP") if m.get("blocks") and "Done" in str(m)]
    boxes = [b for b in plan_dm["blocks"] if b["type"] == "actions"]
    first = boxes[0]["elements"][0]

    def tick(values: list[str]) -> None:
        slack.check_boxes(
            user_id="UREP",
            channel=fake.dm_channel("UREP"),
            ts=plan_dm["ts"],
            action_id=first["action_id"],
            block_id=boxes[0]["block_id"],
            selected_values=values,
        )

    tick([first["options"][0]["value"]])
    _within("tick", counted(lambda: tick([o["value"] for o in first["options"][:2]])))
