"""Signed but malformed payloads, as hypothesis strategies, and the checks every answer must
pass: slash commands, `block_actions`, `view_submission`, `view_closed` and events that Slack
signs exactly as it signs real ones, with fields missing, of the wrong type, or holding ids
that are out of date, out of range or only look like digits.

A payload is a spec until it is sent: the placeholders RESPONSE_URL and TRIGGER_ID become a
response_url and a trigger_id the fake Slack issues at that moment (each is good for a few
uses, and hypothesis replays examples), so the app's answers to them are checked as Slack
would check them."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from bot.core.ids import (
    MAX_ID,
    Action,
    Block,
    Callback,
    ItemMenu,
    decide_action_id,
    item_menu_value,
    plan_check_action_id,
)
from handlers.commands.routes import ROUTES
from sandbox import FakeSlack, SlackResult, SlackSide
from storage.enums import Decision
from tests.utils.front_door import Tally
from tests.utils.slack_text import replies
from tests.utils.wait import eventually

ANSWER_WITHIN = 3.0  # Slack's limit on every answer
RESPONSE_URL = "<issued response_url>"
TRIGGER_ID = "<issued trigger_id>"
FORM = "application/x-www-form-urlencoded"
PEOPLE = ("UMANAGER", "UREP", "UREP2", "UOTHER", "UADMIN")
TEAM = "T0001"

# Ids as they reach the app: real ones (1 exists once the test has set up), and what
# `str.isdigit()`, `int()` or an INTEGER column would get wrong.
JUNK_ID_TEXT = ("²", "٣", " 1", "+1", "1_0", "01", "0", "-1", "1.5", "", "x", "1\n")
ID_TEXT = st.one_of(
    st.sampled_from(["1", "2", "3", str(MAX_ID)]),
    st.sampled_from([str(MAX_ID + 1), str(2**63), str(2**64), "9" * 30, *JUNK_ID_TEXT]),
    st.integers(min_value=1, max_value=2**70).map(str),
)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
# A response_url: issued by the fake now, absent (the key left out), or not one at all.
# (An unissued URL on the fake's own host would be the app's fault to post to, as Slack would
# say; one elsewhere is refused by the network, quickly.)
REPLY_URLS = st.one_of(
    st.just(RESPONSE_URL),
    st.just(RESPONSE_URL),
    st.sampled_from(["not a url", "https://", "http://127.0.0.1:1/x", "ftp://x/y"]),
    JUNK,
)
OMIT = object()  # a field left out of its object


def field_of(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A field's value: nearly always `good`; now and then missing or of the wrong type (the
    rest of the breakage comes from `tampered`, one field of a whole payload at a time). One
    draw in ten, from the middle of the range: hypothesis favours the ends."""
    return st.integers(0, 9).flatmap(lambda n: st.one_of(st.just(OMIT), JUNK) if n == 7 else good)


