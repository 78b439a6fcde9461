"""What Slack sends, read into typed objects at the edge, before any service sees it: one
listener's payload each (`parse_*`), raising Malformed (a clear "out of date" message) on
anything this app did not send. `bot.rules.envelope` has checked by then that a listener can
take the payload at all; modal state and `private_metadata` are read in `bot.render.modals`,
beside the builders."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.core.errors import Malformed
from bot.core.ids import (
    STALE_BUTTON,
    STALE_CHECKLIST,
    STALE_CHOICE,
    STALE_MENU,
    ItemMenu,
    parse_decide,
    parse_id,
    parse_item_menu_value,
    parse_plan_check_action_id,
    parse_tier_choice,
    parse_withdraw_value,
)
from bot.rules.envelope import (
    INCOMPLETE_COMMAND,
    STALE_ACTION,
    command_problem,
    first_action_problem,
    is_slack_id,
    is_trigger_id,
    reply_url,
)
from storage.enums import Cadence, Decision, Tier

Json = Mapping[str, Any]


# --- one listener's payload ----------------------------------------------------------------


@dataclass(frozen=True)
class SlashCommand:
    team_id: str
    user_id: str
    channel_id: str
    text: str
    trigger_id: str


def parse_command(body: Json) -> SlashCommand:
    if command_problem(body) is not None:
        raise Malformed(INCOMPLETE_COMMAND)
    return SlashCommand(
        team_id=body["team_id"],
        user_id=body["user_id"],
        channel_id=_text(body.get("channel_id")),
        text=_text(body.get("text")),
        trigger_id=_text(body.get("trigger_id")),
    )


@dataclass(frozen=True)
class Click:
    """What every `block_actions` payload tells a listener: the first action and where it was."""

    action: Json
    trigger_id: str
    response_url: str | None
    in_ephemeral: bool  # in an ephemeral message (`/aor pending`): only response_url reaches it
    state: Json  # `state.values` of the inputs beside the clicked element ({} when none)


def parse_click(body: Json, *, stale: str = STALE_ACTION) -> Click:
    if first_action_problem(body.get("actions")) is not None:
        raise Malformed(stale)
    container = body.get("container")
    in_ephemeral = isinstance(container, Mapping) and container.get("is_ephemeral") is True
    response_url = reply_url(body)
    if in_ephemeral and response_url is None:
        raise Malformed(stale)  # nothing could answer beside that message
    state = body.get("state")
    values = state.get("values") if isinstance(state, Mapping) else None
    return Click(
        action=body["actions"][0],
        trigger_id=_text(body.get("trigger_id")),
        response_url=response_url,
        in_ephemeral=in_ephemeral,
        state=values if isinstance(values, Mapping) else {},
    )


@dataclass(frozen=True)
class DecideClick:
    assignment_id: int
    decision: Decision
    note: str | None
    in_ephemeral: bool  # in the `/aor pending` list, not on the approval message itself
    response_url: str | None


def parse_decide_click(body: Json, *, note_block: str) -> DecideClick:
    """A decision button: the assignment (value), the decision (action_id) and the note typed
    beside the buttons, if any."""
    click = parse_click(body, stale=STALE_BUTTON)
    assignment_id, decision = parse_decide(
        _text(click.action["action_id"]), _text(click.action.get("value"))
    )
    block = click.state.get(note_block)
    note_input = block.get(note_block) if isinstance(block, Mapping) else None
    note = note_input.get("value") if isinstance(note_input, Mapping) else None
    return DecideClick(
        assignment_id=assignment_id,
        decision=decision,
        note=note if isinstance(note, str) else None,
        in_ephemeral=click.in_ephemeral,
        response_url=click.response_url,
    )


def parse_request_click(body: Json) -> tuple[int, Click]:
    """A button naming a request (withdraw, push back): the assignment (its value), and where
    it was clicked."""
    click = parse_click(body, stale=STALE_BUTTON)
    return parse_withdraw_value(click.action.get("value")), click


@dataclass(frozen=True)
class MenuClick:
    choice: ItemMenu
    item_id: int
    trigger_id: str


def parse_menu_click(body: Json) -> MenuClick:
    """An entry of the overflow menu beside an item (its value names the entry and item)."""
    click = parse_click(body, stale=STALE_MENU)
    option = click.action.get("selected_option")
    value = option.get("value") if isinstance(option, Mapping) else None
    if not isinstance(value, str):
        raise Malformed(STALE_MENU)
    choice, item_id = parse_item_menu_value(value)
    if choice == ItemMenu.edit and not is_trigger_id(click.trigger_id):
        raise Malformed(STALE_MENU)  # the edit form could not open
    return MenuClick(choice=choice, item_id=item_id, trigger_id=click.trigger_id)


@dataclass(frozen=True)
class PlanTick:
    plan_id: int
    group: int
    selected: tuple[int, ...]  # the item ids now ticked in that group
    at: datetime | None  # when the click happened, when Slack says
    response_url: str | None


def parse_plan_tick(body: Json) -> PlanTick:
    """A checkboxes change on a checklist: Slack sends the element's whole selection."""
    click = parse_click(body, stale=STALE_CHECKLIST)
    plan_id, group = parse_plan_check_action_id(_text(click.action["action_id"]))
    options = click.action.get("selected_options")
    if options is None:
        options = []
    if not isinstance(options, list):
        raise Malformed(STALE_CHECKLIST)
    selected: list[int] = []
    for option in options:
        item_id = parse_id(option.get("value")) if isinstance(option, Mapping) else None
        if item_id is None:
            raise Malformed(STALE_CHECKLIST)
        selected.append(item_id)
    return PlanTick(
        plan_id=plan_id,
        group=group,
        selected=tuple(selected),
        at=_timestamp(click.action.get("action_ts")),
        response_url=click.response_url,
    )


def _timestamp(raw: object) -> datetime | None:
    """Slack's `action_ts` ("1700000000.123456"); None when absent or not a plausible time."""
    if not isinstance(raw, str):
        return None
    try:
        seconds = float(raw)
    except ValueError:
        return None
    if not math.isfinite(seconds) or not 0 < seconds < 1e11:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def parse_trigger(body: Json) -> str:
    """The trigger_id a button's click carries, to open a modal with."""
    trigger_id = parse_click(body).trigger_id
    if not is_trigger_id(trigger_id):
        raise Malformed(STALE_ACTION)
    return trigger_id


@dataclass(frozen=True)
class HomeOpened:
    user_id: str
    tab: str


def parse_home_opened(event: Json) -> HomeOpened:
    user, tab = event.get("user"), event.get("tab")
    if not is_slack_id(user):
        raise Malformed("app_home_opened without a user")
    return HomeOpened(user_id=str(user), tab=tab if isinstance(tab, str) else "")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def parse_tier_click(body: Json) -> tuple[Tier, int, Cadence, str, str | None]:
    """A tier button under `/aor add`: (tier, minutes, cadence, title, response_url)."""
    click = parse_click(body, stale=STALE_CHOICE)
    tier, minutes, cadence, title = parse_tier_choice(
        _text(click.action["action_id"]), _text(click.action.get("value"))
    )
    return tier, minutes, cadence, title, click.response_url
