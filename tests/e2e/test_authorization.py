"""Issue 9, must-show 2: the authorization matrix.

Every subcommand, button, menu entry and modal of the app, tried on Rob's AOR by six people:
Rob himself, Maria (his manager of record), Mia (manager of record of Rita, not of Rob), Ada (a
Slack admin), Oscar (a bystander) and Fred, a user of another workspace (team T0002) whose
requests are signed like ours. ALLOWED is the rule set (DESIGN "Roles and authorization").

An allowed cell must do what the action does. A refused cell must say so where the person is
(an ephemeral reply; a DM on App Home, which has no reply channel; a field error in a modal)
and change nothing: every table row for row as before, no outbox row and nothing sent to Slack
(no post, update, publish, modal or upload) but that refusal's own DM. Everyone is known to the
app before the matrix starts, so not even a first-contact `member` row is allowed. The other
workspace is refused everywhere: a reply where the surface has one, and never a DM or a row.

What a person does with their own things (`/aor add`, `plan`, `settings`, `ooo`, `pending`, the
App Home buttons, the add-item and settings modals) is allowed to everyone in the workspace: it
acts on the caller's own AOR, never on Rob's, which the checks confirm.

The whole matrix runs on SQLite, one app shared by ~200 cells (~35 s): the rules are Python
over rows both backends return alike. What PostgreSQL changes (row locks, the append-only audit
trigger, JSON columns) is covered by `test_matrix_smoke_on_postgresql`, one action per surface
(a command, a message button, an App Home button, a menu, a modal, a tick) for every actor, and
by the concurrent requests of test_approvers.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import select

from bot.core.ids import (
    Action,
    Block,
    Callback,
    ItemMenu,
    decide_action_id,
    decide_value,
    item_menu_value,
)
from bot.services.assignments import DECISION_STATUS, TaskRequest, create_assignment
from bot.services.items import NewItem, add_own_item
from bot.services.plans import send_plan_now
from sandbox import FakeSlack, SlackResult, SlackSide
from sandbox.elements import find_element
from storage.enums import Cadence, Decision, ItemStatus, Tier
from storage.models import Assignment, Member, PlanCheck, Responsibility
from tests.conftest import fresh_database_url
from tests.utils.authz import (
    ACTORS,
    MANAGER,
    OTHER_REP,
    OUTSIDER,
    REP,
    TEAM,
    Snapshot,
    Surface,
    World,
    in_other_team,
    world_on,
)
from tests.utils.slack_text import replies
from tests.utils.wait import eventually

EVERYONE = frozenset({"rep", "manager", "other-manager", "admin", "bystander"})
REP_SIDE = frozenset({"rep", "manager", "admin"})  # R, R's manager of record, an admin
DECIDERS = frozenset({"manager", "admin"})  # the approver (Rob's manager), an admin
REP_OR_ADMIN = frozenset({"rep", "admin"})
REP_ONLY = frozenset({"rep"})
# Positions: an admin, or a manager of record of someone (Maria and Mia both are).
POSITION_EDITORS = frozenset({"manager", "other-manager", "admin"})
DECISIONS = (Decision.join_first, Decision.join_second, Decision.one_off, Decision.decline)
DECISION_WORDS = {
    Decision.join_first: "Join AOR: first priority",
    Decision.join_second: "Join AOR: second priority",
    Decision.one_off: "One-off outside AOR",
    Decision.decline: "Decline",
}

# The rule set: action -> who may do it ("other-team" never may).
# fmt: off
ALLOWED: dict[str, frozenset[str]] = {
    "/aor help":                                      EVERYONE,
    "/aor add-task @rob (a request; Maria decides)":  EVERYONE,
    "/aor add (to one's own AOR)":                    EVERYONE,
    "/aor doc @rob":                                  REP_SIDE,
    "/aor plan (one's own)":                          EVERYONE,
    "/aor set-manager @rob @maria":                   REP_OR_ADMIN,
    "/aor settings (one's own)":                      EVERYONE,
    "/aor ooo (one's own)":                           EVERYONE,
    "/aor pending (one's own queue)":                 EVERYONE,
    "/aor report @rob":                               REP_SIDE,
    "/aor export @rob":                               REP_SIDE,
    "/aor position (anyone reads)":                   EVERYONE,
    "/aor position assign @rob":                      POSITION_EDITORS,
    "/aor kpi @rob leads=40":                         REP_SIDE,
    "/aor coaching @rob tue 10:00":                   REP_SIDE,
    **{f"approval DM: {DECISION_WORDS[d]}": DECIDERS for d in DECISIONS},
    **{f"/aor pending list: {DECISION_WORDS[d]}": DECIDERS for d in DECISIONS},
    **{f"App Home queue: {DECISION_WORDS[d]}": DECIDERS for d in DECISIONS},
    "App Home: Add responsibility (one's own)":       EVERYONE,
    "App Home: Settings (one's own)":                 EVERYONE,
    "App Home: Today's plan (one's own)":             EVERYONE,
    "checklist tick on Rob's plan":                   REP_ONLY,
    "item menu on Rob's item: Edit":                  REP_SIDE,
    "item menu on Rob's item: Retire":                REP_SIDE,
    "modal: add-task for Rob":                        EVERYONE,
    "modal: add item (to one's own AOR)":             EVERYONE,
    "modal: edit Rob's item":                         REP_SIDE,
    "modal: settings (one's own)":                    EVERYONE,
    "rep's request DM: Push back":                    REP_ONLY,
    "modal: push back on a request for Rob":          REP_ONLY,
    # Rita asked: none of the people tried here may take her request back.
    "/aor pending list: Withdraw Rita's request":     frozenset(),
}
# fmt: on

# What an in-workspace refusal says.
SEE = "Only <@UREP>, their manager of record or an admin can see that."
SET_MANAGER = "Only the rep themself or an admin can set a rep's manager of record."
DECIDE = "Only <@UMANAGER> (or an admin) can decide this request."
CHANGE_ITEM = "Only <@UREP>, their manager or an admin can change it."
TICK = "This is <@UREP>'s plan: only they can tick it."
PUSH_BACK = "Only <@UREP>, who was asked to do it, can push back on this request."
WITHDRAW = "Only <@UREP2>, who asked for it, can withdraw this request."
POSITIONS = (
    "Only an admin or a manager of record can change positions. Anyone can read one: "
    "`/aor position TITLE`."
)
KPIS = "Only <@UREP>, their manager of record or an admin can log their KPIs."
ONE_ON_ONE = "Only <@UREP>, their manager of record or an admin can set their 1:1."


Ctx = dict[str, Any]
Check = Callable[[World, str, Ctx, SlackResult, Snapshot], None]  # the allowed outcome


@dataclass(frozen=True)
class Case:
    name: str  # its row in ALLOWED
    slug: str  # its test id
    surface: Surface  # where a refusal is told
    act: Callable[[World, SlackSide, str, Ctx], SlackResult]
    check: Check
    prepare: Callable[[World, str], Ctx] = lambda w, actor: {}
    refusal: str = ""  # what an in-workspace refusal says ("": nobody there is refused)
    served: tuple[str, ...] = ()  # text that, told to the other workspace, would be a leak
    command: bool = False  # a slash command: the other workspace must be told something
    marks: dict[str, Any] = field(default_factory=dict)  # actor -> a known-failing mark


# --- reading outcomes ---------------------------------------------------------------------


def _reply(w: World, result: SlackResult) -> str:
    return eventually(lambda: replies(w.fake, result.response_url))[-1]


def _assignment(w: World, **where: Any) -> Assignment | None:
    with w.rt.db.transaction() as session:
        rows = session.exec(select(Assignment)).all()
    return next((a for a in rows if all(getattr(a, k) == v for k, v in where.items())), None)


def _item(w: World, **where: Any) -> Responsibility | None:
    with w.rt.db.transaction() as session:
        rows = session.exec(select(Responsibility)).all()
    return next((i for i in rows if all(getattr(i, k) == v for k, v in where.items())), None)


def _member(w: World, user_id: str) -> Member:
    with w.rt.db.transaction() as session:
        member = session.get(Member, (TEAM, user_id))
    assert member is not None
    return member


def _rep_untouched(w: World, actor: str, before: Snapshot) -> None:
    """An action on one's own things left Rob's member row (his settings, manager of record,
    out-of-office) as it was."""
    if actor == REP:
        return
    assert [r for r in w.snapshot().tables["member"] if r[1] == REP] == [
        r for r in before.tables["member"] if r[1] == REP
    ]


# --- subcommands --------------------------------------------------------------------------


def _command(text: str) -> Callable[[World, SlackSide, str, Ctx], SlackResult]:
    return lambda w, side, actor, ctx: side.command(text.format(**ctx), user_id=actor)


def _check_help(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
    assert "`/aor add-task" in result.json["text"]


def _check_add_task(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
    told = _reply(w, result)
    assert "Sent to <@UMANAGER> for a decision" in told or "It is yours to decide" in told
    made = _assignment(w, title=ctx["title"])
    assert made is not None
    assert (made.requested_by, made.approver_id, made.rep_id) == (actor, MANAGER, REP)


def _check_add(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
    assert "Added to your AOR" in _reply(w, result)
    assert _item(w, title=ctx["title"], owner_id=actor) is not None


def _check_doc(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
    assert "AOR of Rob Rep" in _reply(w, result)


def _replied(*words: str, own: bool = True) -> Check:
    """Told one of `words`; with `own`, Rob's settings untouched unless Rob acted."""

    def check(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
        told = _reply(w, result)
        assert any(word in told for word in words), told
        if own:
            _rep_untouched(w, actor, before)

    return check


def _opened(callback_id: str) -> Check:
    def check(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
        eventually(lambda: w.opened_since(before, callback_id))

    return check


def _sent_files(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
    assert "sent to your DMs" in _reply(w, result)
    assert any(c.method.startswith("files.") for c in w.calls_since(before))


def _fresh_request_title(w: World, actor: str) -> Ctx:
    w.withdraw_pending()
    return {"title": w.title("Asked by text")}


def _titled(what: str) -> Callable[[World, str], Ctx]:
    return lambda w, actor: {"title": w.title(what)}


def _cmd(name: str, slug: str, text: str, check: Check, **more: Any) -> Case:
    surface: Surface = "ack" if slug == "help" else "reply"
    return Case(name, slug, surface, _command(text), check, command=True, **more)


COMMANDS = [
    _cmd("/aor help", "help", "help", _check_help, served=("/aor add-task",)),
    _cmd(
        "/aor add-task @rob (a request; Maria decides)",
        "add-task",
        "add-task <@UREP|rob> {title} 1h",
        _check_add_task,
        prepare=_fresh_request_title,
    ),
    _cmd(
        "/aor add (to one's own AOR)",
        "add",
        "add {title} 1h first weekly",
        _check_add,
        prepare=_titled("Own work"),
    ),
    _cmd("/aor doc @rob", "doc", "doc <@UREP|rob>", _check_doc, refusal=SEE, served=("AOR of",)),
    _cmd(
        "/aor plan (one's own)",
        "plan",
        "plan",
        _replied("Your plan for", "Nothing to plan today"),
        served=("plan",),
    ),
    _cmd(
        "/aor set-manager @rob @maria",
        "set-manager",
        "set-manager <@UREP|rob> <@UMANAGER|maria>",
        _replied("is now <@UREP>'s manager of record", "is now your manager of record", own=False),
        refusal=SET_MANAGER,
    ),
    _cmd("/aor settings (one's own)", "settings", "settings", _opened(Callback.settings)),
    _cmd(
        "/aor ooo (one's own)",
        "ooo",
        "ooo off",
        _replied("Morning plans at"),
        served=("Morning plans",),
    ),
    _cmd(
        "/aor pending (one's own queue)",
        "pending",
        "pending",
        _replied("on your decision"),
        served=("your decision",),
    ),
    _cmd("/aor report @rob", "report", "report <@UREP|rob>", _sent_files, refusal=SEE),
    _cmd("/aor export @rob", "export", "export <@UREP|rob>", _sent_files, refusal=SEE),
    _cmd(
        "/aor position (anyone reads)",
        "position",
        "position Online sales specialist",
        _replied("Position: Online sales specialist"),
        served=("Position:",),
    ),
    _cmd(
        "/aor position assign @rob",
        "position-assign",
        "position assign <@UREP|rob> Online sales specialist",
        _replied("<@UREP> now has the position *Online sales specialist*", own=False),
        refusal=POSITIONS,
    ),
    _cmd(
        "/aor kpi @rob leads=40",
        "kpi",
        "kpi <@UREP|rob> leads=40",
        _replied("Logged for", own=False),
        refusal=KPIS,
        served=("Logged",),
    ),
    _cmd(
        "/aor coaching @rob tue 10:00",
        "coaching",
        "coaching <@UREP|rob> tue 10:00",
        _replied("Your 1:1 with", own=False),
        refusal=ONE_ON_ONE,
        served=("1:1",),
    ),
]

# --- the four decision buttons, on each of their three surfaces ---------------------------


def _buttons_with(value: str) -> Callable[[dict[str, Any] | None], bool]:
    def has(message: dict[str, Any] | None) -> bool:
        return message is not None and any(
            e.get("value") == value and e.get("action_id", "").startswith(Action.decide)
            for b in message.get("blocks", [])
            for e in b.get("elements", [])
        )

    return has


def _request(w: World, actor: str) -> Ctx:
    """A fresh request of Rita's for Rob, waiting on Maria."""
    w.withdraw_pending()
    made = create_assignment(
        w.rt,
        team_id=TEAM,
        requester_id=OTHER_REP,
        task=TaskRequest(rep_id=REP, title=w.title("Request"), minutes=60, cadence=Cadence.once),
    )
    return {"id": made.id, "value": decide_value(made.id or 0)}


def _prepare_dm(w: World, actor: str) -> Ctx:
    ctx = _request(w, actor)
    has = _buttons_with(ctx["value"])
    message = eventually(lambda: next(filter(has, w.fake.dm_messages(MANAGER)), None))
    return ctx | {"channel": w.fake.dm_channel(MANAGER), "ts": message["ts"]}


def _prepare_pending(w: World, actor: str) -> Ctx:
    ctx = _request(w, actor)
    w.slack.command("pending", user_id=MANAGER)
    has = _buttons_with(ctx["value"])
    message = eventually(lambda: next(filter(has, w.fake.ephemerals(MANAGER)), None))
    return ctx | {"channel": message["channel"], "ts": message["ts"]}


def _prepare_home_queue(w: World, actor: str) -> Ctx:
    ctx = _request(w, actor)
    has = _buttons_with(ctx["value"])
    return ctx | {"view": eventually(lambda: (h := w.fake.home(MANAGER)) and has(h) and h)}


def _click(decision: Decision) -> Callable[[World, SlackSide, str, Ctx], SlackResult]:
    def act(w: World, side: SlackSide, actor: str, ctx: Ctx) -> SlackResult:
        action_id = decide_action_id(decision)
        if "view" in ctx:
            block_id, button = find_element(ctx["view"], action_id=action_id, value=ctx["value"])
            return side.block_action(
                user_id=actor, action={**button, "block_id": block_id}, view=ctx["view"]
            )
        return side.click_button(
            user_id=actor,
            channel=ctx["channel"],
            ts=ctx["ts"],
            action_id=action_id,
            value=ctx["value"],
        )

    return act


def _decided(decision: Decision) -> Check:
    def check(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
        eventually(
            lambda: _assignment(w, id=ctx["id"], status=DECISION_STATUS[decision], decided_by=actor)
        )

    return check


DECISION_CASES = [
    Case(
        f"{where}: {DECISION_WORDS[d]}",
        f"{slug}-{d}",
        surface,
        _click(d),
        _decided(d),
        prepare=prepare,
        refusal=DECIDE,
    )
    for where, slug, surface, prepare in (
        ("approval DM", "dm", "reply", _prepare_dm),
        ("/aor pending list", "pending-list", "reply", _prepare_pending),
        ("App Home queue", "home-queue", "dm", _prepare_home_queue),
    )
    for d in DECISIONS
]


# --- App Home buttons ---------------------------------------------------------------------


def _home_button(action_id: str) -> Callable[[World, str], Ctx]:
    def prepare(w: World, actor: str) -> Ctx:
        mine = actor != OUTSIDER
        home = w.home(actor if mine else REP)
        block_id, button = find_element(home, action_id=action_id)
        view = home if mine else {"type": "home", "id": "VT0002HOME", "blocks": []}
        return {"view": view, "action": {**button, "block_id": block_id}}

    return prepare


def _press(w: World, side: SlackSide, actor: str, ctx: Ctx) -> SlackResult:
    return side.block_action(user_id=actor, action=ctx["action"], view=ctx["view"])


def _plan_sent(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
    channels = {actor, w.fake.dm_channel(actor)}
    eventually(
        lambda: any(
            c.method in ("chat.postMessage", "chat.update") and c.args.get("channel") in channels
            for c in w.calls_since(before)
        )
    )
    _rep_untouched(w, actor, before)


HOME = [
    Case(
        "App Home: Add responsibility (one's own)",
        "home-add",
        "dm",
        _press,
        _opened(Callback.add_item),
        prepare=_home_button(Action.open_add_item),
    ),
    Case(
        "App Home: Settings (one's own)",
        "home-settings",
        "dm",
        _press,
        _opened(Callback.settings),
        prepare=_home_button(Action.open_settings),
    ),
    Case(
        "App Home: Today's plan (one's own)",
        "home-plan",
        "dm",
        _press,
        _plan_sent,
        prepare=_home_button(Action.send_plan),
    ),
]


# --- the checklist and the item menu ------------------------------------------------------


def _prepare_tick(w: World, actor: str) -> Ctx:
    """Rob's plan for today, with at least one item on it."""
    if "plan" not in w.cache:
        add_own_item(
            w.rt,
            team_id=TEAM,
            user_id=REP,
            new=NewItem(
                title=w.title("Prospecting calls"),
                minutes=60,
                tier=Tier.first,
                cadence=Cadence.daily,
            ),
        )
        w.cache["plan"] = send_plan_now(w.rt, team_id=TEAM, user_id=REP)

    def plan_message() -> dict[str, Any] | None:
        return next(
            (
                m
                for m in w.fake.dm_messages(REP)
                for b in m.get("blocks", [])
                for e in b.get("elements", [])
                if e.get("action_id", "").startswith(Action.plan_check)
            ),
            None,
        )

    message = eventually(plan_message)
    block = next(b for b in message["blocks"] if b["type"] == "actions")
    element = block["elements"][0]
    value = element["options"][0]["value"]
    ticked = any(o["value"] == value for o in element.get("initial_options", []))
    return {
        "ts": message["ts"],
        "action_id": element["action_id"],
        "block_id": block["block_id"],
        "selected": [] if ticked else [value],
    }


def _tick(w: World, side: SlackSide, actor: str, ctx: Ctx) -> SlackResult:
    return side.check_boxes(
        user_id=actor,
        channel=w.fake.dm_channel(REP),
        ts=ctx["ts"],
        action_id=ctx["action_id"],
        block_id=ctx["block_id"],
        selected_values=ctx["selected"],
    )


def _ticked(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
    def checks() -> int:
        with w.rt.db.transaction() as session:
            return len(session.exec(select(PlanCheck)).all())

    eventually(lambda: checks() > len(before.tables["plan_check"]))


def _rob_item(w: World) -> Responsibility:
    return add_own_item(
        w.rt,
        team_id=TEAM,
        user_id=REP,
        new=NewItem(
            title=w.title("Rob's item"), minutes=30, tier=Tier.first, cadence=Cadence.weekly
        ),
    )


def _menu_on(w: World, item: Responsibility, choice: ItemMenu) -> Ctx:
    """Rob's App Home as it shows the item, and its menu entry."""
    value = item_menu_value(choice, item.id or 0)

    def find() -> Ctx | None:
        home = w.fake.home(REP) or {}
        for block in home.get("blocks", []):
            menu = block.get("accessory") or {}
            for option in menu.get("options", []):
                if menu.get("action_id") == Action.item_menu and option["value"] == value:
                    action = {**menu, "block_id": block["block_id"], "selected_option": option}
                    return {"view": home, "action": action, "item": item.id}
        return None

    return eventually(find)


def _prepare_menu(choice: ItemMenu) -> Callable[[World, str], Ctx]:
    return lambda w, actor: _menu_on(w, _rob_item(w), choice)


def _retired(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
    eventually(lambda: _item(w, id=ctx["item"], status=ItemStatus.retired))


MENU_AND_TICKS = [
    Case(
        "checklist tick on Rob's plan",
        "tick",
        "reply",
        _tick,
        _ticked,
        prepare=_prepare_tick,
        refusal=TICK,
    ),
    Case(
        "item menu on Rob's item: Edit",
        "menu-edit",
        "dm",
        _press,
        _opened(Callback.edit_item),
        prepare=_prepare_menu(ItemMenu.edit),
        refusal=CHANGE_ITEM,
    ),
    Case(
        "item menu on Rob's item: Retire",
        "menu-retire",
        "dm",
        _press,
        _retired,
        prepare=_prepare_menu(ItemMenu.retire),
        refusal=CHANGE_ITEM,
    ),
]


# --- modals: opened by the app, submitted by the actor ------------------------------------


def _opened_view(w: World, open_it: Callable[[], object], callback_id: str) -> dict[str, Any]:
    count = len(w.fake.calls_to("views.open"))
    open_it()
    eventually(lambda: len(w.fake.calls_to("views.open")) > count)
    view = w.fake.last_view()
    assert view["callback_id"] == callback_id
    return view


def _opener(actor: str) -> str:
    """Who opens the modal: the actor, or for the other workspace's user, Rita (Slack would
    never let them submit our modal; a forged submission is what is tried)."""
    return OTHER_REP if actor == OUTSIDER else actor


def _from_home(w: World, user_id: str, action_id: str) -> None:
    home = w.home(user_id)
    block_id, button = find_element(home, action_id=action_id)
    w.slack.block_action(user_id=user_id, action={**button, "block_id": block_id}, view=home)


def _prepare_task_modal(w: World, actor: str) -> Ctx:
    w.withdraw_pending()
    view = _opened_view(
        w, lambda: w.slack.command("add-task", user_id=_opener(actor)), Callback.add_task
    )
    return {"view": view, "title": w.title("Asked in a form")}


def _prepare_item_modal(w: World, actor: str) -> Ctx:
    opener = _opener(actor)
    view = _opened_view(w, lambda: _from_home(w, opener, Action.open_add_item), Callback.add_item)
    return {"view": view, "title": w.title("Own form work")}


def _prepare_edit_modal(w: World, actor: str) -> Ctx:
    item = _rob_item(w)
    menu = _menu_on(w, item, ItemMenu.edit)
    view = _opened_view(
        w,
        lambda: w.slack.block_action(user_id=REP, action=menu["action"], view=menu["view"]),
        Callback.edit_item,
    )
    return {"view": view, "item": item.id, "title": item.title}


def _prepare_settings_modal(w: World, actor: str) -> Ctx:
    opener = _opener(actor)
    view = _opened_view(w, lambda: _from_home(w, opener, Action.open_settings), Callback.settings)
    return {"view": view}


def _submit(answers: Callable[[Ctx], dict[str, Any]]) -> Callable[..., SlackResult]:
    def act(w: World, side: SlackSide, actor: str, ctx: Ctx) -> SlackResult:
        return side.submit_view(user_id=actor, answers=answers(ctx), view=ctx["view"])

    return act


def _closed(then: Callable[[World, str, Ctx], object], *, own: bool = False) -> Check:
    """The modal closed (saved) and `then` came true; with `own`, Rob's settings untouched
    unless Rob acted."""

    def check(w: World, actor: str, ctx: Ctx, result: SlackResult, before: Snapshot) -> None:
        assert not result.body, result.body
        eventually(lambda: then(w, actor, ctx))
        if own:
            _rep_untouched(w, actor, before)

    return check


def _item_form(title: str, duration: str, tier: Tier) -> dict[str, Any]:
    return {
        Block.title_text: title,
        Block.duration: duration,
        Block.tier: str(tier),
        Block.cadence: "weekly",
    }


MODALS = [
    Case(
        "modal: add-task for Rob",
        "modal-add-task",
        "modal",
        _submit(lambda ctx: {Block.rep: REP, Block.title_text: ctx["title"], Block.duration: "1h"}),
        _closed(lambda w, actor, ctx: _assignment(w, title=ctx["title"], requested_by=actor)),
        prepare=_prepare_task_modal,
    ),
    Case(
        "modal: add item (to one's own AOR)",
        "modal-add-item",
        "modal",
        _submit(lambda ctx: _item_form(ctx["title"], "30m", Tier.second)),
        _closed(lambda w, actor, ctx: _item(w, title=ctx["title"], owner_id=actor)),
        prepare=_prepare_item_modal,
    ),
    Case(
        "modal: edit Rob's item",
        "modal-edit-item",
        "modal",
        _submit(lambda ctx: _item_form(ctx["title"], "45m", Tier.first)),
        _closed(lambda w, actor, ctx: _item(w, id=ctx["item"], minutes=45)),
        prepare=_prepare_edit_modal,
        refusal=CHANGE_ITEM,
    ),
    Case(
        "modal: settings (one's own)",
        "modal-settings",
        "modal",
        _submit(
            lambda ctx: {
                Block.plan_time: "08:30",
                Block.workdays: ["0", "1", "2", "3", "4"],
                Block.capacity: "39",
            }
        ),
        _closed(lambda w, actor, ctx: _member(w, actor).capacity_minutes == 39 * 60, own=True),
        prepare=_prepare_settings_modal,
    ),
]

# --- the rep's voice and the requester's withdrawal (issue 12) ----------------------------


def _with_button(action_id: str, value: str) -> Callable[[dict[str, Any] | None], bool]:
    def has(message: dict[str, Any] | None) -> bool:
        return message is not None and any(
            e.get("value") == value and e.get("action_id") == action_id
            for b in message.get("blocks", [])
            for e in b.get("elements", [])
        )

    return has


def _prepare_rep_dm(w: World, actor: str) -> Ctx:
    ctx = _request(w, actor)
    has = _with_button(Action.pushback, ctx["value"])
    message = eventually(lambda: next(filter(has, w.fake.dm_messages(REP)), None))
    return ctx | {"channel": w.fake.dm_channel(REP), "ts": message["ts"]}


def _prepare_asked(w: World, actor: str) -> Ctx:
    ctx = _request(w, actor)
    w.slack.command("pending", user_id=OTHER_REP)
    has = _with_button(Action.withdraw, ctx["value"])
    message = eventually(lambda: next(filter(has, w.fake.ephemerals(OTHER_REP)), None))
    return ctx | {"channel": message["channel"], "ts": message["ts"]}


def _press_in_message(action_id: str) -> Callable[[World, SlackSide, str, Ctx], SlackResult]:
    def act(w: World, side: SlackSide, actor: str, ctx: Ctx) -> SlackResult:
        return side.click_button(
            user_id=actor,
            channel=ctx["channel"],
            ts=ctx["ts"],
            action_id=action_id,
            value=ctx["value"],
        )

    return act


def _prepare_pushback_modal(w: World, actor: str) -> Ctx:
    ctx = _prepare_rep_dm(w, actor)
    view = _opened_view(
        w,
        lambda: w.slack.click_button(
            user_id=REP,
            channel=ctx["channel"],
            ts=ctx["ts"],
            action_id=Action.pushback,
            value=ctx["value"],
        ),
        Callback.pushback,
    )
    return ctx | {"view": view}


REQUEST_VOICE = [
    Case(
        "rep's request DM: Push back",
        "rep-dm-push-back",
        "reply",
        _press_in_message(Action.pushback),
        _opened(Callback.pushback),
        prepare=_prepare_rep_dm,
        refusal=PUSH_BACK,
    ),
    Case(
        "modal: push back on a request for Rob",
        "modal-push-back",
        "modal",
        _submit(lambda ctx: {Block.pushback_why: "Takes 5h, not 5 minutes"}),
        _closed(
            lambda w, actor, ctx: _assignment(
                w, id=ctx["id"], pushback_note="Takes 5h, not 5 minutes"
            )
        ),
        prepare=_prepare_pushback_modal,
        refusal=PUSH_BACK,
    ),
    Case(
        "/aor pending list: Withdraw Rita's request",
        "pending-list-withdraw",
        "reply",
        _press_in_message(Action.withdraw),
        lambda w, actor, ctx, result, before: None,  # nobody tried here may
        prepare=_prepare_asked,
        refusal=WITHDRAW,
    ),
]

CASES = [*COMMANDS, *DECISION_CASES, *HOME, *MENU_AND_TICKS, *MODALS, *REQUEST_VOICE]


def _cells(cases: list[Case], actors: list[str]) -> Iterator[Any]:
    for case in cases:
        for actor in actors:
            marks = [case.marks[actor]] if actor in case.marks else []
            yield pytest.param(case, actor, id=f"{case.slug}-{actor}", marks=marks)


# --- one cell -----------------------------------------------------------------------------


def run_cell(w: World, case: Case, actor: str) -> None:
    actor_id = ACTORS[actor]
    if actor == "other-team":
        w.forget_outsider()
    ctx = case.prepare(w, actor_id)
    if actor == "other-team" and "view" in ctx:
        ctx["view"] = in_other_team(ctx["view"])
    w.settle()
    before = w.snapshot()
    result = case.act(w, w.side(actor), actor_id, ctx)
    assert result.status == 200, (result.status, result.body)
    if actor in ALLOWED[case.name]:
        case.check(w, actor_id, ctx, result, before)
        return
    if actor == "other-team":
        # Told on the surface the request came from, if it has one; never by a DM here.
        if case.command:
            told = w.told("reply", result, actor_id, before)
        else:
            w.settle()
            told = w.told(case.surface, result, actor_id, before, wait=False)
        assert not any(leak in told for leak in case.served), told
        w.assert_unchanged(before, actor_id=actor_id, refusal_dm=None, result=result)
        return
    told = w.told(case.surface, result, actor_id, before)
    assert case.refusal and case.refusal in told, told
    refusal_dm = told if case.surface == "dm" else None
    w.assert_unchanged(before, actor_id=actor_id, refusal_dm=refusal_dm, result=result)


@pytest.fixture(scope="module")
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    url = fresh_database_url("sqlite", request, tmp_path_factory.mktemp("authz"))
    with FakeSlack() as fake, world_on(fake, url) as w:
        yield w


@pytest.mark.parametrize(("case", "actor"), list(_cells(CASES, list(ACTORS))))
def test_matrix(world: World, case: Case, actor: str) -> None:
    run_cell(world, case, actor)


def test_the_table_names_every_action_once() -> None:
    assert [c.name for c in CASES] == list(ALLOWED)
    assert all(allowed <= EVERYONE for allowed in ALLOWED.values())


# --- PostgreSQL: one action per surface, every actor --------------------------------------

SMOKE = ("doc", "dm-decline", "home-queue-join_first", "tick", "menu-retire", "modal-edit-item")


@pytest.fixture(scope="module")
def pg_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    url = fresh_database_url("postgresql", request, tmp_path_factory.mktemp("authz-pg"))
    with FakeSlack() as fake, world_on(fake, url) as w:
        yield w


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("case", "actor"), list(_cells([c for c in CASES if c.slug in SMOKE], list(ACTORS)))
)
def test_matrix_smoke_on_postgresql(pg_world: World, case: Case, actor: str) -> None:
    run_cell(pg_world, case, actor)