def obj(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not OMIT}
    )


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a payload a value sits (object keys and list positions)."""
    found: list[tuple[Any, ...]] = []
    items = (
        value.items()
        if isinstance(value, Mapping)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, inner in items:
        found.append((*prefix, key))
        found.extend(_paths(inner, (*prefix, key)))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, Mapping):
        copy = dict(value)
        if rest or new is not OMIT:
            copy[head] = _replace(value[head], rest, new)
        else:
            del copy[head]
        return copy
    copy_list = list(value)
    if rest or new is not OMIT:
        copy_list[head] = _replace(value[head], rest, new)
    else:
        del copy_list[head]
    return copy_list


def tampered(payloads: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A payload with one value anywhere in it removed or replaced by one of the wrong type."""

    def tamper(payload: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        paths = _paths(payload)
        if not paths:
            return st.just(payload)
        return st.tuples(st.sampled_from(paths), st.one_of(st.just(OMIT), JUNK)).map(
            lambda t: _replace(payload, t[0], t[1])
        )

    return payloads.flatmap(tamper)


def good_or_tampered(payloads: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[Any]:
    return st.one_of(payloads, tampered(payloads))


@dataclass(frozen=True)
class Signed:
    """One payload Slack could have signed: what it is (`kind`), and its body as a spec."""

    kind: str
    payload: Mapping[str, Any]
    form: bool = False  # a slash command: form fields, not a JSON `payload`

    def body(self, side: SlackSide) -> tuple[str, str]:
        """The body as sent now (placeholders issued by the fake) and its content type."""
        resolved = _resolve(self.payload, side)
        if self.form:
            return urlencode({k: _form_value(v) for k, v in resolved.items()}), FORM
        if self.kind == "event":
            return json.dumps(resolved), "application/json"
        return urlencode({"payload": json.dumps(resolved)}), FORM


def _resolve(value: Any, side: SlackSide) -> Any:
    if value == RESPONSE_URL:
        return side.fake.new_response_url(channel="DUREP", user_id="UREP")
    if value == TRIGGER_ID:
        return side.fake.issue_trigger_id()
    if isinstance(value, Mapping):
        return {k: _resolve(v, side) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, side) for v in value]
    return value


def _form_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


# --- slash commands ------------------------------------------------------------------------

SUBCOMMANDS = ("", "help", *ROUTES)
ARGS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "<@UREP|rob> Fuzzed task 1h",
            "<@UREP> x 99999999h",
            "<@U²|x> t 1h",
            "Fuzzed item 1h weekly",
            "<@UREP|rob> <@UMANAGER|maria>",
            "9999-99-99",
            "off",
            "<@UREP|rob> last-week",
        ]
    ),
)


def commands() -> st.SearchStrategy[Signed]:
    text = st.one_of(
        st.tuples(st.sampled_from(SUBCOMMANDS), ARGS).map(lambda t: f"{t[0]} {t[1]}".strip()),
        st.text(max_size=60),
    )
    payload = obj(
        token=st.just("sandbox-verification-token"),
        team_id=field_of(st.just(TEAM)),
        team_domain=st.just("acme"),
        channel_id=field_of(st.sampled_from(["C0001", "DUREP"])),
        user_id=field_of(st.sampled_from(PEOPLE)),
        command=field_of(st.sampled_from(["/aor", "/aor", "/other", ""])),
        text=field_of(text),
        response_url=field_of(st.just(RESPONSE_URL)),
        trigger_id=field_of(st.just(TRIGGER_ID)),
    )
    return good_or_tampered(payload).map(lambda p: Signed("command", p, form=True))


# --- interactions --------------------------------------------------------------------------


def _user() -> st.SearchStrategy[Any]:
    good = obj(id=field_of(st.sampled_from(PEOPLE)), team_id=st.just(TEAM))
    return field_of(good)


def _team() -> st.SearchStrategy[Any]:
    return field_of(obj(id=field_of(st.just(TEAM)), domain=st.just("acme")))


def _action() -> st.SearchStrategy[Any]:
    decision = st.sampled_from(list(Decision)).map(decide_action_id)
    action_ids = st.one_of(
        decision,
        st.sampled_from(
            [
                Action.item_menu,
                Action.open_add_item,
                Action.open_settings,
                Action.send_plan,
                Action.decide.value,
                f"{Action.decide}:maybe",
            ]
        ),
        st.tuples(ID_TEXT, st.sampled_from(["0", "1", "9", "²", "x", "1000"])).map(
            lambda t: f"{Action.plan_check}:{t[0]}:{t[1]}"
        ),
        st.just(plan_check_action_id(1, 0)),
        st.text(max_size=20),
    )
    menu_values = st.one_of(
        st.sampled_from(list(ItemMenu)).map(lambda c: item_menu_value(c, 1)),
        st.tuples(st.sampled_from(["edit", "retire", "delete"]), ID_TEXT).map(
            lambda t: f"{t[0]}:{t[1]}"
        ),
    )
    option = obj(value=field_of(st.one_of(menu_values, ID_TEXT)), text=st.just({"type": "x"}))
    return obj(
        type=st.sampled_from(["button", "overflow", "checkboxes", "static_select"]),
        action_id=field_of(action_ids),
        block_id=field_of(st.sampled_from(["decision", "x", "plan-1-0"])),
        value=field_of(ID_TEXT),
        selected_option=field_of(option),
        selected_options=field_of(st.lists(option, max_size=3)),
        action_ts=field_of(
            st.one_of(
                st.just(f"{time.time():.6f}"),
                st.sampled_from(["nan", "inf", "-1", "1e400", "99999999999", "x"]),
            )
        ),
    )


def _state() -> st.SearchStrategy[Any]:
    note = obj(type=st.just("plain_text_input"), value=field_of(st.text(max_size=30)))
    values = st.one_of(
        st.just({}),
        st.builds(lambda n: {Block.note: {Block.note: n}}, note),
        st.dictionaries(st.text(max_size=6), JUNK, max_size=2),
    )
    return field_of(obj(values=field_of(values)))


def _container() -> st.SearchStrategy[Any]:
    message = obj(
        type=st.just("message"),
        message_ts=st.just("1700000000.000100"),
        channel_id=st.just("DUMANAGER"),
        is_ephemeral=field_of(st.booleans()),
    )
    view = obj(type=st.just("view"), view_id=st.just("V1"))
    return field_of(st.one_of(message, view))


def block_actions() -> st.SearchStrategy[Signed]:
    actions = st.integers(0, 9).flatmap(
        lambda n: (
            st.sampled_from([[], None, [5], ["x"], [{}], [{"action_id": 5}]])
            if n == 0
            else st.lists(_action(), min_size=1, max_size=2)
        )
    )
    payload = obj(
        type=st.just("block_actions"),
        user=_user(),
        team=_team(),
        api_app_id=st.just("A0SANDBOX"),
        token=st.just("sandbox-verification-token"),
        container=_container(),
        trigger_id=field_of(st.just(TRIGGER_ID)),
        response_url=st.one_of(st.just(OMIT), REPLY_URLS),
        state=_state(),
        actions=field_of(actions),
    )
    return good_or_tampered(payload).map(lambda p: Signed("block_actions", p))


def _values() -> st.SearchStrategy[Any]:
    def text_input(block: str, value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.builds(
            lambda v: {block: {block: {"type": "plain_text_input", "value": v}}}, value
        )

    def select(block: str, value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.builds(
            lambda v: {block: {block: {"type": "static_select", "selected_option": {"value": v}}}},
            value,
        )

    parts = st.lists(
        st.one_of(
            text_input(Block.title_text, st.one_of(st.text(max_size=30), st.just("x" * 5000))),
            text_input(Block.duration, st.sampled_from(["1h", "90m", "abc", "999h", "1e9h"])),
            text_input(Block.details, st.one_of(st.text(max_size=30), st.just("d" * 4000))),
            text_input(Block.tz, st.sampled_from(["Europe/Berlin", "../../etc", "x" * 300])),
            select(Block.cadence, st.sampled_from(["daily", "weekly", "once", "hourly", "²"])),
            select(Block.tier, st.sampled_from(["first", "second", "outside", "zeroth"])),
            st.builds(
                lambda u: {Block.rep: {Block.rep: {"type": "users_select", "selected_user": u}}},
                st.one_of(st.sampled_from([*PEOPLE, "UNOBODY", "u$", "U" * 40]), JUNK),
            ),
            st.builds(
                lambda days: {
                    Block.workdays: {
                        Block.workdays: {
                            "type": "checkboxes",
                            "selected_options": [{"value": d} for d in days],
                        }
                    }
                },
                st.lists(st.sampled_from(["0", "4", "6", "7", "²", "-1"]), max_size=3),
            ),
            st.builds(
                lambda t: {
                    Block.plan_time: {Block.plan_time: {"type": "timepicker", "selected_time": t}}
                },
                st.sampled_from(["08:30", "25:00", "x", ""]),
            ),
            st.builds(
                lambda v: {Block.capacity: {Block.capacity: {"type": "number_input", "value": v}}},
                st.sampled_from(["30", "nan", "inf", "1e400", "-5"]),
            ),
            st.dictionaries(st.text(max_size=6), JUNK, max_size=2),
        ),
        max_size=6,
    )
    return parts.map(lambda ds: {k: v for d in ds for k, v in d.items()})


METADATA = st.one_of(
    st.sampled_from(
        [
            "",
            "{}",
            '{"item_id": 1}',
            '{"item_id": 1.5}',
            '{"item_id": "1"}',
            f'{{"item_id": {MAX_ID + 1}}}',
            '{"item_id": true}',
            "not json",
            "[]",
            "null",
            '{"response_url": "http://127.0.0.1:1/stolen"}',
        ]
    ),
    st.text(max_size=20),
    JUNK,
)


def _view(*, submission: bool) -> st.SearchStrategy[Any]:
    callbacks = st.one_of(st.sampled_from(list(Callback)), st.text(max_size=12))
    blocks = st.sampled_from(
        [
            [],
            [{"type": "input", "block_id": Block.title_text}],
            [{"type": "input", "block_id": Block.rep}, {"type": "section"}],
            "x",
        ]
    )
    return field_of(
        obj(
            id=st.just("VFUZZ"),
            type=st.just("modal"),
            callback_id=field_of(callbacks),
            private_metadata=field_of(METADATA),
            blocks=field_of(blocks),
            state=field_of(obj(values=field_of(_values()))) if submission else st.just(OMIT),
        )
    )


def view_payloads(kind: str) -> st.SearchStrategy[Signed]:
    payload = obj(
        type=st.just(kind),
        user=_user(),
        team=_team(),
        api_app_id=st.just("A0SANDBOX"),
        token=st.just("sandbox-verification-token"),
        trigger_id=field_of(st.just(TRIGGER_ID)),
        view=_view(submission=kind == "view_submission"),
        response_urls=st.one_of(st.just(OMIT), st.just([])),
    )
    return good_or_tampered(payload).map(lambda p: Signed(kind, p))


# --- events --------------------------------------------------------------------------------


def events() -> st.SearchStrategy[Signed]:
    event_types = st.one_of(
        st.sampled_from(["app_home_opened", "app_home_opened", "message", "app_mention"]),
        st.text(max_size=12),
        JUNK,
    )
    event = obj(
        type=field_of(event_types),
        user=field_of(st.sampled_from([*PEOPLE, "UNOBODY", "u$"])),
        tab=field_of(st.sampled_from(["home", "messages", "about"])),
        channel=field_of(st.just("DUREP")),
        text=field_of(st.text(max_size=20)),
        extra=JUNK,
    )
    payload = obj(
        token=st.just("sandbox-verification-token"),
        team_id=field_of(st.just(TEAM)),
        api_app_id=st.just("A0SANDBOX"),
        type=field_of(st.sampled_from(["event_callback", "event_callback", "app_rate_limited"])),
        event_id=st.just("EvFUZZ"),
        event_time=st.just(1700000000),
        event=field_of(event),
        authorizations=field_of(st.just([{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}])),
    )
    return good_or_tampered(payload).map(lambda p: Signed("event", p))


# --- the cases the issue lists, each exactly as it was found --------------------------------


def _click(action: Any, **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "UMANAGER", "team_id": TEAM},
        "team": {"id": TEAM, "domain": "acme"},
        "trigger_id": TRIGGER_ID,
        "response_url": RESPONSE_URL,
        "container": {"type": "message", "channel_id": "DUMANAGER", "is_ephemeral": False},
        "actions": action,
    }
    payload.update(extra)
    return {k: v for k, v in payload.items() if v is not OMIT}


def _decide(value: Any) -> list[dict[str, Any]]:
    return [{"type": "button", "action_id": decide_action_id(Decision.decline), "value": value}]


def _submission(metadata: Any, state: Any = OMIT, **extra: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": "VLISTED",
        "type": "modal",
        "callback_id": Callback.edit_item,
        "private_metadata": metadata,
        "blocks": [{"type": "input", "block_id": Block.title_text}],
        "state": {"values": {}} if state is OMIT else state,
    }
    payload: dict[str, Any] = {
        "type": "view_submission",
        "user": {"id": "UREP", "team_id": TEAM},
        "team": {"id": TEAM, "domain": "acme"},
        "view": view,
    }
    payload.update(extra)
    return {k: v for k, v in payload.items() if v is not OMIT}


LISTED: dict[str, Signed] = {
    "actions null": Signed("block_actions", _click(None)),
    "actions empty": Signed("block_actions", _click([])),
    "action_id missing": Signed("block_actions", _click([{"type": "button", "value": "1"}])),
    "action_id a number": Signed("block_actions", _click([{"type": "button", "action_id": 7}])),
    "id ²": Signed("block_actions", _click(_decide("²"))),
    "id above 2^31-1": Signed("block_actions", _click(_decide(str(MAX_ID + 1)))),
    "id above 2^63-1": Signed("block_actions", _click(_decide(str(2**63)))),
    "value missing": Signed(
        "block_actions",
        _click([{"type": "button", "action_id": decide_action_id(Decision.decline)}]),
    ),
    "ephemeral without response_url": Signed(
        "block_actions",
        _click(
            _decide("1"),
            response_url=OMIT,
            container={"type": "message", "channel_id": "C0001", "is_ephemeral": True},
        ),
    ),
    "private_metadata not JSON": Signed("view_submission", _submission("not json")),
    "private_metadata 1.5": Signed("view_submission", _submission('{"item_id": 1.5}')),
    "private_metadata huge id": Signed("view_submission", _submission(f'{{"item_id": {2**64}}}')),
    "state null": Signed("view_submission", _submission('{"item_id": 1}', state=None)),
    "view missing": Signed("view_submission", {**_submission("{}"), "view": None}),
    "user missing": Signed("block_actions", _click(_decide("1"), user=OMIT)),
    "team missing": Signed(
        "block_actions", _click(_decide("1"), user={"id": "UMANAGER"}, team=OMIT)
    ),
}


def listed() -> st.SearchStrategy[Signed]:
    return st.sampled_from(list(LISTED.values()))


def signed_payloads() -> st.SearchStrategy[Signed]:
    """Every kind the app answers, malformed in every way above."""
    return st.one_of(
        listed(),
        commands(),
        block_actions(),
        view_payloads("view_submission"),
        view_payloads("view_closed"),
        events(),
    )


# --- sending and tallying ------------------------------------------------------------------

# What payloads name by id: an assignment, an item and a plan, each with id 1 (and only 1).
ROWS_WITH_ID_1 = (
    ("set-manager <@UREP|rob> <@UMANAGER|maria>", "UREP"),
    ("add-task <@UREP|rob> A request to name 1h", "UMANAGER"),
    ("add An item to name 1h first daily", "UREP"),
    ("plan", "UREP"),
)


def set_up_rows(side: SlackSide, fake: FakeSlack) -> None:
    """The rows of ROWS_WITH_ID_1, made the way people make them."""
    for text, user in ROWS_WITH_ID_1:
        result = side.command(text, user_id=user)
        eventually(lambda url=result.response_url: replies(fake, url))
    fake.wait_until_quiet()


def send(side: SlackSide, signed: Signed, tally: Tally) -> SlackResult:
    """Send one signed payload and hold its answer to the contract: never a 5xx nor a 404
    (Bolt's "no listener acknowledged"), always within 3 s."""
    body, content_type = signed.body(side)
    started = time.monotonic()
    result = side.post(body, content_type)
    took = time.monotonic() - started
    tally.statuses[result.status] += 1
    tally.kinds[signed.kind] += 1
    tally.slowest = max(tally.slowest, took)
    assert result.status < 500 and result.status != 404, (result, signed)
    assert took < ANSWER_WITHIN, (took, signed)
    return result


def errors_in(records: Iterable[logging.LogRecord]) -> list[str]:
    """Log records at ERROR or above, or carrying a traceback, as lines to show."""
    return [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in records
        if r.levelno >= logging.ERROR or r.exc_info
    ]
